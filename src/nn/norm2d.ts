// BatchNorm2d: per-channel batch normalisation of NCHW images (BatchNorm1d's semantics and state), and its fused form with the ReLU after it.
import type { NestedArray, Tensor } from '../tensor/tensor.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import { add, div, mul, relu, sqrt, sub } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/movement.js';
import { perChannelRow } from '../ops/conv.js';
import { type BatchStatistics, batchNormReluTrain, batchNormTrain, statisticsOutputs } from '../ops/batchnorm.js';
import { BatchNorm1d, type BatchNormOptions, type BatchNormParams } from './layers.js';
import { type Applied, type ApplyContext, type ModuleJSON, type Params, type State, inputOf, modeOf } from './module.js';

/**
 * Layers after a BatchNorm2d that run fused with it: `fused(x, w, b, eps, stats)` is the one primitive
 * for the whole span in training (batch statistics, written to `stats`; affine parameters of x's dtype), `composed(y)` the
 * same layers applied to BatchNorm2d's output otherwise. Both must compute the same thing.
 */
export interface BatchNormTail {
  readonly fused: (x: Tensor, w: Tensor, b: Tensor, eps: number, stats: BatchStatistics) => Tensor;
  readonly composed: (y: Tensor) => Tensor;
}

/** BatchNorm2d then ReLU: batchNormRelu. */
export const RELU_TAIL: BatchNormTail = { fused: batchNormReluTrain, composed: relu };

/** Mean per channel of t viewed as [N, C·L]: Σ over N and L, divided by N·L → [C]. */
function channelMean(t: Tensor, c: number, l: number): Tensor {
  return div(sum(reshape(sum(t, 0), [c, l]), 1), t.shape[0]! * l);
}

/**
 * Batch normalisation over [N, C, H, W] as torch.nn.BatchNorm2d: each channel c is normalised
 * with the statistics of its N·H·W values, y = γ_c (x − μ_c)/√(σ²_c + ε) + β_c (biased batch
 * variance in training; running_mean/var updated with momentum m and the unbiased variance,
 * r ← (1−m) r + m·batch, and used in eval mode). Same parameters, buffers and options as
 * BatchNorm1d. In training with affine parameters of the input's dtype (the default) it runs the fused
 * batchNorm primitive (ops/batchnorm.ts: one kernel each way); otherwise it is composed on the
 * [N, C·H·W] view so every broadcast is a 2-D row broadcast.
 * @example new BatchNorm2d(16).forward(features)   // [N, 16, 14, 14] → same shape
 */
export class BatchNorm2d extends BatchNorm1d {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super(numFeatures, opts);
  }

  override run(params: BatchNormParams, x: Tensor, ctx: ApplyContext): Tensor | Applied {
    return this.runThen(params, x, ctx, batchNormTrain, null);
  }

  /**
   * run, then `tail` (the layers after this one that a Sequential fuses with it, nn/fuse.ts): in
   * training with affine parameters of x's dtype the tail's fused primitive; otherwise run's output
   * through the tail's composed layers. Pure, as run.
   * @example const bn = new BatchNorm2d(16); bn.runFused(bn.params, x, { mode: 'train', state: bn.state }, RELU_TAIL)   // relu(bn(x)), one primitive
   */
  runFused(params: BatchNormParams, x: Tensor, ctx: ApplyContext, tail: BatchNormTail): Tensor | Applied {
    return this.runThen(params, x, ctx, tail.fused, tail.composed);
  }

  /** apply(params, x, ctx) through runFused with `tail` (pure). @example const bn = new BatchNorm2d(16); bn.applyFused(bn.params, x, { mode: 'train', state: bn.state }, RELU_TAIL).y */
  applyFused(params: Params, x: Tensor, ctx: ApplyContext, tail: BatchNormTail): Applied {
    return this.applyWith((p, t, c) => this.runFused(p, t, c, tail), params, x, ctx) as Applied;
  }

  /** forward(x) through runFused with `tail`: the module's own parameters, mode and state (written back). @example new BatchNorm2d(16).forwardFused(x, RELU_TAIL)   // relu(BatchNorm2d(16)(x)) */
  forwardFused(x: Tensor | NestedArray, tail: BatchNormTail): Tensor {
    return this.applyWith((p, t, c) => this.runFused(p, t, c, tail), this.params, inputOf(this, x)) as Tensor;
  }

  /** run's body: the fused primitive `fused` in training, else the composed form followed by `after` (null: nothing). */
  private runThen(
    params: BatchNormParams, x: Tensor, ctx: ApplyContext, fused: BatchNormTail['fused'], after: ((t: Tensor) => Tensor) | null,
  ): Tensor | Applied {
    if (x.rank !== 4 || x.shape[1] !== this.numFeatures) {
      throw new ShapeError('BatchNorm2d', `expected [N, ${this.numFeatures}, H, W], got ${fmtShape(x.shape)}`);
    }
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const l = h * w, xf = reshape(x, [n, c * l]);
    const running = this.runningOf(ctx);
    let xc: Tensor, v: Tensor, state: State | null = null;
    if (modeOf(this, ctx) === 'train') {
      if (n * l < 2) throw new ShapeError('BatchNorm2d', `training needs more than one value per channel, got input ${fmtShape(x.shape)}`);
      const w = params.weight as Tensor | undefined, b = params.bias as Tensor | undefined;
      if (w && b && w.dtype === x.dtype && b.dtype === x.dtype) {
        // The fused primitive: one kernel forward, one backward (ops/batchnorm.ts).
        // The kernel also writes the batch statistics for the running estimates (no second pass over x).
        const stats = statisticsOutputs(x), y = fused(x, w, b, this.eps, stats);
        return { y, state: this.nextRunning(running, stats.mean, stats.variance, n * l) };
      }
      const mu = channelMean(xf, c, l);
      xc = sub(xf, perChannelRow(mu, l));
      v = channelMean(mul(xc, xc), c, l);
      state = this.nextRunning(running, mu, v, n * l);
    } else {
      xc = sub(xf, perChannelRow(running.running_mean, l));
      v = running.running_var;
    }
    let scale = div(1, sqrt(add(v, this.eps)));
    if (params.weight) scale = mul(scale, params.weight as Tensor);
    let y = mul(xc, perChannelRow(scale, l));
    if (params.bias) y = add(y, perChannelRow(params.bias as Tensor, l));
    const bn = reshape(y, [n, c, h, w]), out = after === null ? bn : after(bn);
    return state === null ? out : { y: out, state };
  }

  override describe(): string {
    return `BatchNorm2d(${this.numFeatures})`;
  }

  override toJSON(): ModuleJSON {
    return { ...super.toJSON(), type: 'BatchNorm2d' };
  }
}
