// fit / evaluate / predict: mini-batch training with seeded shuffling, validation, events, NaN guard.
import { type NestedArray, type Tensor, asTensor } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { noGrad } from '../autograd/graph.js';
import { concat, indexSelect, narrow } from '../ops/movement.js';
import { entries } from '../tree/tree.js';
import type { Module } from '../nn/module.js';
import { inferFast } from '../nn/infer.js';
import type { Callback, EpochLog, TrainContext } from './callbacks.js';
import { type AllowedKeys, checkOptions as checkOptionKeys } from '../core/options.js';
import { DivergenceError, checkFinite } from './guard.js';
import { type TrainState, captureRngs, cloneTensors, restoreRngs } from './state.js';
import { type DivergenceGuard, divergenceGuard } from './divergence.js';

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
}

export interface FitResult {
  history: EpochLog[];
  stopReason?: string;
  /** The live state after the last epoch (before onTrainEnd restored any best weights): resume from it to train further. */
  state: TrainState;
}

/** FitOptions with its data converted to tensors. */
type TensorFitOptions = FitOptions & { x: Tensor; y: Tensor; validation?: { x: Tensor; y: Tensor } };

/** Converts fit's data arguments (plain nested arrays are accepted) to tensors, naming the argument on error. */
const FIT_KEYS: AllowedKeys<FitOptions> = {
  model: true, head: true, optimizer: true, x: true, y: true, epochs: true, batchSize: true, shuffle: true, seed: true,
  validation: true, metrics: true, callbacks: true, nanGuard: true, divergenceFactor: true, resume: true,
};

function withTensors(opts: FitOptions): TensorFitOptions {
  checkOptionKeys('fit', opts, FIT_KEYS);
  if (opts.validation !== undefined) checkOptionKeys('fit: validation', opts.validation, ['x', 'y']);
  const { validation: v, ...rest } = opts;
  return {
    ...rest, x: asTensor(opts.x, 'fit', 'x'), y: asTensor(opts.y, 'fit', 'y'),
    ...(v ? { validation: { x: asTensor(v.x, 'fit', 'validation.x'), y: asTensor(v.y, 'fit', 'validation.y') } } : {}),
  };
}

function checkData(x: Tensor, y: Tensor, what: string): void {
  if (x.rank < 1 || y.rank < 1 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError('fit', `${what} inputs ${fmtShape(x.shape)} and targets ${fmtShape(y.shape)} must have the same number of rows`);
  }
  if (x.shape[0] === 0) throw new ArgumentError('fit', `${what} data is empty`);
}

function makeContext(opts: TensorFitOptions, epochs: number, state: () => TrainState): TrainContext {
  const { model, optimizer } = opts;
  return {
    epoch: 0, epochs, batch: 0, batches: 0, batchLoss: NaN, stop: false, history: [],
    get lr() { return optimizer.lr; },
    set lr(v: number) { optimizer.lr = v; },
    snapshot: () => cloneTensors(model.stateDict()),
    restore: (s) => model.loadStateDict(s),
    trainState: state,
  };
}

