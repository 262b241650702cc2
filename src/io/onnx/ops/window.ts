// ONNX Conv, MaxPool and AveragePool over 1-D, 2-D and 3-D inputs (pads, strides, dilations, group, auto_pad, ceil_mode, count_include_pad).
import { type Tensor, ones } from '../../../tensor/tensor.js';
import { fmtShape } from '../../../core/errors.js';
import { noGrad } from '../../../autograd/graph.js';
import { add, div, maximum } from '../../../ops/elementwise.js';
import { indexSelect, narrow, pad, permute, reshape } from '../../../ops/movement.js';
import { avgPool2d, conv2d, maxPool2d } from '../../../ops/conv.js';
import { getBackend } from '../../../backend/registry.js';
import { IntValue, type Value } from '../values.js';
import { type OpCall, type OpSpec, fail, floatIn, optFloatIn } from './call.js';
import { integerCapable } from './integer.js';
import { type Window, as4d, depthReduce, last2, padSpatial, windowOf } from './window-geometry.js';

/**
 * A channel-wise pool over an explicitly padded xp [N, C, ...spatial]: `pool2d` on the last two dims
 * (1-D as height 1; 3-D with depth folded into the channels), then `combine` over the depth taps.
 */
function windowed(xp: Tensor, w: Window, pool2d: (t: Tensor) => Tensor, combine: (a: Tensor, b: Tensor) => Tensor): Tensor {
  const [n, c] = xp.shape as [number, number];
  const y = pool2d(as4d(xp));
  if (xp.rank === 3) return reshape(y, [n, c, w.out[0]!]);
  if (xp.rank === 4) return y;
  return depthReduce(reshape(y, [n, c, xp.shape[2]!, w.out[1]!, w.out[2]!]), w, combine);
}

/** 2-D convolution of x [N, C, H, W] (1-D as height 1) with ONNX's padding resolved. */
function conv2dOf(c: OpCall, x: Tensor, weight: Tensor, bias: Tensor | undefined, w: Window): Tensor {
  const symmetric = w.begin.every((b, i) => b === w.end[i]);
  const x4 = as4d(symmetric ? x : padSpatial(x, w, 0, false)), w4 = as4d(weight);
  const y = conv2d(x4, w4, bias, { stride: last2(w.stride, 1), dilation: last2(w.dilation, 1), groups: c.attrs.int('group', 1), padding: symmetric ? last2(w.begin, 0) : 0 });
  return x.rank === 3 ? reshape(y, [y.shape[0]!, y.shape[1]!, y.shape[3]!]) : y;
}

/** 3-D convolution as a sum over the kernel's depth taps of 2-D convolutions, output depths folded into the batch. */
function conv3dOf(c: OpCall, x: Tensor, weight: Tensor, bias: Tensor | undefined, w: Window): Tensor {
  const xp = padSpatial(x, w, 0, false), [n, ch] = x.shape as [number, number], od = w.out[0]!, o = weight.shape[0]!;
  let y: Tensor | undefined;
  for (let j = 0; j < w.kernel[0]!; j++) {
    const taps = Array.from({ length: od }, (_, k) => k * w.stride[0]! + j * w.dilation[0]!);
    const slices = reshape(permute(indexSelect(xp, 2, taps), [0, 2, 1, 3, 4]), [n * od, ch, xp.shape[3]!, xp.shape[4]!]);
    const kj = reshape(narrow(weight, 2, j, 1), [o, weight.shape[1]!, weight.shape[3]!, weight.shape[4]!]);
    const part = conv2d(slices, kj, undefined, { stride: last2(w.stride, 1), dilation: last2(w.dilation, 1), groups: c.attrs.int('group', 1) });
    y = y ? add(y, part) : part;
  }
  const out = permute(reshape(y!, [n, od, o, w.out[1]!, w.out[2]!]), [0, 2, 1, 3, 4]);
  return bias ? add(out, reshape(bias, [o, 1, 1, 1])) : out;
}

function conv(c: OpCall): Tensor[] {
  const x = floatIn(c, 0), weight = floatIn(c, 1), bias = optFloatIn(c, 2);
  if (weight.rank !== x.rank) throw fail(c, `weight ${fmtShape(weight.shape)} must have the rank of input ${fmtShape(x.shape)}`);
  const w = windowOf(c, x, c.attrs.ints('kernel_shape') ?? weight.shape.slice(2), false);
  return [x.rank === 5 ? conv3dOf(c, x, weight, bias, w) : conv2dOf(c, x, weight, bias, w)];
}

