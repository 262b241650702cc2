// TypeScript side of the int8 matmul kernel (assembly/quant.as): copy int16 rows in, one call, int32 out.
import type { WasmArena } from './kernels.js';

/** The export of assembly/quant.as (absent from modules built before it existed: callers use JS). */
export interface QuantExports {
  int8Matmul?(x: number, w: number, out: number, m: number, kp: number, n: number): void;
  int8Linear?(x: number, m: number, k: number, kp: number, s: number, z: number, w: number, n: number, colScale: number, bias: number, out: number, xq: number): void;
}

const align = (x: number): number => Math.ceil(x / 64) * 64;

/**
 * Runs out[m, n] = x[m, kp] · w[n, kp]ᵀ (int16 in, exact int32 out) in WASM; false when the module lacks the kernel.
 * @example
 * const x = Int16Array.of(2, 3, 0, 0, 0, 0, 0, 0), w = Int16Array.of(4, -1, 0, 0, 0, 0, 0, 0), out = new Int32Array(1);
 * if (!int8MatmulWasm(exports, arena, x, w, out, 1, 8, 1)) int8MatmulJs(x, w, out, 1, 8, 1);   // out[0] = 5 either way
 */
export function int8MatmulWasm(
  ex: QuantExports & { readonly memory: WebAssembly.Memory }, arena: WasmArena, x: Int16Array, w: Int16Array, out: Int32Array, m: number, kp: number, n: number,
): boolean {
  if (typeof ex.int8Matmul !== 'function' || kp % 8 !== 0) return false;
  const xAt = arena.base, wAt = xAt + align(m * kp * 2), outAt = wAt + align(n * kp * 2);
  arena.ensure(outAt + m * n * 4);
  const buf = ex.memory.buffer;
  new Int16Array(buf, xAt, m * kp).set(x.subarray(0, m * kp));
  new Int16Array(buf, wAt, n * kp).set(w.subarray(0, n * kp));
  ex.int8Matmul(xAt, wAt, outAt, m, kp, n);
  out.set(new Int32Array(ex.memory.buffer, outAt, m * n));
  return true;
}

/**
 * Runs the whole int8 Linear layer (quantize, exact product, rescale + bias) in one WASM call; false when the module lacks it.
 * @example
 * const input = { scale: 0.5, zeroPoint: 0 }, x = Float32Array.of(0.5, -1), w = new Int16Array(8), out = new Float32Array(1);
 * const colScale = Float32Array.of(0.25), bias = Float32Array.of(0.5);
 * w.set([4, -1]);
 * if (!int8LinearWasm(exports, arena, x, 1, 2, input, w, 8, 1, colScale, bias, out)) int8LinearJs(x, 1, 2, input, w, 8, 1, colScale, bias, out);   // out[0] = 2
 */
export function int8LinearWasm(
  ex: QuantExports & { readonly memory: WebAssembly.Memory }, arena: WasmArena, x: Float32Array, m: number, k: number,
  input: { readonly scale: number; readonly zeroPoint: number }, w: Int16Array, kp: number, n: number, colScale: Float32Array, bias: Float32Array | null, out: Float32Array,
): boolean {
  if (typeof ex.int8Linear !== 'function' || kp % 8 !== 0) return false;
  const xAt = arena.base, wAt = xAt + align(m * k * 4), sAt = wAt + align(n * kp * 2), bAt = sAt + align(n * 4);
  const outAt = bAt + align(n * 4), xqAt = outAt + align(m * n * 4);
  arena.ensure(xqAt + m * kp * 2);
  const buf = ex.memory.buffer;
  new Float32Array(buf, xAt, m * k).set(x.subarray(0, m * k));
  new Int16Array(buf, wAt, n * kp).set(w.subarray(0, n * kp));
  new Float32Array(buf, sAt, n).set(colScale.subarray(0, n));
  if (bias) new Float32Array(buf, bAt, n).set(bias.subarray(0, n));
  ex.int8Linear(xAt, m, k, kp, input.scale, input.zeroPoint, wAt, n, sAt, bias ? bAt : 0, outAt, xqAt);
  out.set(new Float32Array(ex.memory.buffer, outAt, m * n));
  return true;
}
