// TypeScript side of the fused WASM 2-D convolution (forward and gradients): copy the batch in, one call, copy the results out.
import type { WindowGeometry } from '../backend.js';
import type { KernelExports, WasmArena } from './kernels.js';
import { columnShape, windowOut } from '../js/conv.js';

/** h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow. */
type Geometry = [number, number, number, number, number, number, number, number, number, number, number, number];

/** The fused convolution kernels the built module exports (see assembly/conv2d.as). */
export interface Conv2dExports {
  /** Absent from modules built before the kernels existed (the backend then stays on JS). */
  conv2dForward?(x: number, w: number, b: number, out: number, cols: number, pA: number, pB: number, n: number, c: number, o: number, ...g: Geometry): void;
  conv2dBackward?(dy: number, x: number, w: number, gx: number, gw: number, gb: number, cols: number, pA: number, pB: number, n: number, c: number, o: number, ...g: Geometry): void;
}

/** The kernels' trailing geometry arguments for an NCHW batch of `shape`. */
function geometry(shape: readonly number[], g: WindowGeometry): Geometry {
  const oh = windowOut(shape[2]!, g.kernel[0], g.stride[0], g.padding[0], g.dilation[0]), ow = windowOut(shape[3]!, g.kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
  return [shape[2]!, shape[3]!, g.kernel[0], g.kernel[1], g.stride[0], g.stride[1], g.padding[0], g.padding[1], g.dilation[0], g.dilation[1], oh, ow];
}

/** The arrays (as WasmArena.place), then the columns panel and the matmul's two pack buffers: their offsets. */
function layout(k: KernelExports, arena: WasmArena, lengths: readonly number[], inputs: readonly (Float32Array | null)[], colsLen: number): number[] {
  return arena.place([...lengths, colsLen, k.packABytes() / 4, k.packBBytes() / 4], inputs);
}

/** Backend.conv2d in WASM. */
export function conv2dWasm(k: KernelExports, arena: WasmArena, x: Float32Array, w: Float32Array, b: Float32Array | null, out: Float32Array, shape: readonly number[], o: number, g: WindowGeometry): void {
  const [n, c] = shape as [number, number];
  const { rows, l } = columnShape(shape, g);
  const xLen = n * c * shape[2]! * shape[3]!, yLen = n * o * l;
  const [xo, wo, bo, yo, co, pA, pB] = layout(k, arena, [xLen, o * rows, o, yLen], [x, w, b, null], rows * l);
  k.conv2dForward!(xo!, wo!, b ? bo! : 0, yo!, co!, pA!, pB!, n, c, o, ...geometry(shape, g));
  out.set(arena.f32().subarray(yo! / 4, yo! / 4 + yLen));
}

/** Backend.conv2dGrad in WASM (n ≥ 1). */
export function conv2dGradWasm(
  k: KernelExports, arena: WasmArena, dy: Float32Array, x: Float32Array, w: Float32Array,
  gx: Float32Array | null, gw: Float32Array | null, gb: Float32Array | null, shape: readonly number[], o: number, g: WindowGeometry,
): void {
  const [n, c] = shape as [number, number];
  const { rows, l } = columnShape(shape, g);
  const xLen = n * c * shape[2]! * shape[3]!, yLen = n * o * l;
  const [dyo, xo, wo, gxo, gwo, gbo, co, pA, pB] = layout(k, arena, [yLen, xLen, o * rows, gx ? xLen : 0, gw ? o * rows : 0, gb ? o : 0], [dy, x, w, null, null, null], rows * l);
  k.conv2dBackward!(dyo!, xo!, wo!, gx ? gxo! : 0, gw ? gwo! : 0, gb ? gbo! : 0, co!, pA!, pB!, n, c, o, ...geometry(shape, g));
  const mem = arena.f32();
  if (gx) gx.set(mem.subarray(gxo! / 4, gxo! / 4 + xLen));
  if (gw) gw.set(mem.subarray(gwo! / 4, gwo! / 4 + o * rows));
  if (gb) gb.set(mem.subarray(gbo! / 4, gbo! / 4 + o));
}
