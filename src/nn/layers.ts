// Shape and regularisation layers: Flatten, Dropout (seeded), BatchNorm1d (running statistics).
import { Tensor, full, zeros, ones } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { DType } from '../core/dtype.js';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.js';
import { mean, variance } from '../ops/reduce.js';
import { flatten, reshape } from '../ops/movement.js';
import { bernoulli } from '../tensor/random.js';
import { Module, Stateless, type ModuleJSON, type Params } from './module.js';
import { type AllowedKeys, checkOptions } from '../core/options.js';
import { checkDType } from '../core/dtype.js';

/** Flattens all dims after the batch dim: [N, ...] → [N, ∏...]. @example new Flatten().forward(images) */
export class Flatten extends Stateless {
  call(x: Tensor): Tensor {
    return x.rank <= 2 ? x : flatten(x, 1);
  }
  describe(): string { return 'Flatten'; }
  toJSON(): ModuleJSON { return { type: 'Flatten' }; }
}

/**
 * Reshapes each example: [N, ...] → [N, ...shape] (e.g. flat 64 pixels to [1, 8, 8] images for a CNN).
 * @example new Reshape([1, 8, 8]).forward(x)   // [N, 64] → [N, 1, 8, 8]
 */
export class Reshape extends Stateless {
  constructor(readonly shape: readonly number[]) {
    super();
    if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) throw new ArgumentError('Reshape', `shape must list positive integers, got [${shape.join(',')}]`);
  }
  call(x: Tensor): Tensor {
    const per = x.size / (x.shape[0] || 1);
    if (per !== this.shape.reduce((a, b) => a * b, 1)) {
      throw new ShapeError('Reshape', `cannot reshape ${fmtShape(x.shape)} to [N,${this.shape.join(',')}]: ${per} values per example vs ${this.shape.reduce((a, b) => a * b, 1)}`);
    }
    return reshape(x, [x.shape[0]!, ...this.shape]);
  }
  describe(): string { return `Reshape([${this.shape.join(',')}])`; }
  toJSON(): ModuleJSON { return { type: 'Reshape', shape: [...this.shape] }; }
}

/**
 * Dropout (Srivastava et al. 2014): in training mode zeroes each entry with probability p and
 * scales the rest by 1/(1-p) (inverted dropout); identity in eval mode. Seeded, so runs replay.
 * @example new Dropout(0.5, { seed: 1 })
 */
export class Dropout extends Stateless {
  private rng: Rng;
  constructor(readonly p = 0.5, opts: { seed?: number; rng?: Rng } = {}) {
    super();
    checkOptions('Dropout', opts, ['seed', 'rng']);
    if (!(p >= 0 && p < 1)) throw new ArgumentError('Dropout', `p must be in [0, 1), got ${p}`);
    this.rng = opts.rng ?? new Rng(opts.seed ?? 0);
  }
  call(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const keep = bernoulli(x.shape, 1 - this.p, { rng: this.rng, dtype: x.dtype });
    return mul(x, mul(keep, 1 / (1 - this.p)));
  }
  describe(): string { return `Dropout(${this.p})`; }
  toJSON(): ModuleJSON { return { type: 'Dropout', p: this.p }; }
}

const BATCH_NORM_OPTIONS: AllowedKeys<BatchNormOptions> = { eps: true, momentum: true, affine: true, dtype: true };

export interface BatchNormOptions {
  eps?: number;
  /** Running-statistics update rate: r ← (1-m) r + m·batch (PyTorch's convention). */
  momentum?: number;
  /** Learnable scale γ (`weight`) and shift β (`bias`) (default true). */
  affine?: boolean;
  dtype?: DType;
}

/**
 * Batch normalisation (Ioffe & Szegedy 2015) over [N, C] (or [N, C, L]): in training
 * y = γ (x - μ_B)/√(σ²_B + ε) + β with the biased batch variance, and running_mean/var updated
 * with the unbiased variance; in eval mode the running statistics are used.
 * @example new BatchNorm1d(100)
 */
export class BatchNorm1d extends Module {
  readonly eps: number;
  readonly momentum: number;
  runningMean: Tensor;
  runningVar: Tensor;
  numBatchesTracked: Tensor;

  constructor(readonly numFeatures: number, opts: BatchNormOptions = {}) {
    super();
    checkOptions(new.target.name, opts, BATCH_NORM_OPTIONS);
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    const dtype = checkDType(opts.dtype ?? 'float32', new.target.name);
    if (opts.affine ?? true) {
      this.ownParams = { weight: ones([numFeatures], { dtype, requiresGrad: true }), bias: zeros([numFeatures], { dtype, requiresGrad: true }) };
    }
    this.runningMean = zeros([numFeatures], { dtype });
    this.runningVar = ones([numFeatures], { dtype });
    this.numBatchesTracked = full([], 0, { dtype });
  }

  /** The axes statistics are taken over, and the broadcast shape of per-channel tensors. */
  private layout(x: Tensor): { axes: number[]; shape: number[] } {
    if ((x.rank !== 2 && x.rank !== 3) || x.shape[1] !== this.numFeatures) {
      throw new ShapeError('BatchNorm1d', `expected [N, ${this.numFeatures}] or [N, ${this.numFeatures}, L], got ${fmtShape(x.shape)}`);
    }
    return x.rank === 2 ? { axes: [0], shape: [1, this.numFeatures] } : { axes: [0, 2], shape: [1, this.numFeatures, 1] };
  }

  apply(params: Params, x: Tensor): Tensor {
    const { axes, shape } = this.layout(x);
    let mu: Tensor, v: Tensor;
    if (this.training) {
      const n = axes.reduce((c, a) => c * x.shape[a]!, 1);
      if (n < 2) throw new ShapeError('BatchNorm1d', `training needs more than one value per channel, got input ${fmtShape(x.shape)}`);
      mu = mean(x, axes, true);
      v = variance(x, axes, true);
      this.updateRunning(mu, v, n);
    } else {
      mu = reshape(this.runningMean, shape);
      v = reshape(this.runningVar, shape);
    }
    let y = div(sub(x, mu), sqrt(add(v, this.eps)));
    if (params.weight) y = add(mul(y, reshape(params.weight as Tensor, shape)), reshape(params.bias as Tensor, shape));
    return y;
  }

  private updateRunning(mu: Tensor, v: Tensor, n: number): void {
    const m = this.momentum;
    for (let c = 0; c < this.numFeatures; c++) {
      this.runningMean.data[c] = (1 - m) * this.runningMean.data[c]! + m * mu.data[c]!;
      this.runningVar.data[c] = (1 - m) * this.runningVar.data[c]! + (m * v.data[c]! * n) / (n - 1);
    }
    this.numBatchesTracked.data[0]! += 1;
  }

  override buffers(): Record<string, Tensor> {
    return { running_mean: this.runningMean, running_var: this.runningVar, num_batches_tracked: this.numBatchesTracked };
  }
  describe(): string { return `BatchNorm1d(${this.numFeatures})`; }
  toJSON(): ModuleJSON { return { type: 'BatchNorm1d', numFeatures: this.numFeatures, eps: this.eps, momentum: this.momentum, affine: 'weight' in this.ownParams }; }
}
