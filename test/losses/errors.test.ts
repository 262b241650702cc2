// Losses reject bad input with messages that name the function, both shapes, or the bad value and its index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, zeros } from '../../src/index.js';
import * as L from '../../src/losses/index.js';
import type { Reduction } from '../../src/losses/index.js';

test('shape mismatches name both shapes', () => {
  const x = zeros([6, 3]), y = zeros([6]);
  assert.throws(() => L.mse(x, y), /^ShapeError: mse: input \[6,3\] and target \[6\] must have the same shape$/);
  assert.throws(() => L.mae(x, zeros([3, 6])), /mae: input \[6,3\] and target \[3,6\]/);
  assert.throws(() => L.squaredL2(x, y), /squaredL2: input \[6,3\] and target \[6\]/);
  assert.throws(() => L.l1(x, zeros([6, 1])), /l1: input \[6,3\] and target \[6,1\]/);
  assert.throws(() => L.huber(x, y), /huber: input \[6,3\] and target \[6\]/);
  assert.throws(() => L.binaryCrossEntropy(zeros([4, 1]), zeros([4])), /binaryCrossEntropy: prob \[4,1\] and target \[4\]/);
  assert.throws(() => L.binaryCrossEntropyWithLogits(zeros([4]), zeros([5])), /binaryCrossEntropyWithLogits: logits \[4\] and target \[5\]/);
  assert.throws(() => L.hinge(zeros([4]), tensor([1, 1])), /hinge: scores \[4\] and target \[2\]/);
  assert.throws(() => L.crossEntropy(zeros([6, 4]), zeros([6, 3])), /crossEntropy: logits \[6,4\] and target probabilities \[6,3\]/);
  assert.throws(() => L.crossEntropy(zeros([6, 4]), zeros([5])), /crossEntropy: logits \[6,4\] need labels of shape \[6\] .* got \[5\]/);
  assert.throws(() => L.crossEntropy(zeros([4]), tensor([1])), /crossEntropy: logits must have shape \[N, C\] with C >= 1, got \[4\]/);
  assert.throws(() => L.multiMargin(zeros([2, 3, 4]), zeros([2])), /multiMargin: scores must have shape \[N, C\]/);
  assert.throws(() => L.squaredL2(tensor(1), tensor(2)), /squaredL2: needs vectors/);
});

test('labels out of range name the value and its index', () => {
  const logits = zeros([4, 3]);
  assert.throws(() => L.crossEntropy(logits, tensor([0, 2, 3, 1])), /^ArgumentError: crossEntropy: labels must be integers in 0\.\.2 for 3 classes, got 3 at index 2$/);
  assert.throws(() => L.crossEntropy(logits, tensor([0, -1, 0, 0])), /got -1 at index 1/);
  assert.throws(() => L.crossEntropy(logits, tensor([0, 1, 1.5, 0])), /got 1\.5 at index 2/);
  assert.throws(() => L.crossEntropy(logits, tensor([0, 0, 0, NaN])), /got NaN at index 3/);
  assert.throws(() => L.multiMargin(logits, tensor([0, 0, 0, 7])), /multiMargin: labels must be integers in 0\.\.2 for 3 classes, got 7 at index 3/);
  assert.throws(() => L.crossEntropy(logits, tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [2, 0, 0]])), /crossEntropy: target probabilities must be in \[0, 1\], got 2 at index 9/);
  assert.throws(() => L.hinge(zeros([3]), tensor([1, 0, -1])), /hinge: labels must be -1 or \+1, got 0 at index 1; map 0\/1 labels with y → 2y - 1/);
  assert.throws(() => L.binaryCrossEntropy(tensor([0.5, 0.5]), tensor([1, 2])), /binaryCrossEntropy: targets must be in \[0, 1\] .*got 2 at index 1/);
  assert.throws(() => L.binaryCrossEntropyWithLogits(tensor([3, 3]), tensor([-1, 1])), /binaryCrossEntropyWithLogits: targets must be in \[0, 1\].*got -1 at index 0/);
  assert.throws(() => L.binaryCrossEntropy(tensor([0.5, 1.2]), tensor([1, 0])), /binaryCrossEntropy: prob must be probabilities in \[0, 1\], got 1\.2\d* at index 1; apply sigmoid/);
});

test('bad options are rejected with what to use instead', () => {
  const x = zeros([2, 3]), k = tensor([0, 1]);
  assert.throws(() => L.mse(x, x, { reduction: 'avg' as Reduction }), /mse: unknown reduction "avg"; use one of 'mean', 'sum', 'none'/);
  assert.throws(() => L.crossEntropy(x, k, { labelSmoothing: 1.5 }), /crossEntropy: labelSmoothing must be in \[0, 1\], got 1\.5/);
  assert.throws(() => L.huber(x, x, { delta: 0 }), /huber: delta must be a positive finite number, got 0/);
  assert.throws(() => L.hinge(zeros([1]), tensor([1]), { margin: -1 }), /hinge: margin must be a positive finite number/);
  assert.throws(() => L.multiMargin(x, k, { p: 3 as 1 }), /multiMargin: p must be 1 or 2, got 3/);
});
