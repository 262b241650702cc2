// Log loss (cross-entropy of predicted probabilities) with scikit-learn's clipping and row normalisation.
import { ArgumentError } from '../core/errors.js';
import { type VectorInput, type MatrixInput, toVector, toDense, checkPair, checkLabels } from './input.js';

export interface LogLossOptions {
  /** Probabilities are clipped to [eps, 1 - eps] before the log (default 1e-15, sklearn's classic default). */
  eps?: number;
  /** When false, return the summed loss instead of the mean (default true). */
  normalize?: boolean;
}

/**
 * Log loss −mean(log p[i, yTrue[i]]) (sklearn `log_loss`). yProb is either [N] probabilities of class 1
 * (yTrue in {0, 1}) or [N,C] class probabilities (yTrue in 0..C-1). Probabilities are clipped to
 * [eps, 1 - eps] and each row is then rescaled to sum to 1, as sklearn does.
 *
 * @example
 * logLoss([0, 1], [0.1, 0.8]); // -(log 0.9 + log 0.8) / 2 ≈ 0.164
 * logLoss([2, 0], [[0.2, 0.2, 0.6], [0.7, 0.2, 0.1]]); // -(log 0.6 + log 0.7) / 2
 */
export function logLoss(yTrue: VectorInput, yProb: MatrixInput, opts: LogLossOptions = {}): number {
  const fn = 'logLoss';
  const eps = opts.eps ?? 1e-15;
  if (!(eps >= 0 && eps < 0.5)) throw new ArgumentError(fn, `eps must be in [0, 0.5), got ${eps}`);
  const t = toVector(fn, 'yTrue', yTrue);
  const d = toDense(fn, 'yProb', yProb);
  checkPair(fn, t, { length: d.rows }, 'yProb');
  checkLabels(fn, 'yTrue', t);
  const cols = d.cols === 0 ? 2 : d.cols;
  if (cols < 2) throw new ArgumentError(fn, `yProb has ${cols} column; pass [N] probabilities of class 1 or [N,C] with C >= 2`);
  const row = new Float64Array(cols);
  let total = 0;
  for (let i = 0; i < d.rows; i++) {
    const y = t[i]!;
    if (y < 0 || y >= cols) throw new ArgumentError(fn, `yTrue[${i}] = ${y} is outside 0..${cols - 1} (yProb gives ${cols} classes)`);
    readRow(fn, d.data, d.cols, i, row);
    let s = 0;
    for (let k = 0; k < cols; k++) {
      row[k] = Math.min(Math.max(row[k]!, eps), 1 - eps);
      s += row[k]!;
    }
    total -= Math.log(row[y]! / s);
  }
  return opts.normalize === false ? total : total / d.rows;
}

/** Copies sample i's class probabilities into `row`, expanding a 1-D probability p into [1 - p, p]. */
function readRow(fn: string, data: Float64Array, cols: number, i: number, row: Float64Array): void {
  if (cols === 0) {
    row[0] = 1 - data[i]!;
    row[1] = data[i]!;
  } else {
    for (let k = 0; k < cols; k++) row[k] = data[i * cols + k]!;
  }
  for (let k = 0; k < row.length; k++) {
    const p = cols === 0 ? data[i]! : row[k]!;
    if (!(p >= 0 && p <= 1)) {
      const where = cols === 0 ? `yProb[${i}]` : `yProb[${i}][${k}]`;
      throw new ArgumentError(fn, `${where} = ${p} is not a probability in [0, 1]; apply sigmoid/softmax to scores first`);
    }
  }
}
