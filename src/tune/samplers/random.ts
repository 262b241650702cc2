// Random search: every active parameter drawn independently and uniformly (in log space for log
// ranges, on the step grid for stepped ones), from a stream seeded by (seed, trial, parameter).
import type { Rng } from '../../core/rng.js';
import type { ParamValue } from '../storage/types.js';
import { type ParamDef, isActive } from '../space.js';
import { type SampleContext, type Sampler, paramStream } from './sampler.js';

/** Rounds `v` onto low + k·step inside [low, high] (k an integer), without drifting off the grid. */
export function snapToStep(v: number, low: number, high: number, step: number): number {
  const n = Math.round((high - low) / step);
  const k = Math.min(n, Math.max(0, Math.round((v - low) / step)));
  return Number((low + k * step).toPrecision(12));
}

/**
 * One value of `param` drawn from its prior (uniform over the range, log-uniform for log ranges).
 * @example sampleUniform({ name: 'lr', type: 'float', low: 1e-4, high: 1, log: true, step: null, when: [] }, new Rng(1))
 */
export function sampleUniform(param: ParamDef, rng: Rng): ParamValue {
  if (param.type === 'categorical') return param.choices[rng.int(param.choices.length)]!;
  const { low, high, step, log } = param;
  if (log) {
    const lo = Math.log(step === null ? low : low - step / 2), hi = Math.log(step === null ? high : high + step / 2);
    const v = Math.exp(lo + rng.uniform() * (hi - lo));
    return step === null ? Math.min(high, Math.max(low, v)) : snapToStep(v, low, high, step);
  }
  if (step === null) return low + rng.uniform() * (high - low);
  const n = Math.round((high - low) / step);
  return snapToStep(low + rng.int(n + 1) * step, low, high, step);
}

/**
 * Random search, reproducible per seed: trial N's parameters depend only on (seed, N).
 * @example randomSampler({ seed: 1 }).sample({ space: parseSpace({ x: { type: 'int', low: 1, high: 9 } }), trials: [], direction: 'maximize', number: 0 });
 */
export function randomSampler(opts: { seed?: number } = {}): Sampler {
  const seed = opts.seed ?? 0;
  return {
    name: 'random',
    sample(ctx: SampleContext): Record<string, ParamValue> {
      const chosen: Record<string, ParamValue> = {};
      for (const p of ctx.space.params) if (isActive(p, chosen)) chosen[p.name] = sampleUniform(p, paramStream(seed, ctx.number, p.name));
      return chosen;
    },
  };
}
