// TypeScript side of the WASM im2col/col2im kernels: copy the operand in, call, copy the result out.
import type { WindowGeometry } from '../backend.js';
import type { WasmArena } from './kernels.js';
import { windowOut } from '../js/conv.js';

/** The window kernels the built module exports (see assembly/conv.as). */
export interface ConvExports {
  /** Absent from modules built before the kernel existed (the backend then stays on JS). */
  im2col?(
    x: number, out: number, planes: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, dh: number, dw: number, oh: number, ow: number, padValue: number,
  ): void;
  col2im?(
    cols: number, out: number, planes: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, dh: number, dw: number, oh: number, ow: number,
  ): void;
}

const align = (x: number): number => Math.ceil(x / 64) * 64;

type WindowArgs = [number, number, number, number, number, number, number, number, number, number, number, number, number];

/** The geometry as the kernels' trailing arguments: planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow. */
function windowArgs(shape: readonly number[], g: WindowGeometry): WindowArgs {
  const [n, c, h, w] = shape as [number, number, number, number];
  const [kh, kw] = g.kernel;
  const oh = windowOut(h, kh, g.stride[0], g.padding[0], g.dilation[0]), ow = windowOut(w, kw, g.stride[1], g.padding[1], g.dilation[1]);
  return [n * c, h, w, kh, kw, g.stride[0], g.stride[1], g.padding[0], g.padding[1], g.dilation[0], g.dilation[1], oh, ow];
}

/** Runs im2col of `x` (an NCHW batch of `shape`) into `out` in WASM (see Backend.im2col). */
export function im2colWasm(k: ConvExports, arena: WasmArena, x: Float32Array, out: Float32Array, shape: readonly number[], g: WindowGeometry, padValue: number): void {
  const xo = arena.base, oo = xo + align(x.length * 4);
  arena.ensure(oo + out.length * 4);
  const mem = arena.f32();
  mem.set(x, xo / 4);
  const a = windowArgs(shape, g);
  k.im2col!(xo, oo, ...a, padValue);
  out.set(mem.subarray(oo / 4, oo / 4 + out.length));
}

/** Runs col2im of `cols` into `out` (an NCHW batch of `shape`) in WASM (see Backend.col2im). */
export function col2imWasm(k: ConvExports, arena: WasmArena, cols: Float32Array, out: Float32Array, shape: readonly number[], g: WindowGeometry): void {
  const co = arena.base, oo = co + align(cols.length * 4);
  arena.ensure(oo + out.length * 4);
  const mem = arena.f32();
  mem.set(cols, co / 4);
  const a = windowArgs(shape, g);
  k.col2im!(co, oo, ...a);
  out.set(mem.subarray(oo / 4, oo / 4 + out.length));
}
