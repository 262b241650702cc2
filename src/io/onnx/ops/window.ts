// ONNX Conv, MaxPool and AveragePool (1-D and 2-D; pads, strides, dilations, group, auto_pad, ceil_mode, count_include_pad).
import { Tensor, ones } from '../../../core/tensor.js';
import { fmtShape } from '../../../core/errors.js';
import { noGrad } from '../../../autograd/graph.js';
import { div } from '../../../ops/elementwise.js';
import { pad, reshape } from '../../../ops/movement.js';
import { avgPool2d, conv2d, maxPool2d } from '../../../ops/conv.js';
import { type OpCall, type OpSpec, fail, floatIn, optFloatIn } from './call.js';
import { integerCapable } from './integer.js';

/** A window geometry lifted to two spatial dims (a 1-D op runs as height 1). */
interface Window {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  /** Padding before and after each spatial dim (ONNX pads may be asymmetric). */
  begin: [number, number];
  end: [number, number];
  /** Extra zeros/−∞ after `end` so that ceil_mode's last partial window exists. */
  extra: [number, number];
}

const lift = (v: number[], fill: number): [number, number] => (v.length === 1 ? [fill, v[0]!] : [v[0]!, v[1]!]);

function spatialRank(c: OpCall, x: Tensor): number {
  const s = x.rank - 2;
  if (s !== 1 && s !== 2) throw fail(c, `input ${fmtShape(x.shape)}: neurite runs 1-D and 2-D windows (input rank 3 or 4), not rank ${x.rank}`);
  return s;
}

/** Reads kernel/strides/dilations/pads/auto_pad/ceil_mode and resolves the padding per side. */
function windowOf(c: OpCall, x: Tensor, kernel: number[], ceil: boolean): Window {
  const s = spatialRank(c, x), a = c.attrs, sizes = x.shape.slice(2);
  if (kernel.length !== s) throw a.error('kernel_shape', `[${kernel.join(',')}] does not match the ${s} spatial dims of ${fmtShape(x.shape)}`);
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
  const begin = pads.slice(0, s), end = pads.slice(s);
  const extra = sizes.map((n, i) => {
    const span = n + begin[i]! + end[i]! - (kernel[i]! - 1) * dil[i]! - 1;
    if (span < 0) throw fail(c, `input ${fmtShape(x.shape)} is smaller than the kernel [${kernel.join(',')}] (dilations [${dil.join(',')}], pads [${pads.join(',')}])`);
    const out = (ceil ? Math.ceil(span / strides[i]!) : Math.floor(span / strides[i]!)) + 1;
    return Math.max(0, (out - 1) * strides[i]! + (kernel[i]! - 1) * dil[i]! + 1 - (n + begin[i]! + end[i]!));
  });
  return { kernel: lift(kernel, 1), stride: lift(strides, 1), dilation: lift(dil, 1), begin: lift(begin, 0), end: lift(end, 0), extra: lift(extra, 0) };
}

/** x as [N, C, H, W] (1-D inputs get H = 1). */
const as2d = (x: Tensor): Tensor => (x.rank === 3 ? reshape(x, [x.shape[0]!, x.shape[1]!, 1, x.shape[2]!]) : x);
/** A 2-D result back to the input's rank. */
const back = (y: Tensor, x: Tensor): Tensor => (x.rank === 3 ? reshape(y, [y.shape[0]!, y.shape[1]!, y.shape[3]!]) : y);

/** x padded by the window's pads (and ceil extra) with `value`. */
function padded(x4: Tensor, w: Window, value: number, withExtra = true): Tensor {
  const e = withExtra ? w.extra : [0, 0];
  if ([...w.begin, ...w.end, ...e].every((p) => p === 0)) return x4;
  return pad(x4, [[0, 0], [0, 0], [w.begin[0], w.end[0] + e[0]!], [w.begin[1], w.end[1] + e[1]!]], value);
}

function conv(c: OpCall): Tensor[] {
  const x = floatIn(c, 0), weight = floatIn(c, 1), bias = optFloatIn(c, 2);
  spatialRank(c, x);
  if (weight.rank !== x.rank) throw fail(c, `weight ${fmtShape(weight.shape)} must have the rank of input ${fmtShape(x.shape)}`);
  const w = windowOf(c, x, c.attrs.ints('kernel_shape') ?? weight.shape.slice(2), false);
  const w4 = as2d(weight), symmetric = w.begin[0] === w.end[0] && w.begin[1] === w.end[1];
  const y = conv2d(symmetric ? as2d(x) : padded(as2d(x), w, 0, false), w4, bias, {
    stride: w.stride, dilation: w.dilation, groups: c.attrs.int('group', 1), padding: symmetric ? w.begin : 0,
  });
  return [back(y, x)];
}

function maxPool(c: OpCall): Tensor[] {
  const x = floatIn(c, 0);
  if (c.node.output.length > 1 && c.node.output[1]) throw fail(c, 'the Indices output is not supported; use MaxPool with one output');
  if (c.attrs.int('storage_order', 0) !== 0) throw c.attrs.error('storage_order', 'must be 0 (row major)');
  const w = windowOf(c, x, c.attrs.ints('kernel_shape') ?? [], c.attrs.int('ceil_mode', 0) === 1);
  return [back(maxPool2d(padded(as2d(x), w, -Infinity), w.kernel, { stride: w.stride, dilation: w.dilation }), x)];
}

/**
 * Window sums divided by how many taps each window counts: the input's (count_include_pad = 0)
 * or the padded input's (= 1); ceil_mode's extra taps never count (as ONNX's reference).
 */
function averagePool(c: OpCall): Tensor[] {
  const x = floatIn(c, 0), x4 = as2d(x);
  const w = windowOf(c, x, c.attrs.ints('kernel_shape') ?? [], c.attrs.int('ceil_mode', 0) === 1);
  const sumPool = (t: Tensor): Tensor => avgPool2d(t, w.kernel, { stride: w.stride, divisorOverride: 1 });
  const divisor = noGrad(() => {
    const h = x4.shape[2]!, wd = x4.shape[3]!;
    const counted = c.attrs.int('count_include_pad', 0) === 1
      ? ones([1, 1, h + w.begin[0] + w.end[0], wd + w.begin[1] + w.end[1]], { dtype: x.dtype })
      : padded(ones([1, 1, h, wd], { dtype: x.dtype }), w, 0, false);
    return sumPool(pad(counted, [[0, 0], [0, 0], [0, w.extra[0]], [0, w.extra[1]]]));
  });
  return [back(div(sumPool(padded(x4, w, 0)), divisor), x)];
}

const windowAttrs = ['kernel_shape', 'strides', 'pads', 'auto_pad'];

/** Sliding-window ops by ONNX name. */
export const windowOps: Record<string, OpSpec> = {
  Conv: { attrs: [...windowAttrs, 'dilations', 'group'], run: conv },
  MaxPool: integerCapable({ attrs: [...windowAttrs, 'dilations', 'ceil_mode', 'storage_order'], run: maxPool }),
  AveragePool: { attrs: [...windowAttrs, 'ceil_mode', 'count_include_pad'], run: averagePool },
};
