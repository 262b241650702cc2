// Live metrics from neurite's own metrics module: accuracy, P/R/F1, ROC AUC + curve, confusion matrix, MSE/MAE/R².
import { metrics } from 'neurite';
import type { PlaygroundState } from './host.js';

/** What the metrics panel shows for one split. */
export interface MetricReport {
  rows: Array<[string, number]>;
  roc?: { fpr: number[]; tpr: number[] };
  confusion?: number[][];
}

function argmaxRows(out: Float32Array, n: number, k: number): Float64Array {
  const labels = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (out[i * k + c]! > out[i * k + best]!) best = c;
    labels[i] = best;
  }
  return labels;
}

/**
 * The metrics of head outputs `out` (n × outDim: probabilities or values) against targets `y`.
 * @example computeMetrics(s, probs, labels, n).rows // [['accuracy', 0.97], …]
 */
export function computeMetrics(s: PlaygroundState, out: Float32Array, y: Float32Array, n: number): MetricReport {
  if (n === 0) return { rows: [] };
  if (s.problem === 'regression') {
    return { rows: [['MSE', metrics.meanSquaredError(y, out)], ['MAE', metrics.meanAbsoluteError(y, out)], ['R²', metrics.r2Score(y, out)]] };
  }
  if (s.problem === 'multiclass') {
    const pred = argmaxRows(out, n, s.classes), labels = Array.from({ length: s.classes }, (_v, i) => i);
    return {
      rows: [
        ['accuracy', metrics.accuracy(y, pred)],
        ['macro precision', metrics.precision(y, pred, { average: 'macro', labels, zeroDivision: 0 })],
        ['macro recall', metrics.recall(y, pred, { average: 'macro', labels, zeroDivision: 0 })],
        ['macro F1', metrics.f1Score(y, pred, { average: 'macro', labels, zeroDivision: 0 })],
      ],
      confusion: metrics.confusionMatrix(y, pred, { labels }),
    };
  }
  const pred = Float64Array.from(out, (p) => (p > 0.5 ? 1 : 0));
  const rows: Array<[string, number]> = [
    ['accuracy', metrics.accuracy(y, pred)],
    ['precision', metrics.precision(y, pred, { zeroDivision: 0 })],
    ['recall', metrics.recall(y, pred, { zeroDivision: 0 })],
    ['F1', metrics.f1Score(y, pred, { zeroDivision: 0 })],
  ];
  const both = y.some((v) => v === 1) && y.some((v) => v === 0);
  if (!both) return { rows };
  const curve = metrics.rocCurve(y, out);
  rows.push(['ROC AUC', metrics.rocAucScore(y, out)]);
  return { rows, roc: { fpr: Array.from(curve.fpr), tpr: Array.from(curve.tpr) } };
}
