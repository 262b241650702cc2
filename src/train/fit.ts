// fit / evaluate / predict: mini-batch training with seeded shuffling, validation, events, NaN guard.
import { type NestedArray, type Tensor, asTensor } from '../core/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { noGrad } from '../autograd/graph.js';
import { concat, indexSelect, narrow } from '../ops/movement.js';
import { entries } from '../tree/tree.js';
import type { Module } from '../nn/module.js';
import type { Callback, EpochLog, TrainContext } from './callbacks.js';
import { checkFinite } from './guard.js';

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
}

export interface FitResult {
  history: EpochLog[];
  stopReason?: string;
}

/** FitOptions with its data converted to tensors. */
type TensorFitOptions = FitOptions & { x: Tensor; y: Tensor; validation?: { x: Tensor; y: Tensor } };

/** Converts fit's data arguments (plain nested arrays are accepted) to tensors, naming the argument on error. */
function withTensors(opts: FitOptions): TensorFitOptions {
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

function makeContext(opts: TensorFitOptions, epochs: number): TrainContext {
  const { model, optimizer } = opts;
  return {
    epoch: 0, epochs, batch: 0, batches: 0, batchLoss: NaN, stop: false, history: [],
    get lr() { return optimizer.lr; },
    set lr(v: number) { optimizer.lr = v; },
    snapshot: () => Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, t.clone()])),
    restore: (s) => model.loadStateDict(s),
  };
}

/**
 * Trains `model` with `head`'s loss by mini-batch gradient descent.
 *
 * @example
 * const { history } = fit({ model, head: multiclass({ numClasses: 10 }), optimizer: new Optimizer(adam({ lr: 1e-3 }), model),
 *   x, y, epochs: 10, batchSize: 64, validation: { x: xv, y: yv } });
 */
export function fit(options: FitOptions): FitResult {
  const opts = withTensors(options);
  const { model, head, optimizer, x, y } = opts;
  const epochs = opts.epochs ?? 10, batchSize = opts.batchSize ?? 32;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ArgumentError('fit', `epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError('fit', `batchSize must be a positive integer, got ${batchSize}`);
  checkData(x, y, 'training');
  head.checkTargets(y);
  if (opts.validation) { checkData(opts.validation.x, opts.validation.y, 'validation'); head.checkTargets(opts.validation.y); }
  const cbs = opts.callbacks ?? [];
  const ctx = makeContext(opts, epochs);
  const rng = new Rng(opts.seed ?? 0);
  const n = x.shape[0]!;
  ctx.batches = Math.ceil(n / batchSize);
  cbs.forEach((c) => c.onTrainBegin?.(ctx));
  for (let epoch = 0; epoch < epochs && !ctx.stop; epoch++) {
    ctx.epoch = epoch;
    cbs.forEach((c) => c.onEpochBegin?.(ctx));
    const log = runEpoch(opts, ctx, cbs, rng.split(), batchSize);
    ctx.history.push(log);
    cbs.forEach((c) => c.onEpochEnd?.(ctx, log));
  }
  cbs.forEach((c) => c.onTrainEnd?.(ctx));
  model.eval();
  return { history: ctx.history, ...(ctx.stopReason ? { stopReason: ctx.stopReason } : {}) };
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
    ctx.batch = b;
    cbs.forEach((c) => c.onBatchBegin?.(ctx));
    const count = Math.min(batchSize, n - b * batchSize);
    const [xb, yb] = order ? [indexSelect(x, 0, order.subarray(b * batchSize, b * batchSize + count)), indexSelect(y, 0, order.subarray(b * batchSize, b * batchSize + count))]
      : [narrow(x, 0, b * batchSize, count), narrow(y, 0, b * batchSize, count)];
    optimizer.zeroGrad();
    const raw = model.forward(xb);
    const loss = head.loss(raw, yb);
    loss.backward();
    const lv = loss.item();
    if (opts.nanGuard ?? true) checkFinite(ctx.epoch, b, lv, params.map(([p, t]) => [`gradient of ${p}`, t.grad]));
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
 * @example const logits = predictRaw(model, x);
 */
export function predictRaw(model: Module, input: Tensor | NestedArray, batchSize = 1024): Tensor {
  const x = asTensor(input, 'predict', 'x');
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const n = x.shape[0]!;
      const parts: Tensor[] = [];
      for (let i = 0; i < n; i += batchSize) parts.push(model.forward(narrow(x, 0, i, Math.min(batchSize, n - i))));
      return concat(parts, 0);
    });
  } finally {
    model.train(wasTraining);
  }
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
  const x = asTensor(xs, 'evaluate', 'x'), y = asTensor(ys, 'evaluate', 'y');
  checkData(x, y, 'evaluation');
  head.checkTargets(y);
  const raw = predictRaw(model, x, opts.batchSize);
  const loss = noGrad(() => head.loss(raw, y)).item();
  return { loss, metrics: opts.metrics ? opts.metrics(y, raw) : {} };
}
