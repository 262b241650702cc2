// Training-mode batch normalisation as one primitive (batchNorm; batchNormRelu with ReLU after it; batchNormReluPool with ReLU and max pooling) with a fused gradient, and the batch statistics for running estimates.
import type { Tensor } from '../tensor/tensor.js';
import { allocate, type Storage } from '../core/dtype.js';
import { getBackend } from '../backend/registry.js';
import { run } from './dispatch.js';
import { tensorOf } from './make.js';
import { channelLayout } from './channels.js';
import { isGradEnabled } from './grad-mode.js';
import { add, div, mul, reluGrad, sqrt, sub } from './elementwise.js';
import { sum } from './reduce.js';
import { reshape } from './movement.js';
import type { OpArgs } from './spec.js';
import { maxPool2dVjp } from './conv-fused.js';
import { maxPoolArgs, type Pair, type Pool2dOptions } from './conv.js';

/**
 * Normalises each channel of x [N, C, ...] with the batch's own statistics (training-mode
 * BatchNorm): y = (x − μ_c)/√(σ²_c + eps)·w_c + b_c, μ and the biased σ² over N and the spatial dims.
 * One primitive each way; differentiable in x, w and b (twice, under createGraph). With `stats`
 * (statisticsOutputs), the kernel also writes the batch's mean and biased variance there.
 * @example batchNormTrain(features, w, b, 1e-5)   // [N, 16, 14, 14] with w, b [16] → same shape
 */
export function batchNormTrain(x: Tensor, w: Tensor, b: Tensor, eps: number, stats: BatchStatistics | null = null): Tensor {
  channelLayout('batchNorm', x.shape, w.shape, b.shape);
  return run('batchNorm', [x, w, b], { eps, ...statsArgs(stats) });
}

/** A batch's per-channel mean and biased variance, [C] tensors without gradient. */
export interface BatchStatistics {
  readonly mean: Tensor;
  readonly variance: Tensor;
}

/**
 * Fresh [C] tensors of x's dtype for a batch-norm primitive (the `stats` argument) to write the batch's
 * mean and biased variance into: batchStatistics' values without another pass over x.
 * @example const stats = statisticsOutputs(x); batchNormTrain(x, w, b, 1e-5, stats); stats.mean   // [C]
 */
export function statisticsOutputs(x: Tensor): BatchStatistics {
  const [, c] = channelLayout('batchNorm', x.shape);
  return { mean: tensorOf(x, allocate(x.dtype, c), [c]), variance: tensorOf(x, allocate(x.dtype, c), [c]) };
}

const statsArgs = (stats: BatchStatistics | null): Pick<OpArgs['batchNorm'], 'mean' | 'variance'> =>
  (stats === null ? { mean: null, variance: null } : { mean: stats.mean.data, variance: stats.variance.data });

/**
 * relu(batchNormTrain(x, w, b, eps)) as one primitive: bit-identical values and gradients (ReLU's
 * gradient 0 at 0, as PyTorch), without the full-size intermediate, its copy and a second kernel each
 * way. The backward kernel recomputes the mask from x, so only x, w and b are kept.
 * @example batchNormReluTrain(features, w, b, 1e-5)   // [N, 16, 14, 14] → same shape, every entry ≥ 0 or NaN
 */
export function batchNormReluTrain(x: Tensor, w: Tensor, b: Tensor, eps: number, stats: BatchStatistics | null = null): Tensor {
  channelLayout('batchNormRelu', x.shape, w.shape, b.shape);
  return run('batchNormRelu', [x, w, b], { eps, ...statsArgs(stats) });
}

/**
 * maxPool2d(batchNormReluTrain(x, w, b, eps), kernel, opts) as one primitive: bit-identical values and
 * gradients; the full-size activation between them never leaves the backend kernel.
 * @example batchNormReluPoolTrain(features, w, b, 1e-5, 2)   // [N, 16, 28, 28] → [N, 16, 14, 14]
 */
export function batchNormReluPoolTrain(
  x: Tensor, w: Tensor, b: Tensor, eps: number, kernel: Pair, opts: Pool2dOptions = {}, stats: BatchStatistics | null = null,
): Tensor {
  channelLayout('batchNormReluPool', x.shape, w.shape, b.shape);
  return run('batchNormReluPool', [x, w, b], { ...maxPoolArgs('batchNormReluPool', x, kernel, opts), eps, ...statsArgs(stats) });
}

/**
 * The batch's per-channel mean and biased variance of x [N, C, ...] (what batchNormTrain normalises
 * with), as plain [C] tensors without gradient — for running estimates.
 * @example const { mean, variance } = batchStatistics(features);   // each [16]
 */
