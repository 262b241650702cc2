// TypeScript side of the WASM window kernels (im2col, col2im, max pooling): copy in, call, copy out.
import type { WindowGeometry } from '../backend.js';
import type { WasmArena } from './kernels.js';
import { windowOut } from '../js/conv.js';

/** planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow. */
export type WindowArgs = [number, number, number, number, number, number, number, number, number, number, number, number, number];

/** The window kernels the built module exports (see assembly/conv.as). */
export interface ConvExports {
  /** Absent from modules built before the kernel existed (the backend then stays on JS). */
  im2col?(x: number, out: number, ...geometryAndPad: [...WindowArgs, number]): void;
  col2im?(cols: number, out: number, ...geometry: WindowArgs): void;
  maxPoolIndex?(x: number, index: number, ...geometry: WindowArgs): void;
  maxPool?(x: number, index: number, out: number, ...geometry: WindowArgs): void;
  maxPoolGrad?(g: number, index: number, gx: number, count: number, size: number): void;
}

const align = (x: number): number => Math.ceil(x / 64) * 64;

/** The geometry as the kernels' trailing arguments: planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow. */
export function windowArgs(
  shape: readonly number[], g: WindowGeometry,
  oh = windowOut(shape[2]!, g.kernel[0], g.stride[0], g.padding[0], g.dilation[0]), ow = windowOut(shape[3]!, g.kernel[1], g.stride[1], g.padding[1], g.dilation[1]),
): WindowArgs {
  const [n, c, h, w] = shape as [number, number, number, number];
  const [kh, kw] = g.kernel;
  return [n * c, h, w, kh, kw, g.stride[0], g.stride[1], g.padding[0], g.padding[1], g.dilation[0], g.dilation[1], oh, ow];
}

/** Runs im2col of `x` (an NCHW batch of `shape`) into `out` in WASM (see Backend.im2col). */
export function im2colWasm(k: ConvExports, arena: WasmArena, x: Float32Array, out: Float32Array, shape: readonly number[], g: WindowGeometry, padValue: number): void {
  const xo = arena.base, oo = xo + align(x.length * 4);
  arena.ensure(oo + out.length * 4);
  const mem = arena.f32();
  mem.set(x, xo / 4);
  k.im2col!(xo, oo, ...windowArgs(shape, g), padValue);
  out.set(mem.subarray(oo / 4, oo / 4 + out.length));
}

/** Runs col2im of `cols` into `out` (an NCHW batch of `shape`) in WASM (see Backend.col2im). */
export function col2imWasm(k: ConvExports, arena: WasmArena, cols: Float32Array, out: Float32Array, shape: readonly number[], g: WindowGeometry): void {
  const co = arena.base, oo = co + align(cols.length * 4);
  arena.ensure(oo + out.length * 4);
  const mem = arena.f32();
  mem.set(cols, co / 4);
  k.col2im!(co, oo, ...windowArgs(shape, g));
  out.set(mem.subarray(oo / 4, oo / 4 + out.length));
}

/** Runs max pooling's routing over `x` (an NCHW batch of `shape`) into `index` in WASM (see Backend.maxPoolIndex). */
export function maxPoolIndexWasm(k: ConvExports, arena: WasmArena, x: Float32Array, index: Int32Array, shape: readonly number[], g: WindowGeometry, oh: number, ow: number): void {
  const xo = arena.base, io = xo + align(x.length * 4);
  arena.ensure(io + index.length * 4);
  arena.f32().set(x, xo / 4);
  k.maxPoolIndex!(xo, io, ...windowArgs(shape, g, oh, ow));
  index.set(new Int32Array(arena.memory.buffer, io, index.length));
}

/** Runs max pooling's forward pass (routing and values) over `x` in WASM (see Backend.maxPool). */
export function maxPoolWasm(
  k: ConvExports, arena: WasmArena, x: Float32Array, index: Int32Array, out: Float32Array, shape: readonly number[], g: WindowGeometry, oh: number, ow: number,
): void {
  const xo = arena.base, io = xo + align(x.length * 4), oo = io + align(index.length * 4);
  arena.ensure(oo + out.length * 4);
  arena.f32().set(x, xo / 4);
  k.maxPool!(xo, io, oo, ...windowArgs(shape, g, oh, ow));
  index.set(new Int32Array(arena.memory.buffer, io, index.length));
  out.set(arena.f32().subarray(oo / 4, oo / 4 + out.length));
}

/** Runs max pooling's backward scatter-add of `g` into `gx` in WASM (see Backend.maxPoolGrad). */
export function maxPoolGradWasm(k: ConvExports, arena: WasmArena, g: Float32Array, index: Int32Array, gx: Float32Array): void {
  const go = arena.base, io = go + align(g.length * 4), xo = io + align(index.length * 4);
  arena.ensure(xo + gx.length * 4);
  arena.f32().set(g, go / 4);
  new Int32Array(arena.memory.buffer, io, index.length).set(index);
  k.maxPoolGrad!(go, io, xo, index.length, gx.length);
  gx.set(arena.f32().subarray(xo / 4, xo / 4 + gx.length));
}
