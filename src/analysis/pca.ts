// Principal component analysis in float64: covariance matrix + cyclic Jacobi eigen-decomposition.
import { Tensor, tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';

/**
 * Eigen-decomposition of a symmetric matrix A (row-major, n×n) by cyclic Jacobi rotations:
 * A = V diag(λ) Vᵀ. Returns eigenvalues in descending order and eigenvectors as rows of `vectors`.
 *
 * @example
 * symmetricEigen([[2, 1], [1, 2]], 2).values;   // [3, 1]
 */
export function symmetricEigen(a: readonly (readonly number[])[], n: number, tol = 1e-12, maxSweeps = 100): { values: number[]; vectors: number[][] } {
  if (a.length !== n || a.some((r) => r.length !== n)) throw new ArgumentError('symmetricEigen', `expected an ${n}×${n} matrix, got ${a.length} rows of lengths ${[...new Set(a.map((r) => r.length))].join('/')}`);
  const m = a.map((r) => Float64Array.from(r));
  const v = Array.from({ length: n }, (_, i) => { const r = new Float64Array(n); r[i] = 1; return r; });
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0, diag = 0;
    for (let i = 0; i < n; i++) { diag += m[i]![i]! ** 2; for (let j = i + 1; j < n; j++) off += m[i]![j]! ** 2; }
    if (off <= tol * tol * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) rotate(m, v, n, p, q);
  }
  const order = [...Array(n).keys()].sort((i, j) => m[j]![j]! - m[i]![i]!);
  return { values: order.map((i) => m[i]![i]!), vectors: order.map((i) => Array.from(v, (row) => row[i]!)) };
}

/** One Jacobi rotation zeroing m[p][q]; accumulates the rotation into v's columns. */
function rotate(m: Float64Array[], v: Float64Array[], n: number, p: number, q: number): void {
  const apq = m[p]![q]!;
  if (Math.abs(apq) < 1e-300) return;
  const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1), s = t * c;
  for (let k = 0; k < n; k++) {
    const mkp = m[k]![p]!, mkq = m[k]![q]!;
    m[k]![p] = c * mkp - s * mkq; m[k]![q] = s * mkp + c * mkq;
  }
  for (let k = 0; k < n; k++) {
    const mpk = m[p]![k]!, mqk = m[q]![k]!;
    m[p]![k] = c * mpk - s * mqk; m[q]![k] = s * mpk + c * mqk;
  }
  for (let k = 0; k < n; k++) {
    const vkp = v[k]![p]!, vkq = v[k]![q]!;
    v[k]![p] = c * vkp - s * vkq; v[k]![q] = s * vkp + c * vkq;
  }
}

export interface PcaResult {
  /** Column means μ [F]. */ mean: number[];
  /** Principal axes as rows [F][F], by decreasing variance. */ components: number[][];
  /** Variance along each axis (eigenvalues of the covariance, ≥ 0). */ variances: number[];
  /** variances / Σ variances. */ explainedRatio: number[];
}

/**
 * PCA of X [N, F]: C = (X−μ)ᵀ(X−μ)/(N−1), C = V Λ Vᵀ; axes are the eigenvectors by decreasing λ.
 *
 * @example
 * const p = pca(x); const z = pcaProject(p, x, 2);   // [N, 2]
 */
export function pca(x: Tensor): PcaResult {
  if (x.rank !== 2 || x.shape[0]! < 2) throw new ArgumentError('pca', `expected data [N, F] with N ≥ 2, got shape [${x.shape.join(', ')}]`);
  const [n, f] = x.shape as [number, number];
  const d = x.toFlat();
  const mean = new Array<number>(f).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j]! += d[i * f + j]! / n;
  const cov = Array.from({ length: f }, () => new Array<number>(f).fill(0));
  const row = new Float64Array(f);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) row[j] = d[i * f + j]! - mean[j]!;
    for (let a = 0; a < f; a++) { const ra = row[a]!; if (ra === 0) continue; const ca = cov[a]!; for (let b = a; b < f; b++) ca[b]! += ra * row[b]!; }
  }
  for (let a = 0; a < f; a++) for (let b = a; b < f; b++) { cov[a]![b]! /= n - 1; cov[b]![a] = cov[a]![b]!; }
  const { values, vectors } = symmetricEigen(cov, f);
  const variances = values.map((v) => Math.max(v, 0));
  const total = variances.reduce((s, v) => s + v, 0);
  return { mean, components: vectors, variances, explainedRatio: variances.map((v) => (total > 0 ? v / total : 0)) };
}

/** Projects X onto the first k principal axes: Z = (X−μ) V_kᵀ, a float64 tensor [N, k]. @example pcaProject(p, x, 2) */
export function pcaProject(p: PcaResult, x: Tensor, k = 2): Tensor {
  const f = p.mean.length;
  if (x.rank !== 2 || x.shape[1] !== f) throw new ArgumentError('pcaProject', `data [${x.shape.join(', ')}] must have ${f} columns like the fitted PCA`);
  if (!Number.isInteger(k) || k < 1 || k > f) throw new ArgumentError('pcaProject', `k = ${k} must be an integer in 1..${f}`);
  const n = x.shape[0]!, d = x.toFlat(), out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) {
    let s = 0; const axis = p.components[c]!;
    for (let j = 0; j < f; j++) s += (d[i * f + j]! - p.mean[j]!) * axis[j]!;
    out[i * k + c] = s;
  }
  return tensor(out, { shape: [n, k], dtype: 'float64' });
}

/**
 * Smallest number of principal components whose explained-variance ratios sum to ≥ `fraction`
 * (the "manifold" measure: min k with Σ_{i≤k} λ_i / Σ λ ≥ fraction).
 *
 * @example
 * componentsForVariance(pca(images), 0.9);   // ≈ 21 for the sklearn digits as images [1797, 64]
 */
export function componentsForVariance(p: PcaResult, fraction = 0.9): number {
  if (!(fraction > 0 && fraction <= 1)) throw new ArgumentError('componentsForVariance', `fraction must be in (0, 1], got ${fraction}`);
  let s = 0;
  for (let i = 0; i < p.explainedRatio.length; i++) { s += p.explainedRatio[i]!; if (s >= fraction - 1e-12) return i + 1; }
  return p.explainedRatio.length;
}
