// The samplers by name, and the JSON settings a study stores so every worker samples the same way.
import { gridSampler } from './grid.js';
import { randomSampler } from './random.js';
import type { Sampler } from './sampler.js';
import { type TpeOptions, tpeSampler } from './tpe.js';

/** A sampler as stored in a study: `{ name: 'tpe', seed: 1, nStartupTrials: 10, ... }`. */
export type SamplerSettings =
  | { name: 'random' | 'grid' | 'tpe'; seed?: number }
  | ({ name: 'tpe' } & Omit<TpeOptions, 'gamma'>);

/** Sampler names `samplerFrom` knows. */
export const SAMPLER_NAMES = ['tpe', 'random', 'grid'] as const;

const TPE_KEYS = ['name', 'seed', 'nStartupTrials', 'nEiCandidates', 'priorWeight', 'magicClip', 'considerEndpoints'];

/**
 * The sampler of stored settings; unknown names or keys are errors naming them.
 * @example samplerFrom({ name: 'tpe', seed: 3 })
 */
export function samplerFrom(settings: SamplerSettings): Sampler {
  const allowed = settings.name === 'tpe' ? TPE_KEYS : ['name', 'seed'];
  for (const k of Object.keys(settings)) if (!allowed.includes(k)) throw new Error(`sampler.${k}: unknown ${settings.name} sampler setting; allowed: ${allowed.join(', ')}`);
  if (settings.seed !== undefined && !(Number.isInteger(settings.seed) && settings.seed >= 0)) throw new Error(`sampler.seed: expected a non-negative integer, got ${JSON.stringify(settings.seed)}`);
  switch (settings.name) {
    case 'random': return randomSampler(settings);
    case 'grid': return gridSampler(settings);
    case 'tpe': return tpeSampler(settings);
    default: throw new Error(`sampler.name: expected one of ${SAMPLER_NAMES.join(', ')}, got ${JSON.stringify((settings as { name: unknown }).name)}`);
  }
}

export { gridSampler, gridOf } from './grid.js';
export { randomSampler } from './random.js';
export { tpeSampler, defaultGamma, defaultWeights } from './tpe.js';
export type { Sampler, SampleContext } from './sampler.js';
export type { TpeOptions } from './tpe.js';
