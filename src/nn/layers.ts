// Shape and regularisation layers: Flatten, Dropout (seeded), BatchNorm1d (running statistics).
import { Tensor, full, zeros, ones } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { Key, Rng } from '../core/rng.js';
import type { DType } from '../core/dtype.js';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.js';
import { mean, variance } from '../ops/reduce.js';
import { flatten, reshape } from '../ops/movement.js';
import { bernoulli } from '../tensor/random.js';
import { type Applied, type ApplyContext, EMPTY_STATE, Module, Stateless, type ModuleJSON, type Params, type State, modeOf, randomStream } from './module.js';
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
 * scales the rest by 1/(1-p) (inverted dropout); identity in eval mode. The mask comes from
 * `ctx.key` when given, else from the stream position in the state (`rng`, seeded), which the
 * returned state advances — so forward() replays a seeded run and apply(params, x, ctx) is pure.
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
    return this.forward(x);
  }
  override run(_params: Params, x: Tensor, ctx: ApplyContext): Tensor | Applied {
    if (modeOf(this, ctx) === 'eval' || this.p === 0) return x;
    const { rng, next } = randomStream(this, ctx);
    const keep = bernoulli(x.shape, 1 - this.p, { rng, dtype: x.dtype });
    return { y: mul(x, mul(keep, 1 / (1 - this.p))), state: next() };
  }
  /** The mask stream's position `{ rng }`. */
  override get state(): State {
    return { rng: Key.at(this.rng) };
  }
  override loadState(state: State): void {
    if (state.rng instanceof Key) this.rng.setState(state.rng.state());
  }
  describe(): string { return `Dropout(${this.p})`; }
  toJSON(): ModuleJSON { return { type: 'Dropout', p: this.p }; }
}

/** BatchNorm's parameters: scale γ and shift β when `affine` (the default). */
export type BatchNormParams = Params & { weight?: Tensor; bias?: Tensor };

/** BatchNorm's state tree. */
export interface RunningStats { running_mean: Tensor; running_var: Tensor; num_batches_tracked: Tensor }

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
export class BatchNorm1d extends Module<BatchNormParams> {
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

  run(params: BatchNormParams, x: Tensor, ctx: ApplyContext): Tensor | Applied {
    const { axes, shape } = this.layout(x);
    const running = this.runningOf(ctx);
    let mu: Tensor, v: Tensor, state: State | null = null;
    if (modeOf(this, ctx) === 'train') {
      const n = axes.reduce((c, a) => c * x.shape[a]!, 1);
      if (n < 2) throw new ShapeError('BatchNorm1d', `training needs more than one value per channel, got input ${fmtShape(x.shape)}`);
      mu = mean(x, axes, true);
      v = variance(x, axes, true);
      state = this.nextRunning(running, mu, v, n);
    } else {
      mu = reshape(running.running_mean, shape);
      v = reshape(running.running_var, shape);
    }
    let y = div(sub(x, mu), sqrt(add(v, this.eps)));
    if (params.weight) y = add(mul(y, reshape(params.weight as Tensor, shape)), reshape(params.bias as Tensor, shape));
    return state === null ? y : { y, state };
  }

  /** The running statistics `ctx.state` holds; a missing or misshapen one is an error naming it. */
  protected runningOf(ctx: ApplyContext): RunningStats {
    const s = ctx.state ?? EMPTY_STATE;
    for (const k of ['running_mean', 'running_var', 'num_batches_tracked'] as const) {
      const t = s[k], want = k === 'num_batches_tracked' ? [] : [this.numFeatures];
      if (!(t instanceof Tensor) || t.shape.join() !== want.join()) {
        throw new ArgumentError(`${this.describe()}.apply`, `ctx.state.${k} must be a tensor of shape [${want.join(', ')}], got ${t instanceof Tensor ? fmtShape(t.shape) : t === undefined ? 'nothing' : 'a non-tensor'}; pass ctx.state = module.state (or the state a previous call returned)`);
      }
    }
    return s as unknown as RunningStats;
  }

  /**
   * New running statistics (PyTorch): r ← (1−m) r + m·μ_B for the mean, the unbiased σ²_B·n/(n−1) for
   * the variance, num_batches_tracked + 1 — fresh tensors, the inputs untouched.
   */
  protected nextRunning(r: RunningStats, mu: Tensor, v: Tensor, n: number): State {
    const m = this.momentum, mean0 = r.running_mean.data, var0 = r.running_var.data;
    const meanNext = r.running_mean.clone(), varNext = r.running_var.clone(), tracked = r.num_batches_tracked.clone();
    for (let c = 0; c < this.numFeatures; c++) {
      meanNext.data[c] = (1 - m) * mean0[c]! + m * mu.data[c]!;
      varNext.data[c] = (1 - m) * var0[c]! + (m * v.data[c]! * n) / (n - 1);
    }
    tracked.data[0]! += 1;
    return { running_mean: meanNext, running_var: varNext, num_batches_tracked: tracked };
  }

  /** The running statistics as a state tree (the live buffers). */
  override get state(): State {
    return { running_mean: this.runningMean, running_var: this.runningVar, num_batches_tracked: this.numBatchesTracked };
  }
  /** Copies running statistics into the buffers in place (optimizer and checkpoint references stay valid). */
  override loadState(state: State): void {
    const own = this.state as unknown as RunningStats;
    for (const k of ['running_mean', 'running_var', 'num_batches_tracked'] as const) {
      const t = state[k];
      if (t instanceof Tensor && t !== own[k]) own[k].data.set(t.data);
    }
  }

  override buffers(): Record<string, Tensor> {
    return { running_mean: this.runningMean, running_var: this.runningVar, num_batches_tracked: this.numBatchesTracked };
  }
  describe(): string { return `BatchNorm1d(${this.numFeatures})`; }
  toJSON(): ModuleJSON { return { type: 'BatchNorm1d', numFeatures: this.numFeatures, eps: this.eps, momentum: this.momentum, affine: 'weight' in this.ownParams }; }
}
