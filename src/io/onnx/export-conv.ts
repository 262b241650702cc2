// ONNX export rules of the image layers: Conv2d (stride, padding incl. 'same', dilation, groups),
// MaxPool2d / AvgPool2d (ceilMode, countIncludePad, divisorOverride), GlobalAvgPool2d and BatchNorm2d.
import type { Tensor } from '../../tensor/tensor.js';
import { Conv2d } from '../../nn/conv.js';
import { AvgPool2d, GlobalAvgPool2d, MaxPool2d } from '../../nn/pool.js';
import { BatchNorm2d } from '../../nn/norm2d.js';
import { avgDivisors, poolOut } from '../../ops/pool-geometry.js';
import type { AddRule } from './exporters.js';
import { batchNormRule } from './export-layers.js';

/** ONNX pads [top, left, bottom, right] of a Conv2d; 'same' puts the odd zero at the bottom/right (PyTorch). */
function convPads(m: Conv2d): number[] {
  if (m.padding !== 'same') return [m.padding[0], m.padding[1], m.padding[0], m.padding[1]];
  const total = [0, 1].map((i) => m.dilation[i]! * (m.kernelSize[i]! - 1));
  const before = total.map((t) => Math.floor(t / 2));
  return [before[0]!, before[1]!, total[0]! - before[0]!, total[1]! - before[1]!];
}



/**
 * Average pooling as PyTorch computes it, for every option: ONNX AveragePool with count_include_pad
 * divides each (zero-padded) window sum by kh·kw; ceil mode's last partial windows are reached by
 * extra zeros at the bottom/right; where PyTorch divides by something else (clipped windows,
 * countIncludePad false, divisorOverride) a constant [1, 1, OH, OW] of kh·kw/divisor corrects it.
 */

/**
 * Adds the export rules of Conv2d, pooling, BatchNorm2d to a rule table (exporters.ts builds the table from these lists, so
 * no import is needed for its side effects).
 * @example addConvRules((ctor, rule) => table.set(ctor, rule));
 */
export function addConvRules(add: AddRule): void {
  add(Conv2d, (m, params, x, path, { b, key, param }) => {
    const inputs = [x.name, param(path, 'weight', params.weight as Tensor)];
    if (params.bias) inputs.push(param(path, 'bias', params.bias as Tensor));
    return b.node('Conv', inputs, {
      kernel_shape: [...m.kernelSize], strides: [...m.stride], pads: convPads(m), dilations: [...m.dilation], group: m.groups,
    }, path)[0]!;
  });
  add(MaxPool2d, (m, _p, x, path, { b }) => b.node('MaxPool', [x.name], {
    kernel_shape: [...m.kernelSize], strides: [...m.stride], pads: [...m.padding, ...m.padding], dilations: [...m.dilation], ceil_mode: m.ceilMode ? 1 : 0,
  }, path)[0]!);
  add(AvgPool2d, (m, _p, x, path, { b }) => {
    const [k, s, p] = [m.kernelSize, m.stride, m.padding];
    const size: [number, number] = [x.shape[2]!, x.shape[3]!];
    const out = [0, 1].map((i) => poolOut(size[i]!, k[i]!, s[i]!, p[i]!, 1, m.ceilMode)) as [number, number];
    // Zeros after the input so that floor-mode windows reach every output PyTorch keeps.
    const after = [0, 1].map((i) => Math.max(p[i]!, (out[i]! - 1) * s[i]! + k[i]! - size[i]! - p[i]!));
    const [avg] = b.node('AveragePool', [x.name], { kernel_shape: [...k], strides: [...s], pads: [p[0], p[1], after[0]!, after[1]!], count_include_pad: 1 }, path);
    const div = avgDivisors(size, k, s, p, out, { countIncludePad: m.countIncludePad, divisorOverride: m.divisorOverride });
    if (div === null) return avg!;
    const full = k[0] * k[1];
    const factors = div.map((d) => full / d);
    return b.node('Mul', [avg!, b.floats(`${path}/divisor`, factors, [1, 1, out[0], out[1]])], {}, path)[0]!;
  });
  add(GlobalAvgPool2d, (m, _p, x, path, { b }) => {
    const [pooled] = b.node('GlobalAveragePool', [x.name], {}, path);
    return m.keepdims ? pooled! : b.node('Flatten', [pooled!], { axis: 1 }, path)[0]!;
  });
  add(BatchNorm2d, batchNormRule);
}
