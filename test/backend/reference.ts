// Naive float64 reference implementations of the Backend methods, written independently of the kernels.
import type { BinaryOp, MatmulParams, UnaryOp } from '../../src/backend/backend.js';
import { sizeOf, stridesOf } from '../../src/core/shape.js';

/** Deterministic values in [lo, hi) (a small LCG so every run sees the same inputs). */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (hi - lo) * (s / 2 ** 32);
  }
  return out;
}

/** Integers in [lo, hi] (ties on purpose, for the comparison ops). */
export function randomInts(n: number, seed: number, lo: number, hi: number): Float64Array {
  return randomArray(n, seed, lo, hi + 1).map(Math.floor);
}

export const unaryRef: { [K in UnaryOp]: (x: number) => number } = {
  neg: (x) => -x, exp: Math.exp, log: Math.log, sqrt: Math.sqrt, abs: Math.abs, sign: Math.sign,
  relu: (x) => (x <= 0 ? 0 : x), sigmoid: (x) => 1 / (1 + Math.exp(-x)), tanh: Math.tanh,
  softplus: (x) => Math.log(1 + Math.exp(x)), sin: Math.sin, cos: Math.cos, softsign: (x) => x / (1 + Math.abs(x)),
};

export const binaryRef: { [K in BinaryOp]: (a: number, b: number) => number } = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b, pow: Math.pow,
  maximum: Math.max, minimum: Math.min,
  gt: (a, b) => +(a > b), ge: (a, b) => +(a >= b), lt: (a, b) => +(a < b), le: (a, b) => +(a <= b), eq: (a, b) => +(a === b),
  reluGrad: (g, x) => (x > 0 ? g : 0), sigmoidGrad: (g, y) => g * y * (1 - y), tanhGrad: (g, y) => g * (1 - y * y),
  softsignGrad: (g, x) => g / (1 + Math.abs(x)) ** 2,
};

/** Multi-index of flat position `k` in `shape`. */
function unravel(k: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = k % shape[d]!;
    k = Math.floor(k / shape[d]!);
  }
  return idx;
}

/** Flat position in `shape` of an output index, broadcasting (right-aligned, size-1 dims read index 0). */
function broadcastIndex(idx: number[], shape: readonly number[]): number {
  const st = stridesOf(shape), off = idx.length - shape.length;
  let pos = 0;
  for (let d = 0; d < shape.length; d++) pos += shape[d] === 1 ? 0 : idx[d + off]! * st[d]!;
  return pos;
}

/** `a op b` broadcast to `outShape`, elementwise by multi-index. */
export function binaryReference(op: BinaryOp, a: ArrayLike<number>, aShape: number[], b: ArrayLike<number>, bShape: number[], outShape: number[]): Float64Array {
  const out = new Float64Array(sizeOf(outShape));
  for (let k = 0; k < out.length; k++) {
    const idx = unravel(k, outShape);
    out[k] = binaryRef[op](a[broadcastIndex(idx, aShape)]!, b[broadcastIndex(idx, bShape)]!);
  }
  return out;
}

/** Sum or max of `x` over `axes`, output with those axes kept as size 1. */
export function reduceReference(op: 'sum' | 'max', x: ArrayLike<number>, shape: number[], axes: number[]): Float64Array {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Float64Array(sizeOf(kept)).fill(op === 'sum' ? 0 : -Infinity);
  for (let k = 0; k < x.length; k++) {
    const o = broadcastIndex(unravel(k, shape), kept);
    out[o] = op === 'sum' ? out[o]! + x[k]! : Math.max(out[o]!, x[k]!);
  }
  return out;
}

/** log-softmax over the middle axis of `[outer, n, inner]`. */
export function logSoftmaxReference(x: ArrayLike<number>, outer: number, n: number, inner: number): Float64Array {
  const out = new Float64Array(outer * n * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (i: number): number => (o * n + i) * inner + j;
      let m = -Infinity;
      for (let i = 0; i < n; i++) m = Math.max(m, x[at(i)]!);
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.exp(x[at(i)]! - m);
      for (let i = 0; i < n; i++) out[at(i)] = x[at(i)]! - m - Math.log(s);
    }
  }
  return out;
}

/** Batched op(A) @ op(B) by the definition, plus Σ|a||b| per output (the scale of its rounding error). */
export function matmulReference(a: ArrayLike<number>, b: ArrayLike<number>, p: MatmulParams): { c: Float64Array; scale: Float64Array } {
  const { batch, m, k, n, transA, transB, aBatchStride, bBatchStride } = p;
  const c = new Float64Array(batch * m * n), scale = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0, abs = 0;
        for (let q = 0; q < k; q++) {
          const x = a[t * aBatchStride + (transA ? q * m + i : i * k + q)]!;
          const y = b[t * bBatchStride + (transB ? j * k + q : q * n + j)]!;
          s += x * y;
          abs += Math.abs(x * y);
        }
        c[(t * m + i) * n + j] = s;
        scale[(t * m + i) * n + j] = abs;
      }
    }
  }
  return { c, scale };
}

/**
 * First index where |got - want| > atol + rtol·|want| + extra[i] (NaN must match NaN), or -1.
 * `extra` widens the bound per element, e.g. by the rounding-error bound of a long float32 sum.
 */
export function firstMismatch(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number, extra?: ArrayLike<number>): number {
  if (got.length !== want.length) return 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (Number.isNaN(w) || Number.isNaN(g)) { if (Number.isNaN(w) !== Number.isNaN(g)) return i; continue; }
    if (g === w) continue;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w) + (extra ? extra[i]! : 0))) return i;
  }
  return -1;
}
