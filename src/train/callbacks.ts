// Training events and callbacks: the loop emits events; early stopping, LR schedules and the
// history are callbacks like any front end's (progress bars, charts, checkpoints).
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import type { ReduceLROnPlateau } from '../optim/plateau.js';
import type { CallbackState, TrainState } from './state.js';

/** Per-epoch record: training loss/metrics, validation loss/metrics, learning rate, wall time. */
export interface EpochLog {
  /** 1-based: the first epoch is 1. */
  epoch: number;
  loss: number;
  metrics: Record<string, number>;
  valLoss?: number;
  valMetrics?: Record<string, number>;
  lr: number;
  ms: number;
}

/** What callbacks can see and change during fit. */
export interface TrainContext {
  /** The epoch being run, 1-based (1 … epochs). */
  epoch: number;
  epochs: number;
  /** The batch being run, 1-based (1 … batches). */
  batch: number;
  batches: number;
  /** Loss of the last batch. */
  batchLoss: number;
  /** Set to true to stop after the current batch/epoch. */
  stop: boolean;
  stopReason?: string;
  history: EpochLog[];
  /** Learning rate of the optimizer (settable). */
  lr: number;
  /** Snapshot / restore of the model's parameters and buffers (for best-weights restore). */
  snapshot(): Record<string, Tensor>;
  restore(state: Record<string, Tensor>): void;
  /**
   * The whole run's state after the epoch that just ended (copies), for checkpoints that can be
   * resumed; valid in onEpochEnd. Callbacks after the caller in the list have not yet seen the epoch,
   * so a checkpoint callback goes last.
   */
  trainState(): TrainState;
}

/** Hooks into the loop; every hook is optional. */
export interface Callback {
  onTrainBegin?(ctx: TrainContext): void;
  onEpochBegin?(ctx: TrainContext): void;
  onBatchBegin?(ctx: TrainContext): void;
  onBatchEnd?(ctx: TrainContext): void;
  onEpochEnd?(ctx: TrainContext, log: EpochLog): void;
  onTrainEnd?(ctx: TrainContext): void;
  /** What this callback must remember across a resume (counters, best values, best weights). */
  stateDict?(): CallbackState;
  /** Restores stateDict()'s output; fit calls it after onTrainBegin when resuming. */
  loadStateDict?(state: CallbackState): void;
}

/**
 * Reads a monitored quantity ('val_loss', 'loss', 'val_accuracy', 'accuracy', ...) from a log.
 * @example
 * const log = { epoch: 1, loss: 0.4, metrics: { accuracy: 0.9 }, valLoss: 0.5, valMetrics: { accuracy: 0.85 }, lr: 0.01, ms: 12 };
 * train.monitored(log, 'val_accuracy'); // 0.85
 * train.monitored(log, 'loss');         // 0.4
 */
export function monitored(log: EpochLog, name: string): number | undefined {
  if (name === 'loss') return log.loss;
  if (name === 'val_loss') return log.valLoss;
  // Own keys only: a monitor named "constructor" or "toString" is absent, not a function.
  const own = (m: Record<string, number> | undefined, k: string): number | undefined => (m !== undefined && Object.hasOwn(m, k) ? m[k] : undefined);
  if (name.startsWith('val_')) return own(log.valMetrics, name.slice(4));
  return own(log.metrics, name);
}

export interface EarlyStoppingOptions {
  /** Quantity to watch (default 'val_loss', falling back to 'loss' without validation data). */
  monitor?: string;
  mode?: 'min' | 'max';
  /** Epochs without improvement before stopping (default 5). */
  patience?: number;
  /** Smallest change that counts as improvement. */
  minDelta?: number;
  /** Put back the best epoch's weights when stopping or at the end (default true). */
  restoreBestWeights?: boolean;
}

/**
 * Stops when the monitored quantity has not improved for `patience` epochs and (by default)
 * restores the best weights seen.
 * @example fit({ ...options, callbacks: [earlyStopping({ patience: 3 })] })
 */
