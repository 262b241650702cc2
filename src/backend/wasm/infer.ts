// TypeScript side of the fused inference linear layer (assembly/infer.as): when it applies, copy in, one call, copy out.
import type { LinearAct } from '../backend.js';
import { type KernelExports, type WasmArena, matmulLayout } from './kernels.js';
import { PARAM_CODES, UNARY_CODES } from './elementwise.js';

/** The export of assembly/infer.as (absent from modules built before it existed: callers then compose). */
export interface InferExports {
  linearAct?(x: number, w: number, b: number, out: number, m: number, k: number, n: number, act: number, p: number, q: number, pA: number, pB: number): void;
}

/** Where the eager path would run each kernel: the fused call applies only when all three run in WASM. */
export interface LinearActLimits {
  readonly minFlops: number;
  readonly elementwiseMin: number;
}

const align = (x: number): number => Math.ceil(x / 64) * 64;

/**
 * The activation's code for infer.as (-1 none, a unary code, or 100 + a parametrised code), or null
 * when the eager path would run it on the JS kernels (unknown op or too few elements), so fusing it
 * in WASM could change the result.
 * @example actCode({ kind: 'unary', op: 'relu' }, 4096, { minFlops: 4096, elementwiseMin: 256 }, true) // 2
 */
export function actCode(act: LinearAct | null, size: number, limits: LinearActLimits, hasParam: boolean): number | null {
  if (act === null) return -1;
  if (size < limits.elementwiseMin) return null;
  if (act.kind === 'param') return hasParam ? 100 + PARAM_CODES[act.op] : null;
  return UNARY_CODES[act.op] ?? null;
}

/**
 * Runs out = act(x @ wᵀ + b) in one WASM call; false (nothing done) where the eager kernels would not
 * all be the WASM ones, so the caller's composition gives the identical result instead.
 * @example if (!linearActWasm(exports, arena, x, w, b, out, m, k, n, { kind: 'unary', op: 'relu' }, limits)) composeInstead();
 */
export function linearActWasm(
  ex: KernelExports & InferExports, arena: WasmArena, x: Float32Array, w: Float32Array, b: Float32Array | null, out: Float32Array,
  m: number, k: number, n: number, act: LinearAct | null, limits: LinearActLimits,
): boolean {
  if (typeof ex.linearAct !== 'function' || m * k * n < limits.minFlops || k === 0) return false;
  const code = actCode(act, m * n, limits, typeof ex.unaryParam === 'function');
  if (code === null) return false;
  const lay = matmulLayout(arena.base, m * k, n * k, m * n);
  const bias = lay.scratch, packA = bias + align(n * 4), packB = packA + align(ex.packABytes());
  arena.ensure(packB + ex.packBBytes());
  const mem = arena.f32();
  mem.set(x.length === m * k ? x : x.subarray(0, m * k), lay.a / 4);
  mem.set(w.length === n * k ? w : w.subarray(0, n * k), lay.b / 4);
  if (b) mem.set(b.length === n ? b : b.subarray(0, n), bias / 4);
  const [p, q] = act?.kind === 'param' ? [act.p, act.q] : [0, 0];
  ex.linearAct(lay.a, lay.b, b ? bias : 0, lay.c, m, k, n, code, p, q, packA, packB);
  out.set(arena.f32().subarray(lay.c / 4, lay.c / 4 + m * n));
  return true;
}