function maxPool(c: OpCall): Value[] {
  const x = floatIn(c, 0);
  const w = windowOf(c, x, c.attrs.ints('kernel_shape') ?? [], c.attrs.int('ceil_mode', 0) === 1);
  const pool2d = (t: Tensor): Tensor => maxPool2d(t, last2(w.kernel, 1), { stride: last2(w.stride, 1), dilation: last2(w.dilation, 1) });
  const xp = padSpatial(x, w, -Infinity, true), y = windowed(xp, w, pool2d, maximum);
  if (!(c.node.output.length > 1 && c.node.output[1])) return [y];
  if (x.rank !== 4) throw fail(c, `the Indices output is supported for 2-D pooling only, not input ${fmtShape(x.shape)}`);
  const order = c.attrs.int('storage_order', 0);
  if (order !== 0 && order !== 1) throw c.attrs.error('storage_order', `is ${order}; it must be 0 (row major) or 1 (column major)`);
  return [y, maxIndices(x, xp, w, order === 1)];
}

/**
 * MaxPool's Indices: each window's first maximum as a flat index into the unpadded x [N, C, H, W]
 * (within each plane row-major h·W + w, or with `columnMajor` w·H + h).
 */
function maxIndices(x: Tensor, xp: Tensor, w: Window, columnMajor: boolean): IntValue {
  const [n, c, h, wd] = x.shape as [number, number, number, number], [ph, pw] = [xp.shape[2]!, xp.shape[3]!];
  const index = new Int32Array(n * c * w.out[0]! * w.out[1]!);
  const g = { kernel: last2(w.kernel, 1), stride: last2(w.stride, 1), dilation: last2(w.dilation, 1), padding: [0, 0] as [number, number] };
  getBackend().maxPoolIndex(xp.data, index, xp.shape, g, w.out[0]!, w.out[1]!);
  return new IntValue('int64', [n, c, w.out[0]!, w.out[1]!], Array.from(index, (k) => {
    const plane = Math.floor(k / (ph * pw)), r = Math.floor((k % (ph * pw)) / pw) - w.begin[0]!, col = (k % pw) - w.begin[1]!;
    return plane * h * wd + (columnMajor ? col * h + r : r * wd + col);
  }));
}

/**
 * Window sums divided by how many taps each window counts: the input's (count_include_pad = 0)
 * or the padded input's (= 1); ceil_mode's extra taps never count (as ONNX's reference).
 */
function averagePool(c: OpCall): Tensor[] {
  const x = floatIn(c, 0);
  const w = windowOf(c, x, c.attrs.ints('kernel_shape') ?? [], c.attrs.int('ceil_mode', 0) === 1);
  const pool2d = (t: Tensor): Tensor => avgPool2d(t, last2(w.kernel, 1), { stride: last2(w.stride, 1), divisorOverride: 1 });
  const divisor = noGrad(() => {
    const sizes = x.shape.slice(2), opts = { dtype: x.dtype };
    const counted = c.attrs.int('count_include_pad', 0) === 1
      ? ones([1, 1, ...sizes.map((n, i) => n + w.begin[i]! + w.end[i]!)], opts)
      : padSpatial(ones([1, 1, ...sizes], opts), w, 0, false);
    return windowed(pad(counted, [[0, 0], [0, 0], ...w.extra.map((e) => [0, e] as [number, number])]), w, pool2d, add);
  });
  return [div(windowed(padSpatial(x, w, 0, true), w, pool2d, add), divisor)];
}

const windowAttrs = ['kernel_shape', 'strides', 'pads', 'auto_pad'];

/** Sliding-window ops by ONNX name. */
export const windowOps: Record<string, OpSpec> = {
  Conv: { attrs: [...windowAttrs, 'dilations', 'group'], run: conv },
  MaxPool: integerCapable({ attrs: [...windowAttrs, 'dilations', 'ceil_mode', 'storage_order'], run: maxPool }),
  AveragePool: { attrs: [...windowAttrs, 'ceil_mode', 'count_include_pad'], run: averagePool },
};
