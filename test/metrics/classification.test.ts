// Accuracy, confusion matrix, precision/recall/F and the classification report: hand-checked values and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor/tensor.js';
import {
  accuracy, confusionMatrix, precision, recall, f1Score, fbetaScore, precisionRecallFscoreSupport,
  classificationReport, formatClassificationReport,
} from '../../src/metrics/index.js';
import { loadMetricsCases, close, closeAll } from './helpers.js';

// sklearn's documented example for precision_score / recall_score / f1_score.
const yT = [0, 1, 2, 0, 1, 2];
const yP = [0, 2, 1, 0, 0, 1];

test('accuracy counts matches and accepts Tensors and typed arrays', () => {
  assert.equal(accuracy([0, 1, 2, 2], [0, 2, 2, 2]), 0.75);
  assert.equal(accuracy([0, 1, 2, 2], [0, 2, 2, 2], { normalize: false }), 3);
  assert.equal(accuracy(tensor([1, 0, 1]), Int32Array.of(1, 1, 1)), 2 / 3);
  assert.equal(accuracy(tensor([[1], [0]]), [1, 1]), 0.5);
});

test('input errors name the function, the sizes and the fix', () => {
  assert.throws(() => accuracy(new Array(10).fill(0), new Array(9).fill(0)), /accuracy: yTrue has 10 entries but yPred has 9/);
  assert.throws(() => accuracy([], []), /accuracy: yTrue and yPred are empty/);
  assert.throws(() => precision([0, 1.5], [0, 1]), /precision: yTrue\[1\] = 1.5 is not an integer class label/);
  assert.throws(() => f1Score([0, 1], [0, NaN]), /f1Score: yPred\[1\] = NaN is not an integer/);
  assert.throws(() => recall(tensor([[0, 1], [1, 0]]), [0, 1]), /recall: yTrue must be 1-D \(shape \[N\]\) but has shape \[2,2\]/);
  assert.throws(() => confusionMatrix([[0], [1]] as unknown as number[], [0, 1]), /confusionMatrix: yTrue\[0\] is an array/);
});

test('confusion matrix: default labels, explicit order, ignored labels, normalisation', () => {
  assert.deepEqual(confusionMatrix(yT, yP), [[2, 0, 0], [1, 0, 1], [0, 2, 0]]);
  assert.deepEqual(confusionMatrix([0, 1, 1], [0, 0, 1], { labels: [1, 0] }), [[1, 1], [0, 1]]);
  assert.deepEqual(confusionMatrix([0, 1, 2, 5], [0, 2, 2, 5], { labels: [0, 2] }), [[1, 0], [0, 1]]);
  assert.deepEqual(confusionMatrix([0, 0, 1, 1], [0, 1, 1, 1], { normalize: 'true' }), [[0.5, 0.5], [0, 1]]);
  assert.deepEqual(confusionMatrix([0, 0, 1, 1], [0, 1, 1, 1], { normalize: 'pred' }), [[1, 1 / 3], [0, 2 / 3]]);
  assert.deepEqual(confusionMatrix([0, 0, 1, 1], [0, 1, 1, 1], { normalize: 'all' }), [[0.25, 0.25], [0, 0.5]]);
  assert.deepEqual(confusionMatrix([0, 0], [0, 0], { labels: [0, 1], normalize: 'pred' }), [[1, 0], [0, 0]]);
  assert.throws(() => confusionMatrix([0, 1], [0, 1], { labels: [3, 4] }), /confusionMatrix: none of labels \[3, 4\] occurs in yTrue/);
  assert.throws(() => confusionMatrix([0, 1], [0, 1], { labels: [0, 0] }), /labels contains 0 twice/);
});

test('precision / recall / F1 per averaging mode match sklearn documentation values', () => {
  close(precision(yT, yP, { average: 'macro' }), 2 / 9, 'precision macro');
  close(precision(yT, yP, { average: 'micro' }), 1 / 3, 'precision micro');
  close(precision(yT, yP, { average: 'weighted' }), 2 / 9, 'precision weighted');
  closeAll(precision(yT, yP, { average: 'none' }), [2 / 3, 0, 0], 'precision none');
  closeAll(recall(yT, yP, { average: 'none' }), [1, 0, 0], 'recall none');
  close(recall(yT, yP, { average: 'macro' }), 1 / 3, 'recall macro');
  closeAll(f1Score(yT, yP, { average: 'none' }), [0.8, 0, 0], 'f1 none');
  close(f1Score(yT, yP, { average: 'macro' }), 0.8 / 3, 'f1 macro');
  closeAll(f1Score(yT, yP, { average: 'none', labels: [2, 0] }), [0, 0.8], 'f1 with label order');
  close(f1Score(yT, yP, { average: 'micro', labels: [0] }), 0.8, 'micro over a label subset');
});

test('binary scores use posLabel and reject multiclass data with average binary', () => {
  const bin = loadMetricsCases().find((c) => c.name === 'binary')!;
  const t = bin['y_true'] as number[];
  const p = bin['y_pred'] as number[];
  close(precision(t, p, { posLabel: 0 }), 12 / 18, 'precision of class 0');
  close(recall(t, p, { posLabel: 0 }), 12 / 15, 'recall of class 0');
  close(precision([-1, 1, 1], [1, 1, -1]), 0.5, 'labels -1/1');
  assert.throws(() => precision(yT, yP), /precision: yTrue\/yPred hold 3 classes \[0, 1, 2\] but average is 'binary'/);
  assert.throws(() => recall([0, 1], [0, 1], { posLabel: 2 }), /recall: posLabel=2 is not a valid label; it should be one of \[0, 1\]/);
  assert.throws(() => f1Score([0, 1], [0, 1], { average: 'mean' as 'macro' }), /average must be 'binary', 'macro'/);
});

