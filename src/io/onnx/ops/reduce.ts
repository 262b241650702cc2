// ONNX ReduceSum/ReduceMean/ReduceMax/ReduceMin: axes as attribute or input (by opset), keepdims, noop_with_empty_axes.
import type { Tensor } from '../../../tensor/tensor.js';
import { max, mean, min, sum } from '../../../ops/reduce.js';
import { type OpCall, type OpSpec, axisOf, floatIn, intIn } from './call.js';
import { integerCapable } from './integer.js';

/** The opset from which each reduction takes its axes as an input instead of an attribute. */
const axesInputFrom: Record<string, number> = { ReduceSum: 13, ReduceMean: 18, ReduceMax: 18, ReduceMin: 18 };

const reduction = (name: string, f: (x: Tensor, axes: number[], keep: boolean) => Tensor): OpSpec => ({
  attrs: ['axes', 'keepdims', 'noop_with_empty_axes'],
  run: (c: OpCall) => {
    const x = floatIn(c, 0), keep = c.attrs.int('keepdims', 1) === 1;
    const given = c.opset >= axesInputFrom[name]! ? (c.inputs[1] === undefined ? undefined : [...intIn(c, 1).data]) : c.attrs.ints('axes');
    if ((given === undefined || given.length === 0) && c.attrs.int('noop_with_empty_axes', 0) === 1) return [x];
    const axes = given === undefined || given.length === 0 ? x.shape.map((_, i) => i) : given.map((a) => axisOf(c, a, x.rank, 'axes entry'));
    return [f(x, axes, keep)];
  },
});

/** Reductions by ONNX name (Max/Min also on integer tensors). */
export const reduceOps: Record<string, OpSpec> = {
  ReduceSum: integerCapable(reduction('ReduceSum', sum), { data: [0] }),
  ReduceMean: reduction('ReduceMean', mean),
  ReduceMax: integerCapable(reduction('ReduceMax', max), { data: [0] }),
  ReduceMin: integerCapable(reduction('ReduceMin', min), { data: [0] }),
};
