// TypeScript side of the WASM fused Adam step: copy the leaf, gradient and moments in, call, copy out.
import type { AdamStepParams } from '../backend.js';
import type { WasmArena } from './kernels.js';

/** The optimizer kernel the built module exports (see assembly/optim.as). */
export interface OptimExports {
  adamStep(
    p: number, g: number, m: number, v: number, n: number, hasGrad: number,
    c1: number, b2: number, c2: number, eps: number, wd: number, bc1: number, bc2: number, negLr: number,
  ): void;
}

const align = (x: number): number => Math.ceil(x / 64) * 64;

/**
 * Runs one float32 Adam step in WASM (see Backend.adamStep): a null `g` is a zero gradient and
 * leaves `p` unchanged. The float64 constants are rounded to float32 when they cross into WASM.
 */
export function adamStepWasm(
  k: OptimExports, arena: WasmArena, p: Float32Array, g: Float32Array | null,
  m0: Float32Array, v0: Float32Array, m: Float32Array, v: Float32Array, c: AdamStepParams,
): void {
  const n = p.length, bytes = align(n * 4);
  const po = arena.base, go = po + bytes, mo = go + bytes, vo = mo + bytes;
  arena.ensure(vo + n * 4);
  const mem = arena.f32();
  mem.set(p, po / 4);
  if (g === null) mem.fill(0, go / 4, go / 4 + n);
  else mem.set(g, go / 4);
  mem.set(m0, mo / 4);
  mem.set(v0, vo / 4);
  const fr = Math.fround;
  k.adamStep(po, go, mo, vo, n, g === null ? 0 : 1, fr(1 - c.b1), c.b2, fr(1 - c.b2), c.eps, c.weightDecay, c.bc1, c.bc2Sqrt, c.negLr);
  if (g !== null) p.set(mem.subarray(po / 4, po / 4 + n));
  m.set(mem.subarray(mo / 4, mo / 4 + n));
  v.set(mem.subarray(vo / 4, vo / 4 + n));
}
