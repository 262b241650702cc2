// One-dimensional Parzen estimators of TPE (Bergstra et al. 2011, as Optuna implements them):
// a weighted mixture of truncated normals (one per observation plus a prior) with adaptive
// bandwidths for numeric parameters, and smoothed counts for categorical ones.
import type { Rng } from '../../core/rng.js';

/** Settings shared by every estimator of a TPE sampler. */
export interface ParzenSettings {
  /** Weight of the prior component (a wide normal at the range's centre; uniform over choices). */
  priorWeight: number;
  /** Clip bandwidths below at range / min(100, 1 + n) (Optuna's "magic clip"). */
  magicClip: boolean;
  /** Keep the neighbour distance to the range ends as the outermost bandwidths (Optuna's consider_endpoints). */
  considerEndpoints: boolean;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** erfc(x) with relative error below 1.2e-7 everywhere (Numerical Recipes' erfcc, Chebyshev fit). */
function erfc(x: number): number {
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** The standard normal CDF Φ(z). */
export const normalCdf = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);

function logSumExp(xs: number[]): number {
  const m = Math.max(...xs);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
}

/** A mixture of normals truncated to [low, high]; with `step`, the mass of each grid cell of width step. */
export interface NumericEstimator { kind: 'numeric'; weights: number[]; mus: number[]; sigmas: number[]; low: number; high: number; step: number | null }
/** A distribution over choice indices. */
export interface CategoricalEstimator { kind: 'categorical'; probs: number[] }
export type Estimator = NumericEstimator | CategoricalEstimator;

/**
 * Bandwidth of each observation: the larger distance to its sorted neighbours (range ends included),
 * clipped to [range / min(100, 1 + n), range]; the prior at the centre is one of the neighbours.
 */
function bandwidths(mus: number[], low: number, high: number, step: number, s: ParzenSettings): number[] {
  const withPrior = [...mus, 0.5 * (low + high)];
  const order = withPrior.map((_, i) => i).sort((a, b) => withPrior[a]! - withPrior[b]!);
  const sorted = [low - step / 2, ...order.map((i) => withPrior[i]!), high + step / 2];
  const sig = order.map((_, k) => Math.max(sorted[k + 1]! - sorted[k]!, sorted[k + 2]! - sorted[k + 1]!));
  if (!s.considerEndpoints && sorted.length >= 4) {
    sig[0] = sorted[2]! - sorted[1]!;
    sig[sig.length - 1] = sorted[sorted.length - 2]! - sorted[sorted.length - 3]!;
  }
  const bySlot = new Array<number>(withPrior.length);
  order.forEach((i, k) => { bySlot[i] = sig[k]!; });
  const range = high - low + step;
  const min = s.magicClip ? range / Math.min(100, 1 + mus.length + 1) : 1e-12;
  return bySlot.slice(0, mus.length).map((v) => Math.min(range, Math.max(min, v)));
}

/**
 * The estimator of numeric observations (already in the sampling space: log-transformed for log ranges),
 * each observation weighted by `obsWeights`, plus the prior N((low+high)/2, range).
 * @example numericEstimator([0.2, 0.3], [1, 1], 0, 1, null, { priorWeight: 1, magicClip: true, considerEndpoints: false })
 */
export function numericEstimator(obs: number[], obsWeights: number[], low: number, high: number, step: number | null, s: ParzenSettings): NumericEstimator {
  const st = step ?? 0;
  const sigmas = [...bandwidths(obs, low, high, st, s), high - low + st];
  const mus = [...obs, 0.5 * (low + high)];
  const w = [...obsWeights, s.priorWeight];
  const total = w.reduce((a, b) => a + b, 0);
  return { kind: 'numeric', weights: w.map((x) => x / total), mus, sigmas, low, high, step };
}

/**
 * The estimator of categorical observations (choice indices): each observation spreads priorWeight/(n+1)
 * over all choices plus 1 on its own, rows normalised; the prior row is uniform; rows mixed by weight.
 * @example categoricalEstimator([0, 0, 1], [1, 1, 1], 3, { priorWeight: 1, magicClip: true, considerEndpoints: false })
 */
export function categoricalEstimator(obs: number[], obsWeights: number[], choices: number, s: ParzenSettings): CategoricalEstimator {
  const rows = obs.length + 1, base = s.priorWeight / rows;
  const w = [...obsWeights, s.priorWeight];
  const total = w.reduce((a, b) => a + b, 0);
  const probs = new Array<number>(choices).fill(0);
  for (let r = 0; r < rows; r++) {
    const own = r < obs.length ? obs[r]! : -1;
    const rowSum = base * choices + (own >= 0 ? 1 : 0);
    for (let c = 0; c < choices; c++) probs[c]! += (w[r]! / total) * (base + (c === own ? 1 : 0)) / rowSum;
  }
  return { kind: 'categorical', probs };
}

function pick(weights: number[], rng: Rng): number {
  let u = rng.uniform();
  for (let i = 0; i < weights.length; i++) { u -= weights[i]!; if (u < 0) return i; }
  return weights.length - 1;
}

/** Draws one value: a component by weight, then a normal truncated by rejection (clipped after 1000 tries). */
export function sampleEstimator(e: Estimator, rng: Rng): number {
  if (e.kind === 'categorical') return pick(e.probs, rng);
  const i = pick(e.weights, rng);
  const lo = e.low - (e.step ?? 0) / 2, hi = e.high + (e.step ?? 0) / 2;
  let x = e.mus[i]!;
  for (let tries = 0; tries < 1000; tries++) {
    const v = e.mus[i]! + e.sigmas[i]! * rng.normal();
    if (v >= lo && v <= hi) { x = v; break; }
  }
  x = Math.min(hi, Math.max(lo, x));
  if (e.step === null) return x;
  const k = Math.min(Math.round((e.high - e.low) / e.step), Math.max(0, Math.round((x - e.low) / e.step)));
  return e.low + k * e.step;
}

/** log density of `x` (continuous), or log probability mass (stepped ranges and choices). */
export function logDensity(e: Estimator, x: number): number {
  if (e.kind === 'categorical') return Math.log(e.probs[x]!);
  const st = e.step ?? 0, lo = e.low - st / 2, hi = e.high + st / 2;
  return logSumExp(e.mus.map((mu, i) => {
    const sg = e.sigmas[i]!;
    const z = normalCdf((hi - mu) / sg) - normalCdf((lo - mu) / sg);
    const logZ = Math.log(Math.max(z, 1e-300));
    const logPdf = -0.5 * ((x - mu) / sg) ** 2 - Math.log(sg) - LOG_SQRT_2PI;
    if (e.step === null) return Math.log(e.weights[i]!) + logPdf - logZ;
    const mass = normalCdf((x + st / 2 - mu) / sg) - normalCdf((x - st / 2 - mu) / sg);
    return Math.log(e.weights[i]!) + (mass > 1e-12 ? Math.log(mass) : logPdf + Math.log(st)) - logZ;
  }));
}