export function earlyStopping(opts: EarlyStoppingOptions = {}): Callback & { bestEpoch: number } {
  const patience = opts.patience ?? 5, minDelta = opts.minDelta ?? 0;
  if (!(patience >= 0)) throw new ArgumentError('earlyStopping', `patience must be >= 0, got ${patience}`);
  let best = Infinity, wait = 0, bestState: Record<string, Tensor> | null = null;
  const cb = {
    bestEpoch: 0,
    onTrainBegin() { best = Infinity; wait = 0; bestState = null; cb.bestEpoch = 0; },
    onEpochEnd(ctx: TrainContext, log: EpochLog) {
      const name = opts.monitor ?? (log.valLoss !== undefined ? 'val_loss' : 'loss');
      const raw = monitored(log, name);
      if (raw === undefined) throw new ArgumentError('earlyStopping', `monitored quantity "${name}" is not in the epoch log; available: loss, val_loss, ${Object.keys(log.metrics).join(', ')}`);
      const mode = opts.mode ?? (name.endsWith('loss') || name.endsWith('mse') || name.endsWith('mae') ? 'min' : 'max');
      const value = mode === 'min' ? raw : -raw;
      if (value < best - minDelta) {
        best = value; wait = 0; cb.bestEpoch = log.epoch;
        if (opts.restoreBestWeights ?? true) bestState = ctx.snapshot();
      } else if (++wait > patience) {
        ctx.stop = true;
        ctx.stopReason = `early stopping: ${name} did not improve for ${patience} epochs (best at epoch ${cb.bestEpoch})`;
      }
    },
    onTrainEnd(ctx: TrainContext) { if (bestState) ctx.restore(bestState); },
    stateDict(): CallbackState {
      return { json: { kind: 'earlyStopping', best: Number.isFinite(best) ? best : null, wait, bestEpoch: cb.bestEpoch }, ...(bestState ? { tensors: bestState } : {}) };
    },
    loadStateDict(s: CallbackState) {
      const j = s.json as { kind?: unknown; best?: unknown; wait?: unknown; bestEpoch?: unknown } | null;
      if (j?.kind !== 'earlyStopping' || !Number.isInteger(j.wait) || !Number.isInteger(j.bestEpoch) || !(j.best === null || typeof j.best === 'number')) {
        throw new ArgumentError('earlyStopping.loadStateDict', `not an early-stopping state: ${JSON.stringify(s.json)}`);
      }
      best = j.best ?? Infinity; wait = j.wait as number; cb.bestEpoch = j.bestEpoch as number;
      bestState = s.tensors ?? null;
    },
  };
  return cb;
}

/**
 * Steps a ReduceLROnPlateau once per epoch on `monitor` (default val_loss, else loss) and saves its
 * counters in checkpoints, so a resumed run cuts the learning rate exactly when the original would.
 * @example fit({ ...options, callbacks: [plateauCallback(new ReduceLROnPlateau(opt, { patience: 2 }))] })
 */
export function plateauCallback(plateau: ReduceLROnPlateau, monitor?: string): Callback {
  return {
    onEpochEnd(_ctx, log) {
      const name = monitor ?? (log.valLoss !== undefined ? 'val_loss' : 'loss');
      const v = monitored(log, name);
      if (v === undefined) throw new ArgumentError('plateauCallback', `monitored quantity "${name}" is not in the epoch log`);
      plateau.step(v);
    },
    stateDict: () => {
      const p = plateau.stateDict();
      return { json: { kind: 'plateau', ...p, best: Number.isFinite(p.best) ? p.best : null } };
    },
    loadStateDict(s) {
      const j = s.json as { kind?: unknown } | null;
      if (j?.kind !== 'plateau') throw new ArgumentError('plateauCallback.loadStateDict', `not a plateau state: ${JSON.stringify(s.json)}`);
      plateau.loadStateDict(j as never);
    },
  };
}

/**
 * Sets the learning rate at the start of each epoch from a schedule `t → lr`, where t counts the
 * epochs completed before this one (0 for the first epoch, as the schedules in optim/ expect).
 * @example lrScheduler((t) => 0.1 * 0.5 ** Math.floor(t / 10))
 */
export function lrScheduler(schedule: (epoch: number, lr: number) => number): Callback {
  return {
    onEpochBegin(ctx) {
      const lr = schedule(ctx.epoch - 1, ctx.lr);
      if (!(lr >= 0 && Number.isFinite(lr))) throw new ArgumentError('lrScheduler', `schedule gave learning rate ${lr} at epoch ${ctx.epoch}`);
      ctx.lr = lr;
    },
  };
}

/** Calls `fn` after each epoch (progress output, checkpoints). @example onEpoch((log) => console.log(log.loss)) */
export function onEpoch(fn: (log: EpochLog, ctx: TrainContext) => void): Callback {
  return { onEpochEnd: (ctx, log) => fn(log, ctx) };
}
