// The training loop as one step generator, driven by fit (synchronously) and fitAsync (awaiting
// callbacks, yielding to the event loop, honouring an AbortSignal): both run exactly these steps.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { concat, indexSelect, narrow } from '../ops/movement.js';
import { entries } from '../tree/tree.js';
import type { Callback, EpochLog, TrainContext } from './callbacks.js';
import { DivergenceError, checkFinite } from './guard.js';
import { type TrainState, captureRngs, cloneTensors, restoreRngs } from './state.js';
import { type DivergenceGuard, divergenceGuard } from './divergence.js';
import { evaluate } from './evaluate.js';
import type { FitOptions, FitResult } from './fit.js';
import { type CaptureStats, compileStep } from './compile.js';

/** FitOptions with its data converted to tensors and checked. */
export type TensorFitOptions = Omit<FitOptions, 'callbacks'> & { x: Tensor; y: Tensor; validation?: { x: Tensor; y: Tensor }; callbacks?: readonly AsyncCallback[] };

/** A callback whose hooks may return a Promise (fitAsync awaits it before going on; fit ignores it). */
export type AsyncCallback = Omit<Callback, Hook> & {
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onEpochBegin?(ctx: TrainContext): void | Promise<void>;
  onBatchBegin?(ctx: TrainContext): void | Promise<void>;
  onBatchEnd?(ctx: TrainContext): void | Promise<void>;
  onEpochEnd?(ctx: TrainContext, log: EpochLog): void | Promise<void>;
  onTrainEnd?(ctx: TrainContext): void | Promise<void>;
};

/** The callback hooks the loop emits, in the order a run emits them. */
export type Hook = 'onTrainBegin' | 'onEpochBegin' | 'onBatchBegin' | 'onBatchEnd' | 'onEpochEnd' | 'onTrainEnd';

/** One point where the driver calls every callback's `hook` (with the epoch log for onEpochEnd). */
export interface LoopEvent { hook: Hook; log?: EpochLog }

/** What a finished run returns to its driver; `aborted` runs stopped between batches on request. */
export interface LoopResult { result: FitResult; aborted: boolean }

/** A prepared run: its context, callbacks and the step generator the driver advances. */
export interface FitLoop { ctx: TrainContext; callbacks: readonly AsyncCallback[]; steps: Generator<LoopEvent, LoopResult, void> }

interface Run { opts: TensorFitOptions; ctx: TrainContext; cbs: readonly AsyncCallback[]; rng: Rng; guard: DivergenceGuard; step: BatchStep }

/** One batch's forward, loss and backward: [loss, raw outputs]; compiled (captured) unless `capture: false`. */
type BatchStep = ((xb: Tensor, yb: Tensor) => readonly Tensor[]) & { stats?: CaptureStats };

