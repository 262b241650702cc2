// TypeScript side of the WASM elementwise kernels: which ops and plans run in WASM, copy in, call, copy out.
import type { BinaryOp, BroadcastPlan, ParamGradOp, ParamUnaryOp, UnaryOp } from '../backend.js';
import type { WasmArena } from './kernels.js';

/** The elementwise functions the built module exports (see assembly/elementwise.as). */
export interface ElementwiseExports {
  unary(op: number, x: number, out: number, n: number): void;
  binary(op: number, a: number, aOuter: number, aInner: number, b: number, bOuter: number, bInner: number, out: number, rows: number, n: number): void;
  /** Absent from modules built before the parametrised kernels existed (the backend then stays on JS). */
  unaryParam?(op: number, x: number, out: number, n: number, p: number, q: number): void;
  gradParam?(op: number, g: number, x: number, out: number, n: number, p: number, q: number): void;
}

/** Op codes of the unary ops done in WASM (the others — sign, log, softplus, sin, cos — stay in JS). */
export const UNARY_CODES: Partial<Record<UnaryOp, number>> = { neg: 0, abs: 1, relu: 2, sqrt: 3, exp: 4, sigmoid: 5, tanh: 6, softsign: 7 };

/** Op codes of the binary ops done in WASM (pow stays in JS). */
export const BINARY_CODES: Partial<Record<BinaryOp, number>> = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, gt: 6, ge: 7, lt: 8, le: 9, eq: 10,
  reluGrad: 11, sigmoidGrad: 12, tanhGrad: 13, softsignGrad: 14,
};

/** Op codes of the parametrised ops and their backward steps (assembly/elementwise.as). */
export const PARAM_CODES: Record<ParamUnaryOp | ParamGradOp, number> = { hardtanh: 0, leakyRelu: 1, hardtanhGrad: 0, leakyReluGrad: 1 };

const align = (x: number): number => Math.ceil(x / 64) * 64;

/** Runs unary op `code` over `x` into `out` in WASM. */
export function unaryWasm(k: ElementwiseExports, arena: WasmArena, code: number, x: Float32Array, out: Float32Array): void {
  const n = x.length, xo = arena.base, oo = xo + align(n * 4);
  arena.ensure(oo + n * 4);
  const mem = arena.f32();
  mem.set(x, xo / 4);
  k.unary(code, xo, oo, n);
  out.set(mem.subarray(oo / 4, oo / 4 + n));
}

/** Runs a parametrised op (`g` null) or its backward step (`g` given) over `x` into `out` in WASM. */
export function paramWasm(k: ElementwiseExports, arena: WasmArena, code: number, g: Float32Array | null, x: Float32Array, out: Float32Array, p: number, q: number): void {
  const n = x.length, xo = arena.base, go = xo + align(n * 4), oo = go + (g ? align(n * 4) : 0);
  arena.ensure(oo + n * 4);
  const mem = arena.f32();
  mem.set(x, xo / 4);
  if (g) {
    mem.set(g, go / 4);
    k.gradParam!(code, go, xo, oo, n, p, q);
  } else k.unaryParam!(code, xo, oo, n, p, q);
  out.set(mem.subarray(oo / 4, oo / 4 + n));
}

/**
 * The plan as `rows` rows of `n` with inner strides 0 or 1 (what the WASM kernel walks), or null for
 * plans of rank 3 and more or other strides (see {@link blockPlan} for those).
 */
export function rowPlan(plan: BroadcastPlan): { rows: number; n: number; aOuter: number; aInner: number; bOuter: number; bInner: number } | null {
  const { shape, aStrides, bStrides } = plan;
  const r = shape.length;
  if (r > 2) return null;
  const aInner = aStrides[r - 1]!, bInner = bStrides[r - 1]!;
  if (aInner > 1 || bInner > 1) return null;
  return {
    rows: r === 2 ? shape[0]! : 1, n: shape[r - 1]!, aInner, bInner,
    aOuter: r === 2 ? aStrides[0]! : 0, bOuter: r === 2 ? bStrides[0]! : 0,
  };
}

/**
 * Any-rank plan whose inner strides are 0 or 1 (NCHW bias and batch-norm broadcasts, coalesced to
 * rank 3 or 4): the row plan of its last two dims, and the element offsets of A, B and the output
 * for each of the `blocks` index combinations of the leading dims. Null when the inner strides are
 * other than 0 or 1.
 */
export function blockPlan(plan: BroadcastPlan): { row: NonNullable<ReturnType<typeof rowPlan>>; aOff: Int32Array; bOff: Int32Array; outOff: Int32Array } | null {
  const { shape, aStrides, bStrides } = plan;
  const r = shape.length;
  const row = rowPlan({ shape: shape.slice(r - 2), aStrides: aStrides.slice(r - 2), bStrides: bStrides.slice(r - 2) });
  if (!row) return null;
  const lead = shape.slice(0, r - 2);
  const blocks = lead.reduce((x, d) => x * d, 1), per = row.rows * row.n;
  const aOff = new Int32Array(blocks), bOff = new Int32Array(blocks), outOff = new Int32Array(blocks);
  const idx = new Array<number>(lead.length).fill(0);
  let ao = 0, bo = 0;
  for (let q = 0; q < blocks; q++) {
    aOff[q] = ao; bOff[q] = bo; outOff[q] = q * per;
    for (let d = lead.length - 1; d >= 0; d--) {
      idx[d]!++;
      ao += aStrides[d]!; bo += bStrides[d]!;
      if (idx[d]! < lead[d]!) break;
      ao -= aStrides[d]! * lead[d]!; bo -= bStrides[d]! * lead[d]!;
      idx[d] = 0;
    }
  }
  return { row, aOff, bOff, outOff };
}

/** Runs binary op `code` over a broadcast plan in WASM; returns false (nothing done) when the plan does not fit. */
export function binaryWasm(k: ElementwiseExports, arena: WasmArena, code: number, a: Float32Array, b: Float32Array, out: Float32Array, plan: BroadcastPlan): boolean {
  const rp = rowPlan(plan);
  const bp = rp ? null : blockPlan(plan);
  if (!rp && !bp) return false;
  const ao = arena.base, bo = ao + align(a.length * 4), oo = bo + align(b.length * 4);
  arena.ensure(oo + out.length * 4);
  const mem = arena.f32();
  mem.set(a, ao / 4);
  mem.set(b, bo / 4);
  if (rp) k.binary(code, ao, rp.aOuter, rp.aInner, bo, rp.bOuter, rp.bInner, oo, rp.rows, rp.n);
  else {
    const { row, aOff, bOff, outOff } = bp!;
    for (let q = 0; q < outOff.length; q++) {
      k.binary(code, ao + aOff[q]! * 4, row.aOuter, row.aInner, bo + bOff[q]! * 4, row.bOuter, row.bInner, oo + outOff[q]! * 4, row.rows, row.n);
    }
  }
  out.set(mem.subarray(oo / 4, oo / 4 + out.length));
  return true;
}
