// Grid search: every combination of the space's values (categorical choices, each step of a stepped
// or integer range; conditional parameters only where they apply), in an order shuffled by the seed.
import { Rng } from '../../core/rng.js';
import type { ParamValue } from '../storage/types.js';
import { type ParamDef, type SearchSpace, SpaceError, isActive } from '../space.js';
import type { SampleContext, Sampler } from './sampler.js';

/** The most combinations a grid may have. */
export const MAX_GRID = 100_000;

function valuesOf(p: ParamDef): ParamValue[] {
  if (p.type === 'categorical') return p.choices;
  if (p.step === null) throw new SpaceError(p.name, `grid search needs a finite set of values: give the float range a "step", or use categorical choices`);
  const n = Math.round((p.high - p.low) / p.step);
  if (n + 1 > MAX_GRID) throw new SpaceError(p.name, `${n + 1} grid values; grid search allows at most ${MAX_GRID} combinations (use random or tpe)`);
  return Array.from({ length: n + 1 }, (_, k) => Number((p.low + k * p.step!).toPrecision(12)));
}

/**
 * Every combination of the space, conditional parameters included only where their conditions hold.
 * @example gridOf(parseSpace({ a: { type: 'categorical', choices: [1, 2] } })) // [{ a: 1 }, { a: 2 }]
 */
export function gridOf(space: SearchSpace): Record<string, ParamValue>[] {
  let combos: Record<string, ParamValue>[] = [{}];
  for (const p of space.params) {
    const vals = valuesOf(p);
    combos = combos.flatMap((c) => (isActive(p, c) ? vals.map((v) => ({ ...c, [p.name]: v })) : [c]));
    if (combos.length > MAX_GRID) throw new SpaceError(p.name, `the grid has more than ${MAX_GRID} combinations; narrow the space or use random or tpe`);
  }
  return combos;
}

/**
 * Grid search: each new trial gets the first combination of the seeded shuffle that no trial holds
 * (failed trials release theirs, so it is tried again); tune() caps a grid study at the grid size.
 * @example const s = gridSampler({ seed: 0 });
 */
export function gridSampler(opts: { seed?: number } = {}): Sampler {
  const seed = opts.seed ?? 0;
  let cache: { space: SearchSpace; order: Record<string, ParamValue>[] } | null = null;
  return {
    name: 'grid',
    sample(ctx: SampleContext): Record<string, ParamValue> {
      if (cache?.space !== ctx.space) {
        const all = gridOf(ctx.space);
        const perm = new Rng(seed).permutation(all.length);
        cache = { space: ctx.space, order: Array.from(perm, (i) => all[i]!) };
      }
      // The first combination (in the shuffled order) that no live trial holds: a failed one is tried again.
      const taken = new Set(ctx.trials.filter((t) => t.state !== 'failed').map((t) => JSON.stringify(t.params)));
      const next = cache.order.find((c) => !taken.has(JSON.stringify(c)));
      return { ...(next ?? cache.order[ctx.trials.length % cache.order.length]!) };
    },
  };
}
