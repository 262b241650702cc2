// The pruners by name, and the JSON settings a study stores so every worker prunes the same way.
import { type AshaOptions, ashaPruner } from './asha.js';
import { type HyperbandOptions, hyperbandPruner } from './hyperband.js';
import { type MedianOptions, medianPruner } from './median.js';
import { type Pruner, noPruner } from './pruner.js';

/** A pruner as stored in a study. */
export type PrunerSettings = { name: 'none' } | ({ name: 'median' } & MedianOptions) | ({ name: 'asha' } & AshaOptions) | ({ name: 'hyperband' } & HyperbandOptions);

/** Pruner names `prunerFrom` knows. */
export const PRUNER_NAMES = ['median', 'asha', 'hyperband', 'none'] as const;

const KEYS: Record<string, string[]> = {
  none: [], median: ['nStartupTrials', 'nWarmupSteps', 'nMinTrials'], asha: ['minResource', 'reductionFactor', 'minEarlyStoppingRate'], hyperband: ['minResource', 'reductionFactor', 'maxResource'],
};

/**
 * The pruner of stored settings; unknown names or keys are errors naming them.
 * @example prunerFrom({ name: 'asha', reductionFactor: 3 })
 */
export function prunerFrom(settings: PrunerSettings): Pruner {
  const allowed = KEYS[settings.name];
  if (!allowed || !Object.hasOwn(KEYS, settings.name)) throw new Error(`pruner.name: expected one of ${PRUNER_NAMES.join(', ')}, got ${JSON.stringify(settings.name)}`);
  for (const [k, v] of Object.entries(settings)) {
    if (k === 'name') continue;
    if (!allowed.includes(k)) throw new Error(`pruner.${k}: unknown ${settings.name} pruner setting; allowed: ${allowed.join(', ') || 'none'}`);
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0)) throw new Error(`pruner.${k}: expected a non-negative integer, got ${JSON.stringify(v)}`);
  }
  switch (settings.name) {
    case 'none': return noPruner();
    case 'median': return medianPruner(settings);
    case 'asha': return ashaPruner(settings);
    case 'hyperband': return hyperbandPruner(settings);
  }
}

export { ashaPruner, rungSteps } from './asha.js';
export { hyperbandPruner } from './hyperband.js';
export { medianPruner } from './median.js';
export { noPruner } from './pruner.js';
export type { Pruner } from './pruner.js';
export type { AshaOptions } from './asha.js';
export type { MedianOptions } from './median.js';
export type { HyperbandOptions } from './hyperband.js';
