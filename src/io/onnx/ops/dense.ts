// ONNX dense and normalisation ops: Gemm, MatMul, Softmax/LogSoftmax (both axis semantics), BatchNormalization, global pools.
import type { Tensor } from '../../../tensor/tensor.js';
import { fmtShape } from '../../../core/errors.js';
import { sizeOf } from '../../../core/shape.js';
import { add, div, mul, sqrt, sub } from '../../../ops/elementwise.js';
import { linear, matmul } from '../../../ops/matmul.js';
import { reshape } from '../../../ops/movement.js';
import { max, mean, variance } from '../../../ops/reduce.js';
import { logSoftmax, softmax } from '../../../nn/functional.js';
import { type OpCall, type OpSpec, axisOf, fail, floatIn, optFloatIn } from './call.js';

function gemm(c: OpCall): Tensor[] {
  const a = floatIn(c, 0), b = floatIn(c, 1), bias = optFloatIn(c, 2);
  if (a.rank !== 2 || b.rank !== 2) throw fail(c, `A ${fmtShape(a.shape)} and B ${fmtShape(b.shape)} must be matrices`);
  const alpha = c.attrs.float('alpha', 1), beta = c.attrs.float('beta', 1);
  const transA = c.attrs.int('transA', 0) === 1, transB = c.attrs.int('transB', 0) === 1;
  // The PyTorch Linear pattern (x Wᵀ + b) runs as neurite's fused linear: same values, one graph node.
  if (!transA && transB && alpha === 1 && beta === 1 && bias?.rank === 1 && bias.size === b.shape[0] && a.shape[1] === b.shape[1]) return [linear(a, b, bias)];
  let y = matmul(a, b, { transA, transB });
  if (alpha !== 1) y = mul(y, alpha);
  if (bias && beta !== 0) y = add(y, beta === 1 ? bias : mul(bias, beta));
  return [y];
}

/**
 * Softmax-family ops. Opset < 13 flattens x to 2-D at `axis` (default 1) and normalises each row
 * over all the trailing dims; opset ≥ 13 normalises along the one axis (default −1).
 */
const softmaxLike = (f: (x: Tensor, axis: number) => Tensor): OpSpec => ({
  attrs: ['axis'],
  run: (c) => {
    const x = floatIn(c, 0);
    if (c.opset >= 13) return [f(x, axisOf(c, c.attrs.int('axis', -1), x.rank))];
    const axis = x.rank === 0 ? 0 : axisOf(c, c.attrs.int('axis', 1), x.rank);
    const rows = reshape(x, [sizeOf(x.shape.slice(0, axis)), sizeOf(x.shape.slice(axis))]);
    return [reshape(f(rows, 1), x.shape)];
  },
});

/** A per-channel vector [C] shaped to broadcast along dim 1 of x. */
const perChannel = (v: Tensor, x: Tensor): Tensor => reshape(v, [v.size, ...x.shape.slice(2).map(() => 1)]);

function batchNorm(c: OpCall): Tensor[] {
  const [x, scale, bias, runMean, runVar] = [0, 1, 2, 3, 4].map((i) => floatIn(c, i)) as [Tensor, Tensor, Tensor, Tensor, Tensor];
  const eps = c.attrs.float('epsilon', 1e-5), channels = x.shape[1];
  if (x.rank < 2 || [scale, bias, runMean, runVar].some((v) => v.size !== channels)) {
    throw fail(c, `input ${fmtShape(x.shape)} needs scale, B, mean and var of size C = ${channels ?? '?'}, got ${[scale, bias, runMean, runVar].map((v) => fmtShape(v.shape)).join(', ')}`);
  }
  if (c.attrs.int('spatial', 1) !== 1) throw c.attrs.error('spatial', 'is 0 (per-activation statistics); neurite supports spatial = 1');
  const norm = (m: Tensor, v: Tensor): Tensor => add(mul(div(sub(x, perChannel(m, x)), sqrt(add(perChannel(v, x), eps))), perChannel(scale, x)), perChannel(bias, x));
  if (c.attrs.int('training_mode', 0) !== 1) return [norm(runMean, runVar)];
  // Training mode (opset ≥ 14): batch statistics (biased variance) normalise, and the running ones are blended in.
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const m = reshape(mean(x, axes), [channels!]), v = reshape(variance(x, axes), [channels!]);
  const momentum = c.attrs.float('momentum', 0.9);
  const blend = (run: Tensor, batch: Tensor): Tensor => add(mul(run, momentum), mul(batch, 1 - momentum));
  return [norm(m, v), blend(runMean, m), blend(runVar, v)];
}

const globalPool = (f: (x: Tensor, axes: number[], keep: boolean) => Tensor): OpSpec => ({
  attrs: [],
  run: (c) => {
    const x = floatIn(c, 0);
    if (x.rank < 3) throw fail(c, `input ${fmtShape(x.shape)} must be [N, C, spatial...]`);
    return [f(x, x.shape.slice(2).map((_, i) => i + 2), true)];
  },
});

/** Dense, softmax, normalisation and global pooling ops by ONNX name. */
export const denseOps: Record<string, OpSpec> = {
  Gemm: { attrs: ['alpha', 'beta', 'transA', 'transB', 'broadcast'], run: gemm },
  MatMul: { attrs: [], run: (c) => [matmul(floatIn(c, 0), floatIn(c, 1))] },
  Softmax: softmaxLike((x, axis) => softmax(x, axis)),
  LogSoftmax: softmaxLike((x, axis) => logSoftmax(x, axis)),
  BatchNormalization: { attrs: ['epsilon', 'momentum', 'spatial', 'is_test', 'training_mode', 'consumed_inputs'], run: batchNorm },
  GlobalAveragePool: globalPool(mean),
  GlobalMaxPool: globalPool(max),
};
