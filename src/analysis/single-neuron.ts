// The single neuron's closed-form references: least squares (identity + MSE) and Newton/IRLS (sigmoid + CE).
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';

/**
 * Solves A z = r (n×n, row-major arrays) by Gaussian elimination with partial pivoting.
 * @example analysis.solveLinear([[2, 1], [1, 3]], [3, 5]) // [0.8, 1.4]
 */
export function solveLinear(a: readonly (readonly number[])[], r: readonly number[]): number[] {
  const n = r.length;
  if (a.length !== n || a.some((row) => row.length !== n)) throw new ArgumentError('solveLinear', `A must be ${n}×${n} to match r of length ${n}`);
  const m = a.map((row, i) => [...row, r[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(m[i]![c]!) > Math.abs(m[p]![c]!)) p = i;
    if (Math.abs(m[p]![c]!) < 1e-300) throw new ArgumentError('solveLinear', `matrix is singular at column ${c}; remove collinear features or add regularisation`);
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let i = c + 1; i < n; i++) {
      const f = m[i]![c]! / m[c]![c]!;
      for (let j = c; j <= n; j++) m[i]![j]! -= f * m[c]![j]!;
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i]![n]!;
    for (let j = i + 1; j < n; j++) s -= m[i]![j]! * z[j]!;
    z[i] = s / m[i]![i]!;
  }
  return z;
}

/** Rows of X with a trailing 1 (the bias neuron). */
function design(fn: string, x: Tensor, y: Tensor): { rows: number[][]; t: number[] } {
  if (x.rank !== 2 || y.size !== x.shape[0]) throw new ArgumentError(fn, `x must be [N, F] and y hold N values; got x [${x.shape.join(', ')}], y [${y.shape.join(', ')}]`);
  const [n, f] = x.shape as [number, number];
  const d = x.toFlat();
  return { rows: Array.from({ length: n }, (_, i) => [...d.slice(i * f, (i + 1) * f), 1]), t: y.toFlat() };
}

/** XᵀWX + λI and Xᵀv for row weights w (W = diag(w)). */
function normalEquations(rows: number[][], w: (i: number) => number, v: (i: number) => number, ridge: number): [number[][], number[]] {
  const p = rows[0]!.length;
  const a = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j ? ridge : 0)));
  const r = new Array<number>(p).fill(0);
  rows.forEach((row, k) => {
    const wk = w(k), vk = v(k);
    for (let i = 0; i < p; i++) { r[i]! += row[i]! * vk; for (let j = 0; j < p; j++) a[i]![j]! += wk * row[i]! * row[j]!; }
  });
  return [a, r];
}

/**
 * Ordinary least squares for one linear neuron ŷ = w·x + b: solves the normal equations
 * [X 1]ᵀ[X 1] θ = [X 1]ᵀ y in float64. Returns weights w [F] and bias b.
 *
 * @example
 * const { weights, bias } = leastSquares(x, y);
 */
export function leastSquares(x: Tensor, y: Tensor): { weights: number[]; bias: number } {
  const { rows, t } = design('leastSquares', x, y);
  const theta = solveLinear(...normalEquations(rows, () => 1, (i) => t[i]!, 0));
  return { weights: theta.slice(0, -1), bias: theta.at(-1)! };
}

/**
 * Logistic regression by Newton's method / IRLS: p = σ(Xθ), θ ← θ + (XᵀSX + λI)⁻¹ Xᵀ(y − p − λθ)
 * with S = diag(p(1−p)), minimising mean-free Σ BCE + (λ/2)‖θ‖². Labels y ∈ {0, 1}.
 *
 * @example
 * const { weights, bias, iterations } = logisticIrls(x, y);
 */
export function logisticIrls(x: Tensor, y: Tensor, opts: { maxIter?: number; tol?: number; ridge?: number } = {}): { weights: number[]; bias: number; iterations: number } {
  const { rows, t } = design('logisticIrls', x, y);
  t.forEach((v, i) => { if (v !== 0 && v !== 1) throw new ArgumentError('logisticIrls', `label y[${i}] = ${v}; labels must be 0 or 1`); });
  const { maxIter = 50, tol = 1e-10, ridge = 0 } = opts;
  let theta = new Array<number>(rows[0]!.length).fill(0);
  for (let it = 1; it <= maxIter; it++) {
    const p = rows.map((r) => 1 / (1 + Math.exp(-r.reduce((s, v, j) => s + v * theta[j]!, 0))));
    const [a, g] = normalEquations(rows, (i) => Math.max(p[i]! * (1 - p[i]!), 1e-12), (i) => t[i]! - p[i]!, ridge);
    const step = solveLinear(a, g.map((gi, j) => gi - ridge * theta[j]!));
    theta = theta.map((v, j) => v + step[j]!);
    if (Math.max(...step.map(Math.abs)) < tol) return { weights: theta.slice(0, -1), bias: theta.at(-1)!, iterations: it };
  }
  return { weights: theta.slice(0, -1), bias: theta.at(-1)!, iterations: maxIter };
}
