// Every case and field of test/fixtures/metrics.json (scikit-learn golden values) reproduced to float64 tolerance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor/tensor.js';
import {
  accuracy, precision, recall, f1Score, confusionMatrix, rocCurve, rocAucScore, logLoss,
  meanSquaredError, meanAbsoluteError, r2Score,
} from '../../src/metrics/index.js';
import { loadMetricsCases, close, closeAll, type MetricsCase } from './helpers.js';

type Check = (c: MetricsCase) => void;
const nums = (c: MetricsCase, key: string): number[] => c[key] as number[];
const num = (c: MetricsCase, key: string): number => c[key] as number;
const sigmoid = (s: number): number => 1 / (1 + Math.exp(-s));

/** One checker per fixture field; a field without a checker fails the coverage test below. */
const checks: Record<string, Check> = {
  accuracy: (c) => close(accuracy(nums(c, 'y_true'), nums(c, 'y_pred')), num(c, 'accuracy'), `${c.name} accuracy`),
  precision: (c) => close(precision(nums(c, 'y_true'), nums(c, 'y_pred')), num(c, 'precision'), `${c.name} precision`),
  recall: (c) => close(recall(nums(c, 'y_true'), nums(c, 'y_pred')), num(c, 'recall'), `${c.name} recall`),
  f1: (c) => close(f1Score(nums(c, 'y_true'), nums(c, 'y_pred')), num(c, 'f1'), `${c.name} f1`),
  precision_macro: (c) => close(precision(nums(c, 'y_true'), nums(c, 'y_pred'), { average: 'macro' }), num(c, 'precision_macro'), 'precision_macro'),
  recall_macro: (c) => close(recall(nums(c, 'y_true'), nums(c, 'y_pred'), { average: 'macro' }), num(c, 'recall_macro'), 'recall_macro'),
  f1_macro: (c) => close(f1Score(nums(c, 'y_true'), nums(c, 'y_pred'), { average: 'macro' }), num(c, 'f1_macro'), 'f1_macro'),
  f1_micro: (c) => close(f1Score(nums(c, 'y_true'), nums(c, 'y_pred'), { average: 'micro' }), num(c, 'f1_micro'), 'f1_micro'),
  f1_weighted: (c) => close(f1Score(nums(c, 'y_true'), nums(c, 'y_pred'), { average: 'weighted' }), num(c, 'f1_weighted'), 'f1_weighted'),
  confusion_matrix: (c) => assert.deepEqual(confusionMatrix(nums(c, 'y_true'), nums(c, 'y_pred')), c['confusion_matrix']),
  roc_auc: (c) => close(rocAucScore(nums(c, 'y_true'), nums(c, 'y_score')), num(c, 'roc_auc'), `${c.name} roc_auc`),
  log_loss_of_sigmoid_score: (c) =>
    close(logLoss(nums(c, 'y_true'), nums(c, 'y_score').map(sigmoid)), num(c, 'log_loss_of_sigmoid_score'), 'log_loss_of_sigmoid_score'),
  roc_curve: (c) => {
    const want = c['roc_curve'] as { fpr: number[]; tpr: number[]; thresholds: number[] };
    const got = rocCurve(nums(c, 'y_true'), nums(c, 'y_score'));
    closeAll(got.fpr, want.fpr, 'fpr');
    closeAll(got.tpr, want.tpr, 'tpr');
    closeAll(got.thresholds, want.thresholds, 'thresholds');
  },
  log_loss: (c) => close(logLoss(nums(c, 'y_true'), c['proba'] as number[][]), num(c, 'log_loss'), 'log_loss'),
  roc_auc_ovr_macro: (c) =>
    close(rocAucScore(nums(c, 'y_true'), c['proba'] as number[][], { average: 'macro' }), num(c, 'roc_auc_ovr_macro'), 'roc_auc_ovr_macro'),
  mse: (c) => close(meanSquaredError(nums(c, 'y_true'), nums(c, 'y_pred')), num(c, 'mse'), 'mse'),
  mae: (c) => close(meanAbsoluteError(nums(c, 'y_true'), nums(c, 'y_pred')), num(c, 'mae'), 'mae'),
  r2: (c) => close(r2Score(nums(c, 'y_true'), nums(c, 'y_pred')), num(c, 'r2'), 'r2'),
};
const inputs = new Set(['name', 'y_true', 'y_pred', 'y_score', 'proba']);
const cases = loadMetricsCases();

test('every field of every fixture case has a checker', () => {
  assert.ok(cases.length >= 3, `expected the binary, multiclass and regression cases, got ${cases.length}`);
  for (const c of cases) {
    for (const key of Object.keys(c)) assert.ok(inputs.has(key) || key in checks, `no checker for fixture field ${c.name}.${key}`);
  }
});

for (const c of cases) {
  test(`fixture case '${c.name}' matches scikit-learn`, () => {
    for (const key of Object.keys(c)) if (!inputs.has(key)) checks[key]!(c);
  });
}

test('fixture cases give the same values from float64 Tensors as from arrays', () => {
  const bin = cases.find((c) => c.name === 'binary')!;
  const t = tensor(nums(bin, 'y_true'), { dtype: 'float64' });
  const s = tensor(nums(bin, 'y_score'), { dtype: 'float64' });
  close(rocAucScore(t, s), num(bin, 'roc_auc'), 'roc_auc from tensors');
  close(accuracy(t, tensor(nums(bin, 'y_pred'), { dtype: 'float64' })), num(bin, 'accuracy'), 'accuracy from tensors');
  const mc = cases.find((c) => c.name === 'multiclass')!;
  const proba = tensor(mc['proba'] as number[][], { dtype: 'float64' });
  assert.deepEqual(proba.shape, [50, 4]);
  close(logLoss(nums(mc, 'y_true'), proba), num(mc, 'log_loss'), 'log_loss from tensor');
  close(rocAucScore(nums(mc, 'y_true'), proba), num(mc, 'roc_auc_ovr_macro'), 'ovr auc from tensor');
});
