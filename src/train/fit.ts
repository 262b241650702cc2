// fit: mini-batch training with seeded shuffling, validation, events, NaN guard — the synchronous
// driver of train/loop.ts (fitAsync in fit-async.ts drives the same steps without blocking).
import { type NestedArray, type Tensor, asTensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import type { Module } from '../nn/module.js';
import type { Callback, EpochLog } from './callbacks.js';
import { type AllowedKeys, checkOptions as checkOptionKeys } from '../core/options.js';
import type { TrainState } from './state.js';
import type { CaptureStats } from './compile.js';
import { checkData } from './evaluate.js';
import { type LoopEvent, type LoopResult, type TensorFitOptions, callHook, fitLoop } from './loop.js';

export { predict, predictRaw, evaluate } from './evaluate.js';

/** What fit needs of an output head: its loss on raw outputs, and target checks. */
export interface TrainableHead {
  readonly kind: string;
  loss(raw: Tensor, target: Tensor): Tensor;
  activate(raw: Tensor): Tensor;
  checkTargets(target: Tensor): void;
}

/** What fit needs of an optimizer (optim's `Optimizer` satisfies it). */
export interface StepOptimizer {
  step(): void;
  zeroGrad(): void;
  lr: number;
  /** Checkpoint support (optim's Optimizer has both); needed to resume. */
  stateDict?(): { step: number; state: Record<string, Tensor> };
  loadStateDict?(sd: { step: number; state: Record<string, Tensor> }): void;
}

/** Computes named metrics from targets and raw model outputs (see train/metrics.ts). */
export type MetricsFn = (target: Tensor, raw: Tensor) => Record<string, number>;

export interface FitOptions {
  model: Module;
  head: TrainableHead;
  optimizer: StepOptimizer;
  /** Inputs: a Tensor or plain nested arrays of numbers (converted with the default dtype). */
  x: Tensor | NestedArray;
  /** Targets: a Tensor or plain nested arrays of numbers. */
  y: Tensor | NestedArray;
  epochs?: number;
  batchSize?: number;
  /** Shuffle each epoch with a stream derived from `seed` (default true). */
  shuffle?: boolean;
  seed?: number;
  /** Held-out data evaluated after every epoch. */
  validation?: { x: Tensor | NestedArray; y: Tensor | NestedArray };
  metrics?: MetricsFn;
  callbacks?: Callback[];
  /** Check loss and gradients for NaN/Inf every batch (default true). */
  nanGuard?: boolean;
  /**
   * Stop as diverged when an epoch's training loss exceeds this factor times the best epoch loss so
   * far (default 1e3; null: never). Non-finite values always stop it (with nanGuard).
   */
  divergenceFactor?: number | null;
  /** Continue a run from a TrainState (a checkpoint's, or a FitResult's) instead of starting fresh. */
  resume?: TrainState;
  /**
   * Replay each batch shape's forward + loss + backward as a captured plan of kernel calls
   * (train/compile.ts; bit-identical to eager, which runs where capture does not apply). Default true.
   */
  capture?: boolean;
}

export interface FitResult {
  history: EpochLog[];
  stopReason?: string;
  /** The live state after the last epoch (before onTrainEnd restored any best weights): resume from it to train further. */
  state: TrainState;
  /** What the captured step did (batches traced, replayed, run eagerly, and why it fell back); null with `capture: false`. */
  capture: CaptureStats | null;
}

/** Fit's option keys (fitAsync adds its own). */
export const FIT_KEYS: AllowedKeys<FitOptions> = {
  model: true, head: true, optimizer: true, x: true, y: true, epochs: true, batchSize: true, shuffle: true, seed: true,
  validation: true, metrics: true, callbacks: true, nanGuard: true, divergenceFactor: true, resume: true, capture: true,
};

/** Converts fit's data arguments (plain nested arrays are accepted) to tensors, naming the argument on error. */
function withTensors(opts: FitOptions): TensorFitOptions {
  if (opts.validation !== undefined) checkOptionKeys('fit: validation', opts.validation, ['x', 'y']);
  const { validation: v, ...rest } = opts;
  return {
    ...rest, x: asTensor(opts.x, 'fit', 'x'), y: asTensor(opts.y, 'fit', 'y'),
    ...(v ? { validation: { x: asTensor(v.x, 'fit', 'validation.x'), y: asTensor(v.y, 'fit', 'validation.y') } } : {}),
  };
}

/**
 * Converts and checks fit's options (data, epochs, batch size, targets); `options` must hold only
 * FitOptions keys. Shared by fit and fitAsync.
 * @example const { opts, epochs, batchSize } = prepareFit(options);
 */
export function prepareFit(options: FitOptions): { opts: TensorFitOptions; epochs: number; batchSize: number } {
  checkOptionKeys('fit', options, FIT_KEYS);
  const opts = withTensors(options);
  const epochs = opts.epochs ?? 10, batchSize = opts.batchSize ?? 32;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ArgumentError('fit', `epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError('fit', `batchSize must be a positive integer, got ${batchSize}`);
  checkData(opts.x, opts.y, 'training');
  opts.head.checkTargets(opts.y);
  if (opts.validation) { checkData(opts.validation.x, opts.validation.y, 'validation'); opts.head.checkTargets(opts.validation.y); }
  return { opts, epochs, batchSize };
}

/**
 * Trains `model` with `head`'s loss by mini-batch gradient descent. Epochs and batches are
 * numbered from 1 in logs, context and errors. A divergence (a NaN/Inf, or an epoch loss above
 * `divergenceFactor` × the best) throws DivergenceError after putting back the weights of the
 * best epoch so far; the error carries the history. Blocks until done: in a page, use fitAsync.
 *
 * @example
 * const { history, state } = fit({ model, head: multiclassHead({ numClasses: 10 }), optimizer: new Optimizer(adam({ lr: 1e-3 }), model),
 *   x, y, epochs: 10, batchSize: 64, validation: { x: xv, y: yv } });
 * fit({ model, head, optimizer, x, y, epochs: 20, resume: state });   // 10 more epochs, as if never stopped
 */
export function fit(options: FitOptions): FitResult {
  const { opts, epochs, batchSize } = prepareFit(options);
  const { ctx, callbacks, steps } = fitLoop(opts, epochs, batchSize);
  let next: IteratorResult<LoopEvent, LoopResult> = steps.next();
  while (!next.done) {
    const ev = next.value;
    try {
      for (const c of callbacks) callHook(c, ev, ctx);
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next();
  }
  return next.value.result;
}