function batchStep(opts: TensorFitOptions): BatchStep {
  const { model, head } = opts;
  const eager = (xb: Tensor, yb: Tensor): readonly Tensor[] => {
    // The pure step: train mode, the model's state in, the new state (running statistics, stream positions) out.
    const out = model.apply(model.params, xb, { mode: 'train', state: model.state });
    model.loadState(out.state);
    const raw = out.y;
    const loss = head.loss(raw, yb);
    loss.backward();
    return [loss, raw];
  };
  return opts.capture === false ? eager : compileStep(eager, { module: model });
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
 * Prepares a run of `opts` (already converted and checked) and returns its step generator: it
 * yields a LoopEvent wherever callbacks run, and returns the result. `abort` is asked before every
 * batch; when it answers true the run ends there (the model keeps the last completed batch's
 * weights, onTrainEnd is not emitted). An error thrown into the generator at an event (a callback's)
 * is handled as if the callback had thrown inside the loop.
 * @example
 * const ctl = new AbortController();
 * const { ctx, callbacks, steps } = fitLoop(opts, 10, 32, () => ctl.signal.aborted);
 */
export function fitLoop(opts: TensorFitOptions, epochs: number, batchSize: number, abort: () => boolean = () => false): FitLoop {
  const run = { opts, cbs: opts.callbacks ?? [], rng: new Rng(opts.seed ?? 0), guard: divergenceGuard(opts.model, opts.divergenceFactor === undefined ? 1e3 : opts.divergenceFactor), step: batchStep(opts) } as Run;
  run.ctx = makeContext(opts, epochs, () => captureState(run));
  run.ctx.batches = Math.ceil(opts.x.shape[0]! / batchSize);
  return { ctx: run.ctx, callbacks: run.cbs, steps: steps(run, epochs, batchSize, abort) };
}

function* steps(run: Run, epochs: number, batchSize: number, abort: () => boolean): Generator<LoopEvent, LoopResult, void> {
  const { opts, ctx } = run;
  yield { hook: 'onTrainBegin' };
  const done = opts.resume ? resumeFrom(run, opts.resume) : 0;
  let aborted = false;
  try {
    for (let epoch = done + 1; epoch <= epochs && !ctx.stop; epoch++) {
      ctx.epoch = epoch;
      yield { hook: 'onEpochBegin' };
      const log = yield* runEpoch(opts, ctx, run.rng.split(), batchSize, abort, run.step);
      if (log === null) { aborted = true; break; }
      ctx.history.push(log);
      run.guard.check(log, ctx.batches);
      yield { hook: 'onEpochEnd', log };
    }
  } catch (e) {
    if (e instanceof DivergenceError) run.guard.onDiverged(e, ctx.history);
    throw e;
  }
  if (aborted) ctx.stopReason = `aborted before batch ${ctx.batch} of ${ctx.batches} in epoch ${ctx.epoch}`;
  const state = captureState(run);
  if (!aborted) yield { hook: 'onTrainEnd' };
  opts.model.eval();
  const capture = run.step.stats ? { ...run.step.stats } : null;
  return { result: { history: ctx.history, ...(ctx.stopReason ? { stopReason: ctx.stopReason } : {}), state, capture }, aborted };
}

/** One epoch's batches; returns its log, or null when `abort` answered true before a batch. */
function* runEpoch(opts: TensorFitOptions, ctx: TrainContext, rng: Rng, batchSize: number, abort: () => boolean, step: BatchStep): Generator<LoopEvent, EpochLog | null, void> {
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
    if (abort()) return null;
    yield { hook: 'onBatchBegin' };
    const count = Math.min(batchSize, n - b * batchSize);
    const [xb, yb] = order ? [indexSelect(x, 0, order.subarray(b * batchSize, b * batchSize + count)), indexSelect(y, 0, order.subarray(b * batchSize, b * batchSize + count))]
      : [narrow(x, 0, b * batchSize, count), narrow(y, 0, b * batchSize, count)];
    optimizer.zeroGrad();
    const [loss, raw] = step(xb!, yb!) as [Tensor, Tensor];
    const lv = loss.item();
    if (opts.nanGuard ?? true) checkFinite(ctx.epoch, b + 1, lv, params.map(([p, t]) => [`gradient of ${p}`, t.grad]));
    optimizer.step();
    lossSum += lv * count;
    ctx.batchLoss = lv;
    // (A replayed step's outputs are overwritten by the next batch: keep a copy.)
    if (opts.metrics) { outs.push(raw.clone()); targets.push(yb!); }
    yield { hook: 'onBatchEnd' };
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
 * Calls one callback's hook for `ev` and returns what it returned (fitAsync awaits a Promise; fit ignores it).
 * @example
 * const { ctx, callbacks, steps } = fitLoop(opts, 10, 32);
 * for (let r = steps.next(); !r.done; r = steps.next()) for (const c of callbacks) callHook(c, r.value, ctx);
 */
export function callHook(c: AsyncCallback, ev: LoopEvent, ctx: TrainContext): void | Promise<void> {
  return ev.hook === 'onEpochEnd' ? c.onEpochEnd?.(ctx, ev.log!) : c[ev.hook]?.(ctx);
}
