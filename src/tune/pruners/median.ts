// Median pruning (Golovin et al. 2017, Google Vizier; as Optuna's MedianPruner): stop a trial whose
// best value so far is worse than the median of the completed trials' values at the same step.
import type { Direction, TrialRecord } from '../storage/types.js';
import { type Pruner, valueAt } from './pruner.js';

/** Median pruner settings (Optuna's defaults). */
export interface MedianOptions {
  /** No pruning until this many trials have completed (default 5). */
  nStartupTrials?: number;
  /** No pruning before this step (epoch) (default 0). */
  nWarmupSteps?: number;
  /** Need at least this many completed trials reporting the step (default 1). */
  nMinTrials?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/**
 * At step s ≥ nWarmupSteps, with ≥ nStartupTrials complete trials: prune when the trial's best value
 * up to s is worse than the median over complete trials of their value at s (NaN prunes).
 * @example const p = medianPruner({ nStartupTrials: 5, nWarmupSteps: 2 });
 */
export function medianPruner(opts: MedianOptions = {}): Pruner {
  const nStartup = opts.nStartupTrials ?? 5, warmup = opts.nWarmupSteps ?? 0, nMin = opts.nMinTrials ?? 1;
  return {
    name: 'median',
    shouldPrune(trial: TrialRecord, trials: readonly TrialRecord[], direction: Direction): boolean {
      const last = trial.intermediate.at(-1);
      if (!last || last.step < warmup) return false;
      const complete = trials.filter((t) => t.state === 'complete' && t.number !== trial.number);
      if (complete.length < nStartup) return false;
      if (Number.isNaN(last.value)) return true;
      const at = complete.map((t) => valueAt(t, last.step)).filter((v): v is number => v !== undefined && Number.isFinite(v));
      if (at.length < nMin) return false;
      const values = trial.intermediate.map((r) => r.value).filter((v) => !Number.isNaN(v));
      const best = direction === 'maximize' ? Math.max(...values) : Math.min(...values);
      const m = median(at);
      return direction === 'maximize' ? best < m : best > m;
    },
  };
}
