// TypeScript side of the fused WASM LSTM cell (one time step, forward and backward): copy in, call, copy out.
import type { WasmArena } from './kernels.js';

/** The recurrent kernels the built module exports (see assembly/recurrent.as). */
export interface RecurrentExports {
  /** Absent from modules built before the kernels existed (the backend then stays on JS). */
  lstmCell?(xg: number, hg: number, b: number, c0: number, out: number, h: number, n: number): void;
  lstmCellGrad?(xg: number, hg: number, b: number, c0: number, dout: number, dgates: number, dc0: number, h: number, n: number): void;
}

/** Backend.lstmCell in WASM. */
export function lstmCellWasm(k: RecurrentExports, arena: WasmArena, xg: Float32Array, hg: Float32Array, b: Float32Array | null, c0: Float32Array, out: Float32Array, h: number, n: number): void {
  const len = h * n;
  const [xo, ho, bo, co, oo] = arena.place([4 * len, 4 * len, b ? 4 * h : 0, len, 2 * len], [xg, hg, b, c0, null]);
  k.lstmCell!(xo!, ho!, b ? bo! : 0, co!, oo!, h, n);
  out.set(arena.f32().subarray(oo! / 4, oo! / 4 + 2 * len));
}

/** Backend.lstmCellGrad in WASM. */
export function lstmCellGradWasm(
  k: RecurrentExports, arena: WasmArena, xg: Float32Array, hg: Float32Array, b: Float32Array | null, c0: Float32Array, dout: Float32Array,
  dgates: Float32Array, dc0: Float32Array, h: number, n: number,
): void {
  const len = h * n;
  const [xo, ho, bo, co, doo, go, dco] = arena.place([4 * len, 4 * len, b ? 4 * h : 0, len, 2 * len, 4 * len, len], [xg, hg, b, c0, dout, null, null]);
  k.lstmCellGrad!(xo!, ho!, b ? bo! : 0, co!, doo!, go!, dco!, h, n);
  const mem = arena.f32();
  dgates.set(mem.subarray(go! / 4, go! / 4 + 4 * len));
  dc0.set(mem.subarray(dco! / 4, dco! / 4 + len));
}