export function batchStatistics(x: Tensor): BatchStatistics {
  const [n, c, l] = channelLayout('batchStatistics', x.shape);
  const mean = allocate(x.dtype, c), variance = allocate(x.dtype, c);
  getBackend().batchNormStats(x.data, mean, variance, n, c, l);
  return { mean: tensorOf(x, mean, [c]), variance: tensorOf(x, variance, [c]) };
}

/**
 * batchNorm's VJP: one fused kernel (Backend.batchNormGrad); under createGraph the same formula from
 * recorded ops, so second derivatives exist.
 */
export function batchNormVjp(g: Tensor, [x, w, b]: readonly Tensor[], eps: number): (Tensor | null)[] {
  if (isGradEnabled()) return composedVjp(g, x!, w!, eps);
  const [n, c, l] = channelLayout('batchNorm', x!.shape, w!.shape);
  const gx = allocate(x!.dtype, x!.size), gw = allocate(w!.dtype, c), gb = allocate(b!.dtype, c);
  getBackend().batchNormGrad(g.data, x!.data, w!.data, gx, gw, gb, n, c, l, eps);
  return grads(x!, w!, b!, gx, gw, gb, c);
}

/**
 * batchNormRelu's VJP: one fused kernel (Backend.batchNormReluGrad); under createGraph reluGrad by the
 * output, then batchNorm's composed VJP.
 */
export function batchNormReluVjp(g: Tensor, [x, w, b]: readonly Tensor[], out: Tensor, eps: number): (Tensor | null)[] {
  if (isGradEnabled()) return composedVjp(reluGrad(g, out), x!, w!, eps);
  const [n, c, l] = channelLayout('batchNormRelu', x!.shape, w!.shape);
  const gx = allocate(x!.dtype, x!.size), gw = allocate(w!.dtype, c), gb = allocate(b!.dtype, c);
  getBackend().batchNormReluGrad(g.data, x!.data, w!.data, b!.data, gx, gw, gb, n, c, l, eps);
  return grads(x!, w!, b!, gx, gw, gb, c);
}

/**
 * batchNormReluPool's VJP: one fused kernel (Backend.batchNormReluPoolGrad); under createGraph maxPool2d's
 * recorded scatter, then batchNormRelu's VJP with its output recomputed (the mask).
 */
export function batchNormReluPoolVjp(g: Tensor, [x, w, b]: readonly Tensor[], args: OpArgs['batchNormReluPool']): (Tensor | null)[] {
  if (isGradEnabled()) return batchNormReluVjp(maxPool2dVjp(g, x!, args), [x!, w!, b!], batchNormReluTrain(x!, w!, b!, args.eps), args.eps);
  const [, c] = channelLayout('batchNormReluPool', x!.shape, w!.shape);
  const gx = allocate(x!.dtype, x!.size), gw = allocate(w!.dtype, c), gb = allocate(b!.dtype, c);
  getBackend().batchNormReluPoolGrad(g.data, args.index, x!.data, w!.data, b!.data, gx, gw, gb, x!.shape, args.eps);
  return grads(x!, w!, b!, gx, gw, gb, c);
}

/** The fused kernels' gradients as tensors, null for inputs that do not require one. */
function grads(x: Tensor, w: Tensor, b: Tensor, gx: Storage, gw: Storage, gb: Storage, c: number): (Tensor | null)[] {
  return [
    x.requiresGrad ? tensorOf(x, gx, x.shape) : null,
    w.requiresGrad ? tensorOf(w, gw, [c]) : null,
    b.requiresGrad ? tensorOf(b, gb, [c]) : null,
  ];
}

/** gx = w/√(σ² + eps)·(g − Σg/M − x̂·Σ(g·x̂)/M), gw = Σ g·x̂, gb = Σ g, from differentiable ops. */
function composedVjp(g: Tensor, x: Tensor, w: Tensor, eps: number): Tensor[] {
  const [n, c, l] = channelLayout('batchNorm', x.shape, w.shape);
  const m = n * l, axes = [0, 2];
  const x3 = reshape(x, [n, c, l]), g3 = reshape(g, [n, c, l]);
  const d = sub(x3, div(sum(x3, axes, true), m));
  const inv = div(1, sqrt(add(div(sum(mul(d, d), axes, true), m), eps)));
  const xhat = mul(d, inv);
  const gb = sum(g3, axes), gw = sum(mul(g3, xhat), axes);
  const centred = sub(sub(g3, div(reshape(gb, [1, c, 1]), m)), mul(xhat, div(reshape(gw, [1, c, 1]), m)));
  const gx = mul(mul(reshape(w, [1, c, 1]), inv), centred);
  return [reshape(gx, x.shape), gw, gb];
}
