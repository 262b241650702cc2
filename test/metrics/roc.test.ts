// ROC curve, AUC and one-vs-rest ROC AUC: ties, drop_intermediate, pairwise cross-checks and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { tensor } from '../../src/tensor/tensor.js';
import { rocCurve, rocAucScore, auc } from '../../src/metrics/index.js';
import { loadMetricsCases, close, closeAll } from './helpers.js';

/** AUC as the Mann-Whitney statistic: P(score of a positive > score of a negative), ties count half. */
function pairwiseAuc(y: number[], s: number[], pos = 1): number {
  let wins = 0;
  let pairs = 0;
  y.forEach((a, i) => {
    if (a !== pos) return;
    y.forEach((b, j) => {
      if (b === pos) return;
      pairs++;
      wins += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

test('rocCurve on a small example, highest threshold first', () => {
  const r = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
  closeAll(r.fpr, [0, 0, 0.5, 0.5, 1], 'fpr');
  closeAll(r.tpr, [0, 0.5, 0.5, 1, 1], 'tpr');
  closeAll(r.thresholds, [1.8, 0.8, 0.4, 0.35, 0.1], 'thresholds');
  close(rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75, 'auc');
});

test('tied scores form one point (a diagonal step) and count half in the AUC', () => {
  const r = rocCurve([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.8]);
  closeAll(r.fpr, [0, 0, 0.5, 1], 'fpr');
  closeAll(r.tpr, [0, 0.5, 1, 1], 'tpr');
  closeAll(r.thresholds, [1.8, 0.8, 0.5, 0.2], 'thresholds');
  close(rocAucScore([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.8]), 0.875, 'auc');
  close(rocAucScore([0, 1, 0, 1], [1, 1, 1, 1]), 0.5, 'all tied');
});

test('dropIntermediate removes collinear points as sklearn and keeps the area', () => {
  const y = [1, 1, 1, 0, 0];
  const s = [0.9, 0.8, 0.7, 0.6, 0.5];
  const r = rocCurve(y, s, { dropIntermediate: true });
  closeAll(r.fpr, [0, 0, 0, 1], 'fpr');
  closeAll(r.tpr, [0, 1 / 3, 1, 1], 'tpr');
  closeAll(r.thresholds, [1.9, 0.9, 0.7, 0.5], 'thresholds');
  assert.equal(rocCurve(y, s).fpr.length, 6);
  const bin = loadMetricsCases().find((c) => c.name === 'binary')!;
  const yt = bin['y_true'] as number[];
  const ys = bin['y_score'] as number[];
  const full = rocCurve(yt, ys);
  const dropped = rocCurve(yt, ys, { dropIntermediate: true });
  assert.ok(dropped.fpr.length < full.fpr.length, 'fixture curve has collinear points to drop');
  close(auc(dropped.fpr, dropped.tpr), auc(full.fpr, full.tpr), 'area after dropping');
  close(auc(full.fpr, full.tpr), bin['roc_auc'] as number, 'auc of fixture curve');
});

test('rocAucScore equals the pairwise (Mann-Whitney) AUC on random scores with ties', () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 5; trial++) {
    const n = 30 + trial * 17;
    const y = Array.from({ length: n }, () => (rng.uniform() < 0.4 ? 1 : 0));
    y[0] = 0;
    y[1] = 1;
    const s = Array.from({ length: n }, () => Math.round(rng.uniform() * 8) / 8);
    close(rocAucScore(y, s), pairwiseAuc(y, s), `trial ${trial}`);
  }
});

test('posLabel selects the positive class; labels -1/1 need none', () => {
  close(rocAucScore([-1, -1, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75, '-1/1');
  close(rocAucScore([2, 2, 7, 7], [0.1, 0.4, 0.35, 0.8], { posLabel: 7 }), 0.75, 'posLabel 7');
  close(rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { posLabel: 0 }), 0.25, 'posLabel 0');
  assert.throws(() => rocCurve([2, 2, 7], [0.1, 0.2, 0.3]), /rocCurve: yTrue labels \[2, 7\] are not \{0, 1\} or \{-1, 1\}; pass posLabel/);
});

test('[N,2] scores use column 1; Tensor scores work', () => {
  const p1 = [0.1, 0.4, 0.35, 0.8];
  close(rocAucScore([0, 0, 1, 1], p1.map((p) => [1 - p, p])), 0.75, '[N,2]');
  close(rocAucScore(tensor([0, 0, 1, 1]), tensor(p1, { dtype: 'float64' })), 0.75, 'tensor');
});

test('one-vs-rest AUC: macro and weighted equal the pairwise per-class averages', () => {
  const mc = loadMetricsCases().find((c) => c.name === 'multiclass')!;
  const y = mc['y_true'] as number[];
  const proba = mc['proba'] as number[][];
  const perClass = [0, 1, 2, 3].map((k) => pairwiseAuc(y.map((v) => (v === k ? 1 : 0)), proba.map((r) => r[k]!)));
  const counts = [0, 1, 2, 3].map((k) => y.filter((v) => v === k).length);
  close(rocAucScore(y, proba), perClass.reduce((a, b) => a + b, 0) / 4, 'macro');
  const weighted = perClass.reduce((s, a, k) => s + a * counts[k]!, 0) / y.length;
  close(rocAucScore(y, proba, { average: 'weighted' }), weighted, 'weighted');
  close(rocAucScore([0, 1, 2], [[0.8, 0.1, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6]]), 1, 'perfect');
});

test('ROC errors: single class, multiclass target, bad shapes and values', () => {
  assert.throws(() => rocAucScore([1, 1, 1], [0.2, 0.5, 0.9]), /rocAucScore: only one class present in yTrue \(3 positives, 0 negatives\); ROC AUC is not defined/);
  assert.throws(() => rocAucScore([0, 0], [0.2, 0.5]), /only one class present in yTrue \(0 positives, 2 negatives\)/);
  const r = rocCurve([1, 1], [0.2, 0.5]);
  assert.ok(r.fpr.every(Number.isNaN), 'fpr is NaN without negatives (as sklearn)');
  closeAll(r.tpr, [0, 0.5, 1], 'tpr');
  assert.throws(() => rocCurve([0, 1, 2], [0.1, 0.2, 0.3]), /rocCurve: yTrue holds 3 classes \[0, 1, 2\] but a binary target is needed/);
  assert.throws(() => rocAucScore([0, 1, 0], [0.1, 0.2]), /rocAucScore: yTrue has 3 entries but yScore has 2/);
  assert.throws(() => rocCurve([], []), /rocCurve: yTrue and yScore are empty/);
  assert.throws(() => rocCurve([0, 1], [0.1, NaN]), /rocCurve: yScore\[1\] is NaN; all values must be finite/);
  const rows = [[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.3, 0.3, 0.4]];
  assert.throws(() => rocAucScore([0, 1, 3], rows), /rocAucScore: yTrue\[2\] = 3 is outside 0..2 \(yScore has 3 columns\)/);
  assert.throws(() => rocAucScore([0, 1, 1], rows), /class\(es\) 2 never occur in yTrue but yScore has 3 columns/);
  assert.throws(() => rocAucScore([0, 1, 2], [[1, 2, 3], [0.2, 0.5, 0.3], [0.3, 0.3, 0.4]]), /yScore row 0 sums to 6, not 1; .*softmax/);
  assert.throws(() => rocAucScore([0, 1, 2], [[0.5, 0.5, 0], [0.5, 0.5]]), /yScore row 1 has 2 entries but row 0 has 3/);
  assert.throws(() => rocAucScore([0, 1, 2], rows, { average: 'micro' as 'macro' }), /average must be 'macro' or 'weighted'/);
});

test('auc integrates monotonic curves in either direction and rejects others', () => {
  close(auc([0, 0.5, 1], [0, 0.75, 1]), 0.625, 'increasing');
  close(auc([1, 0.5, 0], [1, 0.75, 0]), 0.625, 'decreasing');
  assert.throws(() => auc([0, 1, 0.5], [0, 1, 1]), /auc: x is neither increasing nor decreasing/);
  assert.throws(() => auc([0], [1]), /auc: at least 2 points are needed/);
  assert.throws(() => auc([0, 1], [1]), /auc: x has 2 points but y has 1/);
});
