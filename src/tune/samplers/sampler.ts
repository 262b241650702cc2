// The sampler interface (grid, random, TPE, or a user's own) and the seeded random streams samplers
// draw from: one stream per (seed, trial number, parameter), so a trial's parameters do not depend on
// which process proposed it or on how many other parameters the space has.
import { Key, type Rng } from '../../core/rng.js';
import type { Direction, ParamValue, TrialRecord } from '../storage/types.js';
import type { SearchSpace } from '../space.js';

/** What a sampler sees when it proposes the parameters of trial `number`. */
export interface SampleContext {
  space: SearchSpace;
  /** Every trial stored so far (any state), by number. */
  trials: readonly TrialRecord[];
  direction: Direction;
  /** The number the new trial will get. */
  number: number;
}

/** Proposes one trial's parameters: a value for every parameter whose conditions hold, none for the others. */
export interface Sampler {
  readonly name: string;
  sample(ctx: SampleContext): Record<string, ParamValue>;
}

/**
 * The random stream of parameter `param` of trial `trial` under `seed`.
 * @example paramStream(1, 0, 'train.lr').uniform()
 */
export function paramStream(seed: number, trial: number, param: string): Rng {
  return Key.of(seed).fold(trial).fold(param).stream();
}

/** The objective value a finished trial counts with: complete trials' value; pruned ones their last reported value. */
export function trialScore(t: TrialRecord): number | null {
  if (t.state === 'complete') return t.value !== null && Number.isFinite(t.value) ? t.value : null;
  if (t.state === 'pruned') {
    const v = t.value ?? t.intermediate.at(-1)?.value ?? null;
    return v !== null && Number.isFinite(v) ? v : null;
  }
  return null;
}
