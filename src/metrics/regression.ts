// Regression metrics: mean squared error, mean absolute error and R², single- and multi-output (as scikit-learn).
import { ArgumentError, fmtShape } from '../core/errors.js';
import { type MatrixInput, toDense, checkFinite } from './input.js';

/** How per-output scores of [N,K] targets are combined (sklearn `multioutput`). */
export type MultiOutput = 'uniform_average' | 'raw_values';

export interface RegressionOptions {
  /** 'uniform_average' (default): mean over outputs; 'raw_values': one score per output. */
  multioutput?: MultiOutput;
}

export interface R2Options {
  /** As RegressionOptions, plus 'variance_weighted': outputs weighted by the variance of yTrue. */
  multioutput?: MultiOutput | 'variance_weighted';
}

/** yTrue / yPred as column-major per-output arrays, after shape and finiteness checks. */
function readTargets(fn: string, yTrue: MatrixInput, yPred: MatrixInput): Float64Array[] {
  const t = toDense(fn, 'yTrue', yTrue);
  const p = toDense(fn, 'yPred', yPred);
  const kt = Math.max(t.cols, 1);
  const kp = Math.max(p.cols, 1);
  if (t.rows !== p.rows || kt !== kp) {
    throw new ArgumentError(fn, `yTrue has shape ${fmtShape(t.cols ? [t.rows, t.cols] : [t.rows])} but yPred has ${fmtShape(p.cols ? [p.rows, p.cols] : [p.rows])}; pass one prediction per target`);
  }
  if (t.rows === 0) throw new ArgumentError(fn, 'yTrue and yPred are empty; pass at least one sample');
  checkFinite(fn, 'yTrue', t.data);
  checkFinite(fn, 'yPred', p.data);
  const columns: Float64Array[] = [];
  for (let k = 0; k < kt; k++) {
    const pairs = new Float64Array(t.rows * 2);
    for (let i = 0; i < t.rows; i++) {
      pairs[2 * i] = t.data[i * kt + k]!;
      pairs[2 * i + 1] = p.data[i * kt + k]!;
    }
    columns.push(pairs);
  }
  return columns;
}

function combine(fn: string, scores: number[], multioutput: string, weights?: number[]): number | number[] {
  if (multioutput === 'raw_values') return scores;
  if (multioutput === 'variance_weighted' && weights !== undefined && weights.some((w) => w !== 0)) {
    const den = weights.reduce((a, b) => a + b, 0);
    return scores.reduce((s, v, k) => s + v * weights[k]!, 0) / den;
  }
  if (multioutput === 'uniform_average' || (multioutput === 'variance_weighted' && weights !== undefined)) return scores.reduce((a, b) => a + b, 0) / scores.length;
  throw new ArgumentError(fn, `multioutput must be 'uniform_average', 'raw_values'${weights ? " or 'variance_weighted'" : ''}, got ${multioutput}`);
}

/** Mean over samples of f(true, pred), per output; pairs are interleaved [t0, p0, t1, p1, ...]. */
function meanPerOutput(columns: Float64Array[], f: (t: number, p: number) => number): number[] {
  return columns.map((c) => {
    let s = 0;
    for (let i = 0; i < c.length; i += 2) s += f(c[i]!, c[i + 1]!);
    return s / (c.length / 2);
  });
}

/**
 * Mean squared error mean((yTrue - yPred)²) (sklearn `mean_squared_error`); [N,K] targets give one error
 * per output, averaged unless multioutput is 'raw_values'.
 *
 * @example
 * meanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.375
 */
export function meanSquaredError(yTrue: MatrixInput, yPred: MatrixInput, opts: { multioutput: 'raw_values' }): number[];
export function meanSquaredError(yTrue: MatrixInput, yPred: MatrixInput, opts?: { multioutput?: 'uniform_average' }): number;
export function meanSquaredError(yTrue: MatrixInput, yPred: MatrixInput, opts: RegressionOptions): number | number[];
export function meanSquaredError(yTrue: MatrixInput, yPred: MatrixInput, opts: RegressionOptions = {}): number | number[] {
  const fn = 'meanSquaredError';
  const scores = meanPerOutput(readTargets(fn, yTrue, yPred), (t, p) => (t - p) * (t - p));
  return combine(fn, scores, opts.multioutput ?? 'uniform_average');
}

/**
 * Mean absolute error mean(|yTrue - yPred|) (sklearn `mean_absolute_error`).
 *
 * @example
 * meanAbsoluteError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.5
 */
export function meanAbsoluteError(yTrue: MatrixInput, yPred: MatrixInput, opts: { multioutput: 'raw_values' }): number[];
export function meanAbsoluteError(yTrue: MatrixInput, yPred: MatrixInput, opts?: { multioutput?: 'uniform_average' }): number;
export function meanAbsoluteError(yTrue: MatrixInput, yPred: MatrixInput, opts: RegressionOptions): number | number[];
export function meanAbsoluteError(yTrue: MatrixInput, yPred: MatrixInput, opts: RegressionOptions = {}): number | number[] {
  const fn = 'meanAbsoluteError';
  const scores = meanPerOutput(readTargets(fn, yTrue, yPred), (t, p) => Math.abs(t - p));
  return combine(fn, scores, opts.multioutput ?? 'uniform_average');
}

/**
 * Coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (sklearn `r2_score`). A constant yTrue
 * scores 1 when predicted exactly and 0 otherwise (sklearn's force_finite). Needs at least 2 samples.
 *
 * @example
 * r2Score([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.948...
 * r2Score([[0.5, 1], [-1, 1], [7, -6]], [[0, 2], [-1, 2], [8, -5]], { multioutput: 'raw_values' });
 */
export function r2Score(yTrue: MatrixInput, yPred: MatrixInput, opts: { multioutput: 'raw_values' }): number[];
export function r2Score(yTrue: MatrixInput, yPred: MatrixInput, opts?: { multioutput?: 'uniform_average' | 'variance_weighted' }): number;
export function r2Score(yTrue: MatrixInput, yPred: MatrixInput, opts: R2Options): number | number[];
export function r2Score(yTrue: MatrixInput, yPred: MatrixInput, opts: R2Options = {}): number | number[] {
  const fn = 'r2Score';
  const columns = readTargets(fn, yTrue, yPred);
  const n = columns[0]!.length / 2;
  if (n < 2) throw new ArgumentError(fn, `R² is not defined for ${n} sample; pass at least 2`);
  const denominators: number[] = [];
  const scores = columns.map((c) => {
    let mean = 0;
    for (let i = 0; i < c.length; i += 2) mean += c[i]!;
    mean /= n;
    let num = 0;
    let den = 0;
    for (let i = 0; i < c.length; i += 2) {
      num += (c[i]! - c[i + 1]!) ** 2;
      den += (c[i]! - mean) ** 2;
    }
    denominators.push(den);
    if (den === 0) return num === 0 ? 1 : 0;
    return 1 - num / den;
  });
  return combine(fn, scores, opts.multioutput ?? 'uniform_average', denominators);
}
