// JS reference kernels of training-mode batch normalisation over [n, c, l] (NCHW, l = h·w): statistics, forward, gradient.
//
// Every sum is a float64 accumulation (two passes for the variance), the results rounded once to the
// storage's dtype; the WASM kernels (assembly/norm.as) follow the same formulas in float32 SIMD with
// float64 accumulators, so they agree to a few float32 ulps.
import type { Storage } from '../../core/dtype.js';
import type { WindowGeometry } from '../backend.js';
import { maxPoolGradJs, maxPoolJs } from './conv.js';

/** Mean and biased variance of channel `ch` of x [n, c, l]: Σx/M, then Σ(x − mean)²/M (M = n·l). */
function moments(x: Storage, n: number, c: number, l: number, ch: number): [number, number] {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const o = (i * c + ch) * l;
    for (let j = 0; j < l; j++) s += x[o + j]!;
  }
  const mean = s / (n * l);
  let q = 0;
  for (let i = 0; i < n; i++) {
    const o = (i * c + ch) * l;
    for (let j = 0; j < l; j++) { const d = x[o + j]! - mean; q += d * d; }
  }
  return [mean, q / (n * l)];
}

/** See Backend.batchNormStats. */
export function batchNormStatsJs(x: Storage, mean: Storage, variance: Storage, n: number, c: number, l: number): void {
  for (let ch = 0; ch < c; ch++) [mean[ch], variance[ch]] = moments(x, n, c, l, ch);
}

/** See Backend.batchNorm: out = (x − μ)·(w/√(σ² + eps)) + b per channel (μ, σ² also into mean, variance unless null). */
export function batchNormJs(
  x: Storage, w: Storage, b: Storage, out: Storage, n: number, c: number, l: number, eps: number, mean: Storage | null = null, variance: Storage | null = null,
): void {
  for (let ch = 0; ch < c; ch++) {
    const [mu, v] = moments(x, n, c, l, ch);
    if (mean !== null && variance !== null) [mean[ch], variance[ch]] = [mu, v];
    const a = w[ch]! / Math.sqrt(v + eps), shift = b[ch]!;
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * l;
      for (let j = 0; j < l; j++) out[o + j] = (x[o + j]! - mu) * a + shift;
    }
  }
}

/** See Backend.batchNormGrad. */
export function batchNormGradJs(
  g: Storage, x: Storage, w: Storage, gx: Storage, gw: Storage, gb: Storage, n: number, c: number, l: number, eps: number,
): void {
  const m = n * l;
  for (let ch = 0; ch < c; ch++) {
    const [mean, v] = moments(x, n, c, l, ch);
    const inv = 1 / Math.sqrt(v + eps);
    let sg = 0, sgd = 0;
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * l;
      for (let j = 0; j < l; j++) { const gj = g[o + j]!; sg += gj; sgd += gj * (x[o + j]! - mean); }
    }
    gw[ch] = sgd * inv;
    gb[ch] = sg;
    // gx = w·inv·(g − Σg/M − x̂·Σgx̂/M), with x̂·Σgx̂ = (x − μ)·inv²·Σg(x − μ).
    const a = w[ch]! * inv, k1 = sg / m, k2 = (sgd * inv * inv) / m;
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * l;
      for (let j = 0; j < l; j++) gx[o + j] = (g[o + j]! - k1 - (x[o + j]! - mean) * k2) * a;
    }
  }
}

/** See Backend.batchNormRelu: batchNorm, then the relu kernel's rule (v ≤ 0 → 0, NaN stays NaN) on the stored value. */
export function batchNormReluJs(x: Storage, w: Storage, b: Storage, out: Storage, n: number, c: number, l: number, eps: number, mean: Storage | null = null, variance: Storage | null = null): void {
  batchNormJs(x, w, b, out, n, c, l, eps, mean, variance);
  for (let i = 0; i < n * c * l; i++) { const v = out[i]!; out[i] = v <= 0 ? 0 : v; }
}

/**
 * See Backend.batchNormReluGrad: the forward's output is recomputed into gx (batchNormJs, so the same
 * stored values), g masked by it as reluGrad does (g where it is > 0, else 0), then batchNormGrad in place.
 */
export function batchNormReluGradJs(
  g: Storage, x: Storage, w: Storage, b: Storage, gx: Storage, gw: Storage, gb: Storage, n: number, c: number, l: number, eps: number,
): void {
  batchNormJs(x, w, b, gx, n, c, l, eps);
  for (let i = 0; i < n * c * l; i++) gx[i] = gx[i]! > 0 ? g[i]! : 0;
  batchNormGradJs(gx, x, w, gx, gw, gb, n, c, l, eps);
}

/** A zeroed storage like `like` with `n` elements. */
const scratch = (like: Storage, n: number): Storage => (like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n));

/** See Backend.batchNormReluPool: batchNormReluJs into a scratch storage, then maxPoolJs over it. */
export function batchNormReluPoolJs(
  x: Storage, w: Storage, b: Storage, index: Int32Array, out: Storage, shape: readonly number[], g: WindowGeometry, oh: number, ow: number, eps: number,
  mean: Storage | null = null, variance: Storage | null = null,
): void {
  const [n, c, h, wd] = shape as [number, number, number, number];
  const y = scratch(x, x.length);
  batchNormReluJs(x, w, b, y, n, c, h * wd, eps, mean, variance);
  maxPoolJs(y, index, out, shape, g, oh, ow);
}

/** See Backend.batchNormReluPoolGrad: maxPoolGradJs into a scratch storage, then batchNormReluGradJs of it. */
export function batchNormReluPoolGradJs(
  g: Storage, index: Int32Array, x: Storage, w: Storage, b: Storage, gx: Storage, gw: Storage, gb: Storage, shape: readonly number[], eps: number,
): void {
  const [n, c, h, wd] = shape as [number, number, number, number];
  const gy = scratch(x, x.length);
  maxPoolGradJs(g, index, gy);
  batchNormReluGradJs(gy, x, w, b, gx, gw, gb, n, c, h * wd, eps);
}
