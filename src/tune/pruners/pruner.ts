// The pruner interface: after each reported step, decide from every stored trial whether the
// running one should stop early. Pruners are pure functions of the trials, so any worker (or
// machine) decides the same way from the same storage.
import type { Direction, TrialRecord } from '../storage/types.js';

/** Decides whether `trial` (running, its intermediate values reported so far) stops at its latest step. */
export interface Pruner {
  readonly name: string;
  shouldPrune(trial: TrialRecord, trials: readonly TrialRecord[], direction: Direction): boolean;
}

/**
 * The trial's value at `step`, or undefined.
 * @example valueAt(result, 3) // the value reported after epoch 3
 */
export function valueAt(t: TrialRecord, step: number): number | undefined {
  for (let i = t.intermediate.length - 1; i >= 0; i--) if (t.intermediate[i]!.step === step) return t.intermediate[i]!.value;
  return undefined;
}

/** Never prunes. @example noPruner().shouldPrune(result, [], 'maximize') // false */
export function noPruner(): Pruner {
  return { name: 'none', shouldPrune: () => false };
}
