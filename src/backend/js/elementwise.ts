// JS reference kernels for elementwise ops: one tight loop per op, strided rows for broadcasting.
import type { Storage } from '../../core/dtype.js';
import type { BinaryOp, BroadcastPlan, ParamGradOp, ParamUnaryOp, UnaryOp } from '../backend.js';

type UnaryKernel = (x: Storage, out: Storage, n: number) => void;

/** One loop per unary op (a table, so a missing kernel is a compile error). */
export const unaryKernels: { [K in UnaryOp]: UnaryKernel } = {
  neg: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = -x[i]!; },
  exp: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]!); },
  log: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.log(x[i]!); },
  sqrt: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]!); },
  abs: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]!); },
  sign: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sign(x[i]!); },
  relu: (x, o, n) => { for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v <= 0 ? 0 : v; } },
  // NOTE: split by sign so exp never overflows: σ(x) = 1/(1+e^-x) for x ≥ 0, e^x/(1+e^x) otherwise.
  sigmoid: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      if (v >= 0) o[i] = 1 / (1 + Math.exp(-v));
      else { const e = Math.exp(v); o[i] = e / (1 + e); }
    }
  },
  tanh: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i]!); },
  // NOTE: softplus(x) = max(x,0) + log1p(e^-|x|) never overflows, unlike log(1+e^x).
  softplus: (x, o, n) => { for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))); } },
  sin: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sin(x[i]!); },
  cos: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.cos(x[i]!); },
  // In float32, 1 + |x| is rounded first, as the composite x / (|x| + 1) and PyTorch round it.
  softsign: (x, o, n) => {
    if (o instanceof Float32Array) for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v / Math.fround(1 + Math.abs(v)); }
    else for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v / (1 + Math.abs(v)); }
  },
};

const same = (v: number): number => v;
/** Rounds an intermediate to the storage's precision (float32: Math.fround; float64: as is). */
export function rounder(s: Storage): (v: number) => number {
  return s instanceof Float32Array ? Math.fround : same;
}

type RowKernel = (a: Storage, ai: number, sa: number, b: Storage, bi: number, sb: number, o: Storage, oi: number, n: number) => void;

/** One strided row loop per binary op. */
export const rowKernels: { [K in BinaryOp]: RowKernel } = {
  add: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let i = 0; i < n; i++, ai += sa, bi += sb) o[oi + i] = a[ai]! + b[bi]!; },
  sub: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let i = 0; i < n; i++, ai += sa, bi += sb) o[oi + i] = a[ai]! - b[bi]!; },
  mul: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let i = 0; i < n; i++, ai += sa, bi += sb) o[oi + i] = a[ai]! * b[bi]!; },
  div: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let i = 0; i < n; i++, ai += sa, bi += sb) o[oi + i] = a[ai]! / b[bi]!; },
  pow: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let i = 0; i < n; i++, ai += sa, bi += sb) o[oi + i] = Math.pow(a[ai]!, b[bi]!); },
  maximum: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++, ai += sa, bi += sb) { const x = a[ai]!, y = b[bi]!; o[oi + i] = x !== x || x > y ? x : y; }
  },
  minimum: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++, ai += sa, bi += sb) { const x = a[ai]!, y = b[bi]!; o[oi + i] = x !== x || x < y ? x : y; }
  },
  gt: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let i = 0; i < n; i++, ai += sa, bi += sb) o[oi + i] = a[ai]! > b[bi]! ? 1 : 0; },
  ge: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let i = 0; i < n; i++, ai += sa, bi += sb) o[oi + i] = a[ai]! >= b[bi]! ? 1 : 0; },
  lt: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let i = 0; i < n; i++, ai += sa, bi += sb) o[oi + i] = a[ai]! < b[bi]! ? 1 : 0; },
  le: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let i = 0; i < n; i++, ai += sa, bi += sb) o[oi + i] = a[ai]! <= b[bi]! ? 1 : 0; },
  eq: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let i = 0; i < n; i++, ai += sa, bi += sb) o[oi + i] = a[ai]! === b[bi]! ? 1 : 0; },
  reluGrad: (a, ai, sa, b, bi, sb, o, oi, n) => { for (let i = 0; i < n; i++, ai += sa, bi += sb) o[oi + i] = b[bi]! > 0 ? a[ai]! : 0; },
  sigmoidGrad: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++, ai += sa, bi += sb) { const y = b[bi]!; o[oi + i] = a[ai]! * y * (1 - y); }
  },
  tanhGrad: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++, ai += sa, bi += sb) { const y = b[bi]!; o[oi + i] = a[ai]! * (1 - y * y); }
  },
  softsignGrad: (a, ai, sa, b, bi, sb, o, oi, n) => {
    if (o instanceof Float32Array) {
      for (let i = 0; i < n; i++, ai += sa, bi += sb) { const d = Math.fround(1 + Math.abs(b[bi]!)); o[oi + i] = a[ai]! / Math.fround(d * d); }
    } else for (let i = 0; i < n; i++, ai += sa, bi += sb) { const d = 1 + Math.abs(b[bi]!); o[oi + i] = a[ai]! / (d * d); }
  },
};

/** The parametrised activations (p, q already rounded to the storage's precision). */
export const paramKernels: { [K in ParamUnaryOp]: (x: Storage, o: Storage, n: number, p: number, q: number) => void } = {
  hardtanh: (x, o, n, p, q) => { for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v < p ? p : v > q ? q : v; } },
  leakyRelu: (x, o, n, p) => { for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v > 0 ? v : v * p; } },
};

/** Their backward steps: PyTorch's values at the kinks (0 at both hardtanh bounds, p·g at leaky 0). */
export const paramGradKernels: { [K in ParamGradOp]: (g: Storage, x: Storage, o: Storage, n: number, p: number, q: number) => void } = {
  hardtanhGrad: (g, x, o, n, p, q) => { for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v <= p || v >= q ? 0 : g[i]!; } },
  leakyReluGrad: (g, x, o, n, p) => { for (let i = 0; i < n; i++) o[i] = x[i]! > 0 ? g[i]! : g[i]! * p; },
};

/** Runs a binary op over a broadcast plan: the innermost dim is one row-kernel call. */
export function binaryJs(op: BinaryOp, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void {
  const { shape, aStrides, bStrides } = plan;
  const r = shape.length;
  const row = rowKernels[op];
  const n = shape[r - 1]!;
  if (out.length === 0 || n === 0) return;
  const sa = aStrides[r - 1]!, sb = bStrides[r - 1]!;
  const rows = out.length / n;
  if (rows === 1) return row(a, 0, sa, b, 0, sb, out, 0, n);
  const idx = new Int32Array(r);
  let ao = 0, bo = 0;
  for (let q = 0; q < rows; q++) {
    row(a, ao, sa, b, bo, sb, out, q * n, n);
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++;
      ao += aStrides[d]!;
      bo += bStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      ao -= aStrides[d]! * shape[d]!;
      bo -= bStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
