// TypeScript side of the WASM batch-normalisation kernels (statistics, forward, gradient): copy in, call, copy out.
import type { WindowGeometry } from '../backend.js';
import type { WasmArena } from './kernels.js';
import { windowArgs } from './conv.js';

/** The batch-norm kernels the built module exports (see assembly/norm.as). */
export interface NormExports {
  /** Absent from modules built before the kernels existed (the backend then stays on JS). */
  batchNormStats?(x: number, mean: number, variance: number, n: number, c: number, l: number): void;
  batchNorm?(x: number, w: number, b: number, out: number, n: number, c: number, l: number, eps: number, mean: number, variance: number): void;
  batchNormGrad?(g: number, x: number, w: number, gx: number, gw: number, gb: number, n: number, c: number, l: number, eps: number): void;
  batchNormRelu?(x: number, w: number, b: number, out: number, n: number, c: number, l: number, eps: number, mean: number, variance: number): void;
  batchNormReluGrad?(g: number, x: number, w: number, b: number, gx: number, gw: number, gb: number, n: number, c: number, l: number, eps: number): void;
  batchNormReluPool?(x: number, w: number, b: number, index: number, out: number, n: number, c: number, eps: number, mean: number, variance: number, ...geometry: number[]): void;
  batchNormReluPoolGrad?(g: number, index: number, count: number, x: number, w: number, b: number, gx: number, gw: number, gb: number, n: number, c: number, l: number, eps: number): void;
}

function copyOut(arena: WasmArena, offset: number, out: Float32Array, len: number): void {
  out.set(arena.f32().subarray(offset / 4, offset / 4 + len));
}

/** Backend.batchNormStats in WASM. */
export function batchNormStatsWasm(k: NormExports, arena: WasmArena, x: Float32Array, mean: Float32Array, variance: Float32Array, n: number, c: number, l: number): void {
  const [xo, mo, vo] = arena.place([n * c * l, c, c], [x, null, null]);
  k.batchNormStats!(xo!, mo!, vo!, n, c, l);
  copyOut(arena, mo!, mean, c);
  copyOut(arena, vo!, variance, c);
}

type NormalisationKernel = (x: number, w: number, b: number, out: number, n: number, c: number, l: number, eps: number, mean: number, variance: number) => void;

/** Copies the kernel's statistics (at `at`: mean, then variance, c floats each) into mean and variance (null: skipped). */
function statsOut(arena: WasmArena, at: number, c: number, mean: Float32Array | null, variance: Float32Array | null): void {
  if (mean !== null) copyOut(arena, at, mean, c);
  if (variance !== null) copyOut(arena, at + 4 * c, variance, c);
}

/** Backend.batchNorm (or batchNormRelu, with that kernel) in WASM: the output overwrites x's copy in linear memory. */
export function batchNormWasm(
  kernel: NormalisationKernel, arena: WasmArena, x: Float32Array, w: Float32Array, b: Float32Array, out: Float32Array, n: number, c: number, l: number, eps: number,
  mean: Float32Array | null, variance: Float32Array | null,
): void {
  const len = n * c * l;
  const [xo, wo, bo, so] = arena.place([len, c, c, 2 * c], [x, w, b, null]);
  kernel(xo!, wo!, bo!, xo!, n, c, l, eps, mean ? so! : 0, mean ? so! + 4 * c : 0);
  copyOut(arena, xo!, out, len);
  statsOut(arena, so!, c, mean, variance);
}

/** Backend.batchNormGrad in WASM (gx overwrites g's copy in linear memory). */
export function batchNormGradWasm(
  k: NormExports, arena: WasmArena, g: Float32Array, x: Float32Array, w: Float32Array, gx: Float32Array, gw: Float32Array, gb: Float32Array,
  n: number, c: number, l: number, eps: number,
): void {
  const len = n * c * l;
  const [go, xo, wo, gwo, gbo] = arena.place([len, len, c, c, c], [g, x, w, null, null]);
  k.batchNormGrad!(go!, xo!, wo!, go!, gwo!, gbo!, n, c, l, eps);
  copyOut(arena, go!, gx, len);
  copyOut(arena, gwo!, gw, c);
  copyOut(arena, gbo!, gb, c);
}

/** Backend.batchNormReluGrad in WASM (gx overwrites g's copy in linear memory; the mask is recomputed from x, w, b). */
export function batchNormReluGradWasm(
  k: NormExports, arena: WasmArena, g: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array, gx: Float32Array, gw: Float32Array, gb: Float32Array,
  n: number, c: number, l: number, eps: number,
): void {
  const len = n * c * l;
  const [go, xo, wo, bo, gwo, gbo] = arena.place([len, len, c, c, c, c], [g, x, w, b, null, null]);
  k.batchNormReluGrad!(go!, xo!, wo!, bo!, go!, gwo!, gbo!, n, c, l, eps);
  copyOut(arena, go!, gx, len);
  copyOut(arena, gwo!, gw, c);
  copyOut(arena, gbo!, gb, c);
}

/** Backend.batchNormReluPool in WASM: only the pooled values and the routing are copied out. */
export function batchNormReluPoolWasm(
  k: NormExports, arena: WasmArena, x: Float32Array, w: Float32Array, b: Float32Array, index: Int32Array, out: Float32Array,
  shape: readonly number[], g: WindowGeometry, oh: number, ow: number, eps: number, mean: Float32Array | null, variance: Float32Array | null,
): void {
  const [n, c] = shape as [number, number];
  const [xo, wo, bo, io, oo, so] = arena.place([x.length, c, c, index.length, out.length, 2 * c], [x, w, b, null, null, null]);
  k.batchNormReluPool!(xo!, wo!, bo!, io!, oo!, n, c, eps, mean ? so! : 0, mean ? so! + 4 * c : 0, ...windowArgs(shape, g, oh, ow).slice(1));
  index.set(new Int32Array(arena.memory.buffer, io!, index.length));
  copyOut(arena, oo!, out, out.length);
  statsOut(arena, so!, c, mean, variance);
}

/** Backend.batchNormReluPoolGrad in WASM: g and the routing in, the scatter and the gradient inside, gx, gw, gb out. */
export function batchNormReluPoolGradWasm(
  k: NormExports, arena: WasmArena, g: Float32Array, index: Int32Array, x: Float32Array, w: Float32Array, b: Float32Array,
  gx: Float32Array, gw: Float32Array, gb: Float32Array, shape: readonly number[], eps: number,
): void {
  const [n, c, h, wd] = shape as [number, number, number, number];
  const [go, io, xo, wo, bo, gxo, gwo, gbo] = arena.place([g.length, index.length, x.length, c, c, x.length, c, c], [g, null, x, w, b, null, null, null]);
  new Int32Array(arena.memory.buffer, io!, index.length).set(index);
  k.batchNormReluPoolGrad!(go!, io!, index.length, xo!, wo!, bo!, gxo!, gwo!, gbo!, n, c, h * wd, eps);
  copyOut(arena, gxo!, gx, x.length);
  copyOut(arena, gwo!, gw, c);
  copyOut(arena, gbo!, gb, c);
}
