// Metrics a training run reports per head kind, computed from targets and raw model outputs.
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/graph.js';
import { argmax } from '../ops/reduce.js';
import { reshape } from '../ops/movement.js';
import { sigmoid } from '../ops/elementwise.js';
import { softmax } from '../ops/softmax.js';
import * as M from '../metrics/index.js';
import type { MetricsFn } from './fit.js';
import type { Head } from '../heads/heads.js';

/** How a head's raw outputs turn into metrics. */
export interface MetricsSpec {
  task: 'multiclass' | 'binary' | 'hinge' | 'regression';
  numClasses?: number;
  /** For regression heads: raw outputs → predicted values (the head's output activation). */
  activate?: (raw: Tensor) => Tensor;
}

function multiclass(y: Tensor, raw: Tensor, numClasses: number): Record<string, number> {
  const probs = softmax(raw, -1);
  const pred = argmax(raw, -1);
  const avg = { average: 'macro' as const };
  const out: Record<string, number> = {
    accuracy: M.accuracy(y, pred),
    precision: M.precision(y, pred, avg),
    recall: M.recall(y, pred, avg),
    f1: M.f1Score(y, pred, avg),
    log_loss: M.logLoss(y, probs),
  };
  const present = new Set(y.toFlat());
  if (present.size === numClasses) out.roc_auc = M.rocAucScore(y, probs);
  return out;
}

function binary(y: Tensor, raw: Tensor, hinge: boolean): Record<string, number> {
  const score = reshape(raw, [raw.size]);
  const truth = hinge ? y.toFlat().map((v) => (v > 0 ? 1 : 0)) : y.toFlat();
  const pred = score.toFlat().map((s) => (s > 0 ? 1 : 0));
  const out: Record<string, number> = {
    accuracy: M.accuracy(truth, pred),
    precision: M.precision(truth, pred),
    recall: M.recall(truth, pred),
    f1: M.f1Score(truth, pred),
  };
  if (new Set(truth).size === 2) out.roc_auc = M.rocAucScore(truth, score);
  if (!hinge) out.log_loss = M.logLoss(truth, sigmoid(score));
  return out;
}

function regression(y: Tensor, pred: Tensor): Record<string, number> {
  const p = reshape(pred, y.shape);
  const out: Record<string, number> = { mse: M.meanSquaredError(y, p), mae: M.meanAbsoluteError(y, p) };
  if (y.shape[0]! >= 2) out.r2 = M.r2Score(y, p);
  return out;
}

/**
 * The metrics function for a head: accuracy, macro precision/recall/F1, log loss and ROC AUC for
 * classification; MSE, MAE and R² for regression.
 * @example fit({ ...options, metrics: metricsFor({ task: 'multiclass', numClasses: 10 }) })
 */
export function metricsFor(spec: MetricsSpec): MetricsFn {
  return (y, raw) => noGrad(() => {
    switch (spec.task) {
      case 'multiclass': return multiclass(y, raw, spec.numClasses ?? raw.shape[raw.rank - 1]!);
      case 'binary': return binary(y, raw, false);
      case 'hinge': return binary(y, raw, true);
      case 'regression': return regression(y, spec.activate ? spec.activate(raw) : raw);
    }
  });
}

/**
 * The metrics function matching a head (multiclass, binary with BCE or hinge, regression).
 * @example fit({ model, head, optimizer, x, y, metrics: metricsForHead(head) })
 */
export function metricsForHead(head: Head): MetricsFn {
  const j = head.toJSON();
  if (j.kind === 'multiclass') return metricsFor({ task: 'multiclass', numClasses: j.numClasses });
  if (j.kind === 'binary') return metricsFor({ task: j.loss === 'hinge' ? 'hinge' : 'binary' });
  return metricsFor({ task: 'regression', activate: (raw) => head.activate(raw) });
}