function checkOptions(opts: TensorFitOptions, epochs: number, batchSize: number): void {
  if (!Number.isInteger(epochs) || epochs < 1) throw new ArgumentError('fit', `epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError('fit', `batchSize must be a positive integer, got ${batchSize}`);
  checkData(opts.x, opts.y, 'training');
  opts.head.checkTargets(opts.y);
  if (opts.validation) { checkData(opts.validation.x, opts.validation.y, 'validation'); opts.head.checkTargets(opts.validation.y); }
}

interface Run { opts: TensorFitOptions; ctx: TrainContext; cbs: Callback[]; rng: Rng; guard: DivergenceGuard }

function captureState(r: Run): TrainState {
  const { opts, ctx, cbs, rng, guard } = r;
  return {
    epoch: ctx.history.length, epochs: ctx.epochs, history: ctx.history.map((h) => structuredClone(h)),
    ...(ctx.stopReason ? { stopReason: ctx.stopReason } : {}),
    model: cloneTensors(opts.model.stateDict()),
    optimizer: opts.optimizer.stateDict?.() ?? null,
    rng: captureRngs(opts.model, rng),
    callbacks: cbs.map((c) => c.stateDict?.() ?? null),
    guard: guard.stateDict(),
  };
}

/** Puts a run back at `s` (after onTrainBegin); returns the number of epochs already done. */
function resumeFrom(r: Run, s: TrainState): number {
  const { opts, ctx, cbs } = r;
  if (s.stopReason) throw new ArgumentError('fit', `resume: the run already stopped after epoch ${s.epoch} (${s.stopReason}); there is nothing to continue`);
  if (!(Number.isInteger(s.epoch) && s.epoch >= 0 && s.epoch <= ctx.epochs)) throw new ArgumentError('fit', `resume: the state has ${s.epoch} epochs done but epochs is ${ctx.epochs}; pass epochs >= ${s.epoch}`);
  if (s.callbacks.length !== cbs.length) throw new ArgumentError('fit', `resume: the state holds ${s.callbacks.length} callbacks' states but fit got ${cbs.length} callbacks; pass the same callbacks in the same order`);
  restoreRngs(opts.model, r.rng, s.rng);
  opts.model.loadStateDict(s.model);
  if (s.optimizer !== null || opts.optimizer.stateDict) {
    if (s.optimizer === null || !opts.optimizer.loadStateDict) throw new ArgumentError('fit', `resume: ${s.optimizer === null ? 'the state has no optimizer state' : 'the optimizer has no loadStateDict'}; resume needs both`);
    opts.optimizer.loadStateDict(s.optimizer);
  }
  cbs.forEach((c, i) => {
    const cs = s.callbacks[i];
    if (cs && !c.loadStateDict) throw new ArgumentError('fit', `resume: callback ${i + 1} has saved state but no loadStateDict; pass the same callbacks in the same order`);
    if (cs) c.loadStateDict!(cs);
  });
  r.guard.loadStateDict(s.guard);
  ctx.history.push(...s.history.map((h) => structuredClone(h)));
  return s.epoch;
}

/**
 * Trains `model` with `head`'s loss by mini-batch gradient descent. Epochs and batches are
 * numbered from 1 in logs, context and errors. A divergence (a NaN/Inf, or an epoch loss above
 * `divergenceFactor` × the best) throws DivergenceError after putting back the weights of the
 * best epoch so far; the error carries the history.
 *
 * @example
 * const { history, state } = fit({ model, head: multiclassHead({ numClasses: 10 }), optimizer: new Optimizer(adam({ lr: 1e-3 }), model),
 *   x, y, epochs: 10, batchSize: 64, validation: { x: xv, y: yv } });
 * fit({ model, head, optimizer, x, y, epochs: 20, resume: state });   // 10 more epochs, as if never stopped
 */
export function fit(options: FitOptions): FitResult {
  const opts = withTensors(options);
  const epochs = opts.epochs ?? 10, batchSize = opts.batchSize ?? 32;
  checkOptions(opts, epochs, batchSize);
  const run = { opts, cbs: opts.callbacks ?? [], rng: new Rng(opts.seed ?? 0), guard: divergenceGuard(opts.model, opts.divergenceFactor === undefined ? 1e3 : opts.divergenceFactor) } as Run;
  run.ctx = makeContext(opts, epochs, () => captureState(run));
  const { ctx, cbs } = run;
  ctx.batches = Math.ceil(opts.x.shape[0]! / batchSize);
  cbs.forEach((c) => c.onTrainBegin?.(ctx));
  const done = opts.resume ? resumeFrom(run, opts.resume) : 0;
  try {
    for (let epoch = done + 1; epoch <= epochs && !ctx.stop; epoch++) {
      ctx.epoch = epoch;
      cbs.forEach((c) => c.onEpochBegin?.(ctx));
      const log = runEpoch(opts, ctx, cbs, run.rng.split(), batchSize);
      ctx.history.push(log);
      run.guard.check(log, ctx.batches);
      cbs.forEach((c) => c.onEpochEnd?.(ctx, log));
    }
  } catch (e) {
    if (e instanceof DivergenceError) run.guard.onDiverged(e, ctx.history);
    throw e;
  }
  const state = captureState(run);
  cbs.forEach((c) => c.onTrainEnd?.(ctx));
  opts.model.eval();
  return { history: ctx.history, ...(ctx.stopReason ? { stopReason: ctx.stopReason } : {}), state };
}

function runEpoch(opts: TensorFitOptions, ctx: TrainContext, cbs: Callback[], rng: Rng, batchSize: number): EpochLog {
  const { model, head, optimizer, x, y } = opts;
  const n = x.shape[0]!;
  const t0 = Date.now();
  const order = opts.shuffle === false ? null : rng.permutation(n);
  const params = entries(model.params);
  let lossSum = 0;
  const outs: Tensor[] = [], targets: Tensor[] = [];
  model.train();
  for (let b = 0; b * batchSize < n && !ctx.stop; b++) {
    ctx.batch = b + 1;
    cbs.forEach((c) => c.onBatchBegin?.(ctx));
    const count = Math.min(batchSize, n - b * batchSize);
    const [xb, yb] = order ? [indexSelect(x, 0, order.subarray(b * batchSize, b * batchSize + count)), indexSelect(y, 0, order.subarray(b * batchSize, b * batchSize + count))]
      : [narrow(x, 0, b * batchSize, count), narrow(y, 0, b * batchSize, count)];
    optimizer.zeroGrad();
    // The pure step: train mode, the model's state in, the new state (running statistics, stream positions) out.
    const step = model.apply(model.params, xb, { mode: 'train', state: model.state });
    model.loadState(step.state);
    const raw = step.y;
    const loss = head.loss(raw, yb);
    loss.backward();
    const lv = loss.item();
    if (opts.nanGuard ?? true) checkFinite(ctx.epoch, b + 1, lv, params.map(([p, t]) => [`gradient of ${p}`, t.grad]));
    optimizer.step();
    lossSum += lv * count;
    ctx.batchLoss = lv;
    if (opts.metrics) { outs.push(raw.detach()); targets.push(yb); }
    cbs.forEach((c) => c.onBatchEnd?.(ctx));
  }
  if (opts.nanGuard ?? true) checkFinite(ctx.epoch, ctx.batch, lossSum, params.map(([p, t]) => [`parameter ${p}`, t]));
  const metrics = opts.metrics && outs.length > 0 ? opts.metrics(concat(targets, 0), concat(outs, 0)) : {};
  const log: EpochLog = { epoch: ctx.epoch, loss: lossSum / n, metrics, lr: optimizer.lr, ms: 0 };
  if (opts.validation) {
    const v = evaluate(model, head, opts.validation.x, opts.validation.y, { metrics: opts.metrics });
    log.valLoss = v.loss;
    log.valMetrics = v.metrics;
  }
  log.ms = Date.now() - t0;
  return log;
}

/**
 * Runs the model over `x` in eval mode and batches, without recording gradients; returns raw outputs.
 * The pure form `apply(params, x, { mode: 'eval', state })`: the model (its mode flags included) is
 * not touched. Sequentials of Linear, the built-in activations, Dropout and BatchNorm1d take the
 * fused no-grad path of nn/infer.ts (bit-identical results, always a fresh output tensor).
 * @example const logits = predictRaw(model, x);
 */
export function predictRaw(model: Module, input: Tensor | NestedArray, batchSize = 1024): Tensor {
  const x = asTensor(input, 'predict', 'x');
  return noGrad(() => {
    const n = x.shape[0]!;
    const parts: Tensor[] = [];
    const params = model.params, ctx = { mode: 'eval', state: model.state } as const;
    for (let i = 0; i < n; i += batchSize) {
      const chunk = n <= batchSize ? x : narrow(x, 0, i, Math.min(batchSize, n - i));
      parts.push(inferFast(model, chunk, 'eval') ?? model.apply(params, chunk, ctx).y);
    }
    return concat(parts, 0);
  });
}

/**
 * Predictions through the head's output activation (probabilities or values).
 * @example const probs = predict(model, head, x);
 */
export function predict(model: Module, head: TrainableHead, x: Tensor | NestedArray, batchSize = 1024): Tensor {
  return noGrad(() => head.activate(predictRaw(model, x, batchSize)));
}

/**
 * Loss and metrics of `model` on (x, y).
 * @example evaluate(model, head, xTest, yTest, { metrics: metricsFor(head) })
 */
export function evaluate(model: Module, head: TrainableHead, xs: Tensor | NestedArray, ys: Tensor | NestedArray, opts: { metrics?: MetricsFn; batchSize?: number } = {}): { loss: number; metrics: Record<string, number> } {
  checkOptionKeys('evaluate', opts, ['metrics', 'batchSize']);
  const x = asTensor(xs, 'evaluate', 'x'), y = asTensor(ys, 'evaluate', 'y');
  checkData(x, y, 'evaluation');
  head.checkTargets(y);
  const raw = predictRaw(model, x, opts.batchSize);
  const loss = noGrad(() => head.loss(raw, y)).item();
  return { loss, metrics: opts.metrics ? opts.metrics(y, raw) : {} };
}
