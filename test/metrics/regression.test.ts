// Log loss and the regression metrics (MSE, MAE, R² incl. multi-output): hand-checked values and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor/tensor.js';
import { logLoss, meanSquaredError, meanAbsoluteError, r2Score } from '../../src/metrics/index.js';
import { close, closeAll } from './helpers.js';

test('logLoss for [N] probabilities of class 1 and [N,C] rows', () => {
  close(logLoss([0, 1], [0.1, 0.8]), -(Math.log(0.9) + Math.log(0.8)) / 2, 'binary');
  close(logLoss([0, 1], [0.1, 0.8], { normalize: false }), -(Math.log(0.9) + Math.log(0.8)), 'sum');
  close(logLoss([2, 0], [[0.2, 0.2, 0.6], [0.7, 0.2, 0.1]]), -(Math.log(0.6) + Math.log(0.7)) / 2, 'multiclass');
  close(logLoss([1, 0], tensor([[0.3, 0.7], [0.6, 0.4]], { dtype: 'float64' })), -(Math.log(0.7) + Math.log(0.6)) / 2, 'tensor');
});

test('logLoss clips to [eps, 1-eps] and renormalises rows as sklearn', () => {
  close(logLoss([1], [0]), -Math.log(1e-15), 'clipped at 1e-15');
  close(logLoss([1], [0], { eps: 1e-7 }), -Math.log(1e-7), 'custom eps');
  close(logLoss([0, 1], [[0.5, 0.5], [0.25, 0.25]]), (Math.log(2) + Math.log(2)) / 2, 'rows rescaled to sum 1');
  close(logLoss([0], [[0, 1]]), -Math.log(1e-15 / (1e-15 + 1 - 1e-15)), 'clip then renormalise');
});

test('logLoss errors: lengths, label range, non-probabilities, eps', () => {
  assert.throws(() => logLoss([0, 1, 1], [0.5, 0.5]), /logLoss: yTrue has 3 entries but yProb has 2/);
  assert.throws(() => logLoss([0, 3], [[0.5, 0.5], [0.5, 0.5]]), /logLoss: yTrue\[1\] = 3 is outside 0..1 \(yProb gives 2 classes\)/);
  assert.throws(() => logLoss([0, 2], [0.5, 0.5]), /yTrue\[1\] = 2 is outside 0..1/);
  assert.throws(() => logLoss([0, 1], [0.5, 1.5]), /logLoss: yProb\[1\] = 1.5 is not a probability in \[0, 1\]/);
  assert.throws(() => logLoss([0], [[-0.1, 1.1]]), /yProb\[0\]\[0\] = -0.1 is not a probability/);
  assert.throws(() => logLoss([0], [[1]]), /yProb has 1 column/);
  assert.throws(() => logLoss([0], [0.5], { eps: 0.6 }), /logLoss: eps must be in \[0, 0.5\), got 0.6/);
  assert.throws(() => logLoss([], []), /logLoss: yTrue and yProb are empty/);
});

// sklearn's documented examples for the regression metrics.
const a = [3, -0.5, 2, 7];
const b = [2.5, 0, 2, 8];
const A = [[0.5, 1], [-1, 1], [7, -6]];
const B = [[0, 2], [-1, 2], [8, -5]];

test('MSE and MAE, single- and multi-output', () => {
  close(meanSquaredError(a, b), 0.375, 'mse');
  close(meanAbsoluteError(a, b), 0.5, 'mae');
  close(meanSquaredError(A, B), 0.7083333333333334, 'mse multi');
  closeAll(meanSquaredError(A, B, { multioutput: 'raw_values' }), [5 / 12, 1], 'mse raw');
  close(meanAbsoluteError(tensor(A), tensor(B)), 0.75, 'mae multi from tensors');
  closeAll(meanAbsoluteError(A, B, { multioutput: 'raw_values' }), [0.5, 1], 'mae raw');
  closeAll(meanSquaredError(a, b, { multioutput: 'raw_values' }), [0.375], 'raw of one output');
  close(meanSquaredError(tensor([[1], [2]]), [1, 4]), 2, '[N,1] vs [N]');
});

test('R²: single output, multi-output averages, constant targets', () => {
  close(r2Score(a, b), 0.9486081370449679, 'r2');
  close(r2Score(A, B), 0.9368005266622779, 'uniform_average');
  close(r2Score(A, B, { multioutput: 'variance_weighted' }), 0.9382566585956417, 'variance_weighted');
  closeAll(r2Score(A, B, { multioutput: 'raw_values' }), [0.9654377880184332, 0.9081632653061225], 'raw_values');
  assert.equal(r2Score([1, 1, 1], [1, 1, 1]), 1);
  assert.equal(r2Score([1, 1, 1], [1, 1, 2]), 0);
  close(r2Score([1, 2, 3], [3, 2, 1]), -3, 'worse than the mean');
  close(r2Score([[1, 5], [1, 5]], [[1, 5], [1, 6]], { multioutput: 'variance_weighted' }), 0.5, 'all-constant falls back to uniform');
});

test('regression errors: shapes, empty, non-finite, options', () => {
  assert.throws(() => meanSquaredError([1, 2, 3], [1, 2]), /meanSquaredError: yTrue has shape \[3\] but yPred has \[2\]/);
  assert.throws(() => meanAbsoluteError(A, [1, 2, 3]), /meanAbsoluteError: yTrue has shape \[3,2\] but yPred has \[3\]/);
  assert.throws(() => meanSquaredError([], []), /meanSquaredError: yTrue and yPred are empty/);
  assert.throws(() => r2Score([1, 2], [1, Infinity]), /r2Score: yPred\[1\] is Infinity; all values must be finite/);
  assert.throws(() => r2Score([1], [1]), /r2Score: R² is not defined for 1 sample; pass at least 2/);
  assert.throws(() => meanSquaredError(a, b, { multioutput: 'variance_weighted' as 'raw_values' }), /multioutput must be 'uniform_average', 'raw_values', got variance_weighted/);
  assert.throws(() => meanSquaredError(tensor([[[1]]]), [1]), /yTrue must be 1-D \[N\] or 2-D \[N,C\] but has shape \[1,1,1\]/);
});