test('zero division gives 0 by default, or 1 / NaN when asked (NaN classes skipped in averages)', () => {
  const p0 = [0, 0, 0, 0, 0, 0];
  closeAll(precision(yT, p0, { average: 'none' }), [1 / 3, 0, 0], 'zeroDivision 0');
  closeAll(precision(yT, p0, { average: 'none', zeroDivision: 1 }), [1 / 3, 1, 1], 'zeroDivision 1');
  closeAll(precision(yT, p0, { average: 'none', zeroDivision: NaN }), [1 / 3, NaN, NaN], 'zeroDivision NaN');
  close(precision(yT, p0, { average: 'macro', zeroDivision: NaN }), 1 / 3, 'NaN skipped in macro');
  assert.equal(f1Score(p0, p0), 0);
  assert.equal(f1Score(p0, p0, { zeroDivision: 1 }), 1);
  assert.equal(recall([0, 0], [0, 1], { average: 'weighted', labels: [1] }), 0);
  assert.equal(recall([0, 0], [0, 1], { average: 'weighted', labels: [1], zeroDivision: 1 }), 1);
  assert.throws(() => precision(yT, yP, { average: 'macro', zeroDivision: 0.5 }), /precision: zeroDivision must be 0, 1 or NaN, got 0.5/);
});

test('fbetaScore weights recall by beta and reduces to precision / recall at the extremes', () => {
  const t = [1, 1, 1, 0, 0, 1];
  const p = [1, 0, 0, 1, 0, 1];
  // tp 2, fp 1, fn 2: precision 2/3, recall 1/2.
  close(fbetaScore(t, p, 2), (5 * 2) / (5 * 2 + 4 * 2 + 1), 'F2');
  close(fbetaScore(t, p, 0.5), (1.25 * 2) / (1.25 * 2 + 0.25 * 2 + 1), 'F0.5');
  close(fbetaScore(t, p, 0), 2 / 3, 'F0 = precision');
  close(fbetaScore(t, p, Infinity), 1 / 2, 'Finf = recall');
  assert.throws(() => fbetaScore(t, p, -1), /fbetaScore: beta must be >= 0, got -1/);
});

test('precisionRecallFscoreSupport returns labels, per-class scores and support', () => {
  const s = precisionRecallFscoreSupport(yT, yP);
  assert.deepEqual(s.labels, [0, 1, 2]);
  assert.deepEqual(s.support, [2, 2, 2]);
  closeAll(s.fscore, [0.8, 0, 0], 'fscore');
  assert.deepEqual(precisionRecallFscoreSupport([0, 1], [1, 1], { labels: [1] }).support, [1]);
});

test('classificationReport agrees with the fixture and with the per-class functions', () => {
  const mc = loadMetricsCases().find((c) => c.name === 'multiclass')!;
  const t = mc['y_true'] as number[];
  const p = mc['y_pred'] as number[];
  const r = classificationReport(t, p, { classNames: ['a', 'b', 'c', 'd'] });
  assert.deepEqual(r.classes.map((c) => c.name), ['a', 'b', 'c', 'd']);
  assert.deepEqual(r.classes.map((c) => c.support), [11, 8, 20, 11]);
  closeAll(r.classes.map((c) => c.precision), precision(t, p, { average: 'none' }), 'per-class precision');
  close(r.accuracy, mc['accuracy'] as number, 'accuracy');
  close(r.macroAvg.precision, mc['precision_macro'] as number, 'macro precision');
  close(r.macroAvg.recall, mc['recall_macro'] as number, 'macro recall');
  close(r.macroAvg.f1, mc['f1_macro'] as number, 'macro f1');
  close(r.weightedAvg.f1, mc['f1_weighted'] as number, 'weighted f1');
  assert.equal(r.macroAvg.support, 50);
  const text = formatClassificationReport(r, 3);
  assert.match(text, /^\s+precision\s+recall\s+f1-score\s+support$/m);
  assert.match(text, /^\s+accuracy\s+0\.600\s+50$/m);
  assert.match(text, /^\s+macro avg\s+0\.557\s+0\.588\s+0\.559\s+50$/m);
  assert.doesNotThrow(() => JSON.stringify(r));
});

test('classificationReport lists every named class and rejects labels without a name', () => {
  const r = classificationReport([0, 1], [0, 1], { classNames: ['x', 'y', 'z'] });
  assert.deepEqual(r.classes.map((c) => [c.name, c.support, c.f1]), [['x', 1, 1], ['y', 1, 1], ['z', 0, 0]]);
  assert.equal(classificationReport([3, 4], [3, 3]).classes[1]!.name, '4');
  assert.throws(() => classificationReport([0, 3], [0, 1], { classNames: ['x', 'y'] }), /classificationReport: yTrue\[1\] = 3 has no entry in classNames \(2 names for labels 0..1\)/);
  assert.throws(() => formatClassificationReport(r, -1), /digits must be an integer in 0..15/);
});
