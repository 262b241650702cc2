// TypeScript side of the WASM sum reduction: copy the input and plan in, call, copy the sums out.
import type { ReducePlan } from '../backend.js';
import type { WasmArena } from './kernels.js';

/** The reduction the built module exports (see assembly/reduce.as). */
export interface ReduceExports {
  /** Absent from modules built before the kernel existed (the backend then stays on JS). */
  reduceSum?(x: number, out: number, outLen: number, total: number, shape: number, strides: number, idx: number, r: number): void;
}

const align = (x: number): number => Math.ceil(x / 64) * 64;

/** Sums `x` into `out` following `plan` in WASM (see Backend.reduce). */
export function reduceSumWasm(k: ReduceExports, arena: WasmArena, x: Float32Array, out: Float32Array, plan: ReducePlan): void {
  const r = plan.shape.length;
  const so = arena.base, st = so + align(r * 4), ix = st + align(r * 4), xo = ix + align(r * 4), oo = xo + align(x.length * 4);
  arena.ensure(oo + out.length * 4);
  const ints = new Int32Array(arena.memory.buffer, so, 2 * (align(r * 4) / 4) + r);
  ints.set(plan.shape, 0);
  ints.set(plan.outStrides, align(r * 4) / 4);
  const mem = arena.f32();
  mem.set(x, xo / 4);
  k.reduceSum!(xo, oo, out.length, x.length, so, st, ix, r);
  out.set(mem.subarray(oo / 4, oo / 4 + out.length));
}
