// Parameter importance by the correlation ratio η² (Pearson 1905): for each parameter, the complete
// trials where it was active are grouped — by choice for categorical parameters, into up to `bins`
// equal-count bins of its value for numeric ones — and η² = Σ_b n_b (ȳ_b − ȳ)² / Σ_i (y_i − ȳ)², the
// share of the metric's variance explained by which group a trial's value fell in (0 … 1). It sees
// each parameter alone (no interactions, unlike fANOVA) and reads high on few trials: a guide, not a test.
import type { TrialRecord } from './storage/types.js';
import type { SearchSpace } from './space.js';

/** One parameter's importance. */
export interface Importance { param: string; eta2: number; trials: number }

/**
 * η² of every parameter over the complete trials, largest first (parameters seen in < 3 trials are left out).
 * @example importance(parseSpace({ 'train.lr': { type: 'float', low: 1e-4, high: 0.1, log: true } }), []) // [] until 3 trials completed
 */
export function importance(space: SearchSpace, trials: readonly TrialRecord[], bins = 5): Importance[] {
  const done = trials.filter((t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value));
  const out: Importance[] = [];
  for (const p of space.params) {
    const seen = done.filter((t) => Object.hasOwn(t.params, p.name) && t.params[p.name] !== null);
    if (seen.length < 3) continue;
    let groups: number[][];
    if (p.type === 'categorical') {
      const by = new Map<string, number[]>();
      for (const t of seen) { const k = JSON.stringify(t.params[p.name]); by.set(k, [...(by.get(k) ?? []), t.value!]); }
      groups = [...by.values()];
    } else {
      const sorted = [...seen].sort((a, b) => (a.params[p.name] as number) - (b.params[p.name] as number));
      const k = Math.min(bins, sorted.length);
      groups = Array.from({ length: k }, (_, b) => sorted.slice(Math.floor((b * sorted.length) / k), Math.floor(((b + 1) * sorted.length) / k)).map((t) => t.value!));
    }
    out.push({ param: p.name, eta2: correlationRatio(groups), trials: seen.length });
  }
  return out.sort((a, b) => b.eta2 - a.eta2);
}

/**
 * η² of grouped values: between-group sum of squares over total sum of squares (0 when all values are equal).
 * @example correlationRatio([[1, 1], [3, 3]]) // 1
 */
export function correlationRatio(groups: number[][]): number {
  const all = groups.flat();
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  const total = all.reduce((a, y) => a + (y - mean) ** 2, 0);
  if (!(total > 0)) return 0;
  const between = groups.reduce((a, g) => (g.length ? a + g.length * ((g.reduce((x, y) => x + y, 0) / g.length) - mean) ** 2 : a), 0);
  return Math.min(1, between / total);
}
