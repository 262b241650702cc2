// The Tree-structured Parzen Estimator (Bergstra et al. 2011), univariate as Optuna's default
// TPESampler: split finished trials into the best γ(n) ("good") and the rest; per parameter, fit a
// Parzen estimator l(x) to the good trials' values and g(x) to the others'; draw n_ei candidates
// from l and keep the one with the largest l(x)/g(x) (the expected-improvement maximiser).
import type { Rng } from '../../core/rng.js';
import type { Direction, ParamValue, TrialRecord } from '../storage/types.js';
import { type ParamDef, isActive } from '../space.js';
import { type Estimator, type ParzenSettings, categoricalEstimator, logDensity, numericEstimator, sampleEstimator } from './parzen.js';
import { sampleUniform } from './random.js';
import { type SampleContext, type Sampler, paramStream, trialScore } from './sampler.js';

/** TPE's settings (Optuna's defaults). */
export interface TpeOptions {
  seed?: number;
  /** Trials sampled at random before TPE starts (default 10). */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per parameter (default 24). */
  nEiCandidates?: number;
  /** How many of n finished trials count as good (default min(ceil(0.1 n), 25)). */
  gamma?: (n: number) => number;
  /** Prior component weight (default 1). */
  priorWeight?: number;
  magicClip?: boolean;
  considerEndpoints?: boolean;
}

/** Optuna's default γ(n) = min(⌈0.1 n⌉, 25). @example defaultGamma(40) // 4 */
export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

/**
 * Optuna's default observation weights, oldest first: all 1 under 25 observations, else a ramp from
 * 1/n to 1 over the oldest n − 25 and 1 for the newest 25.
 * @example defaultWeights(3) // [1, 1, 1]
 */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = Array.from({ length: n - 25 }, (_, i) => (n - 25 === 1 ? 1 / n : 1 / n + (i * (1 - 1 / n)) / (n - 26)));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

/**
 * Finished trials ranked best first: complete trials by value, then pruned trials (more epochs
 * first, then by their last value), as Optuna ranks them.
 */
export function rankTrials(trials: readonly TrialRecord[], direction: Direction): TrialRecord[] {
  const sign = direction === 'minimize' ? 1 : -1;
  const scored = trials.filter((t) => trialScore(t) !== null);
  return scored.sort((a, b) => {
    if (a.state !== b.state) return a.state === 'complete' ? -1 : 1;
    if (a.state === 'pruned' && a.intermediate.length !== b.intermediate.length) return b.intermediate.length - a.intermediate.length;
    return sign * (trialScore(a)! - trialScore(b)!) || a.number - b.number;
  });
}

/** Where a parameter is modelled: log space for log ranges, its step kept for stepped linear ones. */
function internal(p: Extract<ParamDef, { type: 'int' | 'float' }>): { low: number; high: number; step: number | null; to: (v: number) => number; from: (v: number) => number } {
  if (!p.log) return { low: p.low, high: p.high, step: p.step, to: (v) => v, from: (v) => v };
  const half = (p.step ?? 0) / 2;
  return { low: Math.log(p.low - half), high: Math.log(p.high + half), step: null, to: Math.log, from: Math.exp };
}

function estimator(p: ParamDef, trials: TrialRecord[], s: ParzenSettings): Estimator {
  const values = trials.map((t) => t.params[p.name]!);
  const w = defaultWeights(values.length);
  if (p.type === 'categorical') return categoricalEstimator(values.map((v) => p.choices.findIndex((c) => c === v)), w, p.choices.length, s);
  const t = internal(p);
  return numericEstimator(values.map((v) => t.to(v as number)), w, t.low, t.high, t.step, s);
}

function toValue(p: ParamDef, x: number): ParamValue {
  if (p.type === 'categorical') return p.choices[x]!;
  const v = internal(p).from(x);
  if (p.step === null) return Math.min(p.high, Math.max(p.low, v));
  const n = Math.round((p.high - p.low) / p.step);
  return Number((p.low + Math.min(n, Math.max(0, Math.round((v - p.low) / p.step))) * p.step).toPrecision(12));
}

/**
 * The TPE sampler. Each parameter is modelled on its own (conditional ones from the trials where
 * they were active); its candidates come from a stream seeded by (seed, trial, parameter), so a
 * study is reproducible for a seed when trials finish in the same order.
 * @example const s = tpeSampler({ seed: 1 }); // 10 random trials, then TPE
 */
export function tpeSampler(opts: TpeOptions = {}): Sampler {
  const seed = opts.seed ?? 0, nStartup = opts.nStartupTrials ?? 10, nEi = opts.nEiCandidates ?? 24, gamma = opts.gamma ?? defaultGamma;
  const settings: ParzenSettings = { priorWeight: opts.priorWeight ?? 1, magicClip: opts.magicClip ?? true, considerEndpoints: opts.considerEndpoints ?? false };
  return {
    name: 'tpe',
    sample(ctx: SampleContext): Record<string, ParamValue> {
      const ranked = rankTrials(ctx.trials, ctx.direction);
      const nBelow = Math.max(0, Math.min(ranked.length, gamma(ranked.length)));
      const below = ranked.slice(0, nBelow).sort((a, b) => a.number - b.number);
      const above = ranked.slice(nBelow).sort((a, b) => a.number - b.number);
      const chosen: Record<string, ParamValue> = {};
      for (const p of ctx.space.params) {
        if (!isActive(p, chosen)) continue;
        const rng = paramStream(seed, ctx.number, p.name);
        if (ranked.length < nStartup) { chosen[p.name] = sampleUniform(p, rng); continue; }
        const has = (t: TrialRecord): boolean => Object.hasOwn(t.params, p.name) && t.params[p.name] !== null;
        const l = estimator(p, below.filter(has), settings), g = estimator(p, above.filter(has), settings);
        chosen[p.name] = toValue(p, bestCandidate(l, g, nEi, rng));
      }
      return chosen;
    },
  };
}

/** The candidate drawn from l with the largest log l(x) − log g(x) (first one on ties). */
function bestCandidate(l: Estimator, g: Estimator, n: number, rng: Rng): number {
  let best = NaN, bestScore = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = sampleEstimator(l, rng);
    const score = logDensity(l, x) - logDensity(g, x);
    if (Number.isNaN(best) || score > bestScore) { best = x; bestScore = score; }
  }
  return best;
}
