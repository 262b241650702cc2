// The divergence guard of fit(): remembers the best epoch loss and its weights, stops a run whose
// loss grows past `factor` × that best, and puts the best weights back when a run diverges.
import { ArgumentError } from '../core/errors.js';
import type { Module } from '../nn/module.js';
import type { EpochLog } from './callbacks.js';
import { DivergenceError } from './guard.js';
import { type GuardState, cloneTensors } from './state.js';

/** What fit() asks of the guard once per epoch, on divergence, and for checkpoints. */
export interface DivergenceGuard {
  /** Throws DivergenceError when the epoch's loss is beyond the factor; else records a new best. */
  check(log: EpochLog, batches: number): void;
  /** Restores the best epoch's weights (when there was one) and attaches the history to the error. */
  onDiverged(e: DivergenceError, history: EpochLog[]): void;
  stateDict(): GuardState;
  loadStateDict(s: GuardState): void;
}

/**
 * The guard over `model`. A loss counts as diverged when it is above `factor` × the best epoch loss
 * AND above the first epoch's loss (so a run converging towards 0 is never flagged for noise at
 * 1e-9); `factor` null turns the growth check off (non-finite values are still caught by the NaN guard).
 * @example const g = divergenceGuard(model, 1e3); g.check(log, 10);
 */
export function divergenceGuard(model: Module, factor: number | null): DivergenceGuard {
  if (factor !== null && !(typeof factor === 'number' && factor > 1)) throw new ArgumentError('fit', `divergenceFactor must be a number > 1 or null (no growth check), got ${String(factor)}`);
  let s: GuardState = { best: null, bestEpoch: 0 };
  let first: number | null = null;
  return {
    check(log, batches) {
      first ??= log.loss;
      const { best } = s;
      if (factor !== null && best !== null && best > 0 && log.loss > factor * best && log.loss > first) {
        throw new DivergenceError(log.epoch, batches, 'the epoch training loss', `is ${log.loss.toPrecision(4)}, more than ${factor}× the best ${best.toPrecision(4)} (epoch ${s.bestEpoch})`);
      }
      if (best === null || log.loss < best) s = { best: log.loss, bestEpoch: log.epoch, bestWeights: cloneTensors(model.stateDict()) };
    },
    onDiverged(e, history) {
      if (s.bestWeights) model.loadStateDict(s.bestWeights);
      e.history = history;
      e.bestEpoch = s.bestWeights ? s.bestEpoch : null;
    },
    stateDict: () => ({ ...s, ...(first !== null ? { first } : {}) }),
    loadStateDict(saved) {
      if (!(saved.best === null || typeof saved.best === 'number') || !Number.isInteger(saved.bestEpoch)) throw new ArgumentError('fit', `resume: not a divergence-guard state: ${JSON.stringify({ best: saved.best, bestEpoch: saved.bestEpoch })}`);
      s = { best: saved.best, bestEpoch: saved.bestEpoch, ...(saved.bestWeights ? { bestWeights: saved.bestWeights } : {}) };
      first = saved.first ?? null;
    },
  };
}
