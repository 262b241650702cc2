// Hyperband (Li et al. 2018) over ASHA: trials are spread over brackets s = 0 … smax round-robin by
// trial number; bracket s runs ASHA with minEarlyStoppingRate s, comparing only trials of its bracket.
import type { Direction, TrialRecord } from '../storage/types.js';
import { type AshaOptions, ashaPruner, checkAsha } from './asha.js';
import type { Pruner } from './pruner.js';

/** Hyperband settings: ASHA's, plus the largest step a trial runs. */
export interface HyperbandOptions extends Omit<AshaOptions, 'minEarlyStoppingRate'> {
  /** The full budget of one trial in steps (epochs). */
  maxResource: number;
}

/**
 * Hyperband: ⌊log_η(maxResource / minResource)⌋ + 1 brackets, trial n in bracket n mod brackets.
 * @example const p = hyperbandPruner({ minResource: 1, reductionFactor: 3, maxResource: 27 }); // 4 brackets
 */
export function hyperbandPruner(opts: HyperbandOptions): Pruner {
  checkAsha(opts);
  const r = opts.minResource ?? 1, eta = opts.reductionFactor ?? 3;
  if (!(Number.isInteger(opts.maxResource) && opts.maxResource >= r)) throw new Error(`pruner.maxResource: expected an integer >= minResource (${r}), got ${opts.maxResource}`);
  const brackets = Math.floor(Math.log(opts.maxResource / r) / Math.log(eta) + 1e-9) + 1;
  const inner = Array.from({ length: brackets }, (_, s) => ashaPruner({ minResource: r, reductionFactor: eta, minEarlyStoppingRate: s }));
  return {
    name: 'hyperband',
    shouldPrune(trial: TrialRecord, trials: readonly TrialRecord[], direction: Direction): boolean {
      const b = trial.number % brackets;
      return inner[b]!.shouldPrune(trial, trials.filter((t) => t.number % brackets === b), direction);
    },
  };
}
