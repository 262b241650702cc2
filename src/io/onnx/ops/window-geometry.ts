// Window geometry of ONNX Conv/MaxPool/AveragePool over 1–3 spatial dims: pads, auto_pad, ceil_mode, and depth as a batch of 2-D slices.
import type { Tensor } from '../../../tensor/tensor.js';
import { fmtShape } from '../../../core/errors.js';
import { indexSelect, pad, reshape } from '../../../ops/movement.js';
import { type OpCall, fail } from './call.js';

/** Per spatial dim (1 to 3 of them): kernel, stride, dilation, pads before/after, ceil_mode's extra after, output size. */
export interface Window {
  kernel: number[];
  stride: number[];
  dilation: number[];
  begin: number[];
  end: number[];
  extra: number[];
  out: number[];
}

/**
 * Reads kernel_shape/strides/dilations/pads/auto_pad for x [N, C, ...spatial] and resolves each side's padding.
 * @example windowOf(c, x, [3, 3], false).out   // [OH, OW]
 */
export function windowOf(c: OpCall, x: Tensor, kernel: number[], ceil: boolean): Window {
  const s = x.rank - 2, a = c.attrs, sizes = x.shape.slice(2);
  if (s < 1 || s > 3) throw fail(c, `input ${fmtShape(x.shape)}: neurite runs 1-D, 2-D and 3-D windows (input rank 3 to 5), not rank ${x.rank}`);
  if (kernel.length !== s || kernel.some((k) => !Number.isInteger(k) || k < 1)) throw a.error('kernel_shape', `[${kernel.join(',')}] must be ${s} positive integers for the spatial dims of ${fmtShape(x.shape)}`);
  const strides = a.ints('strides') ?? kernel.map(() => 1), dil = a.ints('dilations') ?? kernel.map(() => 1);
  for (const [name, v] of [['strides', strides], ['dilations', dil]] as const) {
    if (v.length !== s || v.some((d) => !Number.isInteger(d) || d < 1)) throw a.error(name, `[${v.join(',')}] must be ${s} positive integers`);
  }
  const auto = a.choice('auto_pad', ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'], 'NOTSET');
  let pads = a.ints('pads') ?? new Array<number>(2 * s).fill(0);
  if (pads.length !== 2 * s || pads.some((p) => !Number.isInteger(p) || p < 0)) throw a.error('pads', `[${pads.join(',')}] must be ${2 * s} non-negative integers`);
  if (auto === 'VALID') pads = new Array<number>(2 * s).fill(0);
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const total = sizes.map((n, i) => Math.max(0, (Math.ceil(n / strides[i]!) - 1) * strides[i]! + (kernel[i]! - 1) * dil[i]! + 1 - n));
    const first = total.map((t) => (auto === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2)));
    pads = [...first, ...total.map((t, i) => t - first[i]!)];
  }
  const begin = pads.slice(0, s), end = pads.slice(s), out: number[] = [], extra: number[] = [];
  sizes.forEach((n, i) => {
    const span = n + begin[i]! + end[i]! - (kernel[i]! - 1) * dil[i]! - 1;
    if (span < 0) throw fail(c, `input ${fmtShape(x.shape)} is smaller than the kernel [${kernel.join(',')}] (dilations [${dil.join(',')}], pads [${pads.join(',')}])`);
    out.push((ceil ? Math.ceil(span / strides[i]!) : Math.floor(span / strides[i]!)) + 1);
    extra.push(Math.max(0, (out[i]! - 1) * strides[i]! + (kernel[i]! - 1) * dil[i]! + 1 - (n + begin[i]! + end[i]!)));
  });
  return { kernel, stride: strides, dilation: dil, begin, end, extra, out };
}

/** x with every spatial dim padded explicitly by `value` (pads, plus ceil_mode's extra when `withExtra`). @example padSpatial(x, w, -Infinity, true) */
export function padSpatial(x: Tensor, w: Window, value: number, withExtra: boolean): Tensor {
  const after = w.end.map((e, i) => e + (withExtra ? w.extra[i]! : 0));
  if ([...w.begin, ...after].every((p) => p === 0)) return x;
  return pad(x, [[0, 0], [0, 0], ...w.begin.map((b, i) => [b, after[i]!] as [number, number])], value);
}

/** The last one or two spatial dims of a window, as the [h, w] pair a 2-D kernel takes (1-D: height 1). @example last2([5], 1) // [1, 5] */
export function last2(v: readonly number[], fill: number): [number, number] {
  return v.length === 1 ? [fill, v[0]!] : [v[v.length - 2]!, v[v.length - 1]!];
}

/** x [N, C, ...spatial] as [N, C', H, W]: 1-D gets H = 1; 3-D folds depth into the channels (for channel-wise pools). @example as4d(x).shape // [2, 3 * 4, 5, 5] for [2, 3, 4, 5, 5] */
export function as4d(x: Tensor): Tensor {
  const [n, c, ...sp] = x.shape as number[];
  if (sp.length === 1) return reshape(x, [n!, c!, 1, sp[0]!]);
  if (sp.length === 3) return reshape(x, [n!, c! * sp[0]!, sp[1]!, sp[2]!]);
  return x;
}

/**
 * Combines, for every output depth o, the kernel's depth taps o·s + j·d (j < k) of t [N, C, D, ...]
 * with `f` (max or sum): the depth half of a separable 3-D pool.
 * @example depthReduce(x, windowOf(c, x, [2, 2, 2], false), maximum)   // max over each window's depth taps of x [N, C, D, H, W]
 */
export function depthReduce(t: Tensor, w: Window, f: (a: Tensor, b: Tensor) => Tensor): Tensor {
  let acc: Tensor | undefined;
  for (let j = 0; j < w.kernel[0]!; j++) {
    const taps = Array.from({ length: w.out[0]! }, (_, o) => o * w.stride[0]! + j * w.dilation[0]!);
    const slice = indexSelect(t, 2, taps);
    acc = acc ? f(acc, slice) : slice;
  }
  return acc!;
}
