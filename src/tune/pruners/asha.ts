// Asynchronous successive halving (ASHA; Li et al. 2020, as Optuna's SuccessiveHalvingPruner): rung k
// sits at step minResource·η^(k+s); a trial reaching a rung goes on only if its value there is among
// the best 1/η of every trial that has reached that rung so far — decided at once, without waiting.
import type { Direction, TrialRecord } from '../storage/types.js';
import { type Pruner, valueAt } from './pruner.js';

/** ASHA settings. */
export interface AshaOptions {
  /** Steps (epochs) every trial runs before its first rung (default 1). */
  minResource?: number;
  /** η: the fraction 1/η of trials promoted at each rung (default 3). */
  reductionFactor?: number;
  /** s: the first rung is at minResource·η^s (default 0). */
  minEarlyStoppingRate?: number;
}

/**
 * The rung steps up to `maxStep`: minResource·η^(k+s) for k = 0, 1, ….
 * @example rungSteps({ minResource: 1, reductionFactor: 3 }, 30) // [1, 3, 9, 27]
 */
export function rungSteps(opts: AshaOptions, maxStep: number): number[] {
  const r = opts.minResource ?? 1, eta = opts.reductionFactor ?? 3, s = opts.minEarlyStoppingRate ?? 0;
  const out: number[] = [];
  for (let k = 0; r * eta ** (k + s) <= maxStep; k++) out.push(r * eta ** (k + s));
  return out;
}

/** Checks ASHA's settings; the error names the bad field. */
export function checkAsha(opts: AshaOptions): void {
  const { minResource = 1, reductionFactor = 3, minEarlyStoppingRate = 0 } = opts;
  if (!(Number.isInteger(minResource) && minResource >= 1)) throw new Error(`pruner.minResource: expected a positive integer, got ${minResource}`);
  if (!(Number.isInteger(reductionFactor) && reductionFactor >= 2)) throw new Error(`pruner.reductionFactor: expected an integer >= 2, got ${reductionFactor}`);
  if (!(Number.isInteger(minEarlyStoppingRate) && minEarlyStoppingRate >= 0)) throw new Error(`pruner.minEarlyStoppingRate: expected a non-negative integer, got ${minEarlyStoppingRate}`);
}

/**
 * Is `value` among the best ⌊n/η⌋ (at least the best one) of `competing` (which includes it)?
 * @example promotable(0.9, [0.9, 0.5, 0.7], 3, 'maximize') // true
 */
export function promotable(value: number, competing: number[], eta: number, direction: Direction): boolean {
  if (Number.isNaN(value)) return false;
  const sorted = competing.filter((v) => !Number.isNaN(v)).sort((a, b) => (direction === 'maximize' ? b - a : a - b));
  const k = Math.max(0, Math.floor(sorted.length / eta) - 1);
  return direction === 'maximize' ? value >= sorted[k]! : value <= sorted[k]!;
}

/**
 * ASHA: at each rung step the trial is pruned unless promotable among all trials' values at that rung.
 * @example const p = ashaPruner({ minResource: 1, reductionFactor: 3 });
 */
export function ashaPruner(opts: AshaOptions = {}): Pruner {
  checkAsha(opts);
  const r = opts.minResource ?? 1, eta = opts.reductionFactor ?? 3, s = opts.minEarlyStoppingRate ?? 0;
  return {
    name: 'asha',
    shouldPrune(trial: TrialRecord, trials: readonly TrialRecord[], direction: Direction): boolean {
      const last = trial.intermediate.at(-1);
      if (!last) return false;
      const k = Math.log(last.step / r) / Math.log(eta) - s;
      const rung = Math.round(k);
      if (rung < 0 || Math.abs(k - rung) > 1e-9 || r * eta ** (rung + s) !== last.step) return false;
      // Failed trials do not compete: a killed trial's values would count its parameters twice beside its retry.
      const competing = trials.filter((t) => t.number !== trial.number && t.state !== 'failed').map((t) => valueAt(t, last.step)).filter((v): v is number => v !== undefined);
      return !promotable(last.value, [...competing, last.value], eta, direction);
    },
  };
}
