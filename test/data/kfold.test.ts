// kFoldSplits: every row in exactly one validation fold (property-checked), fold sizes within one row,
// stratified folds holding ⌊m/K⌋ or ⌈m/K⌉ of each class, the same seed giving the same folds, and the
// errors for too few or too many folds and for a class smaller than K.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Tensor } from '../../src/tensor/tensor.js';
import { kFoldSplits, oneHot } from '../../src/data/index.js';

const data = (labels: number[]): { x: Tensor; y: Tensor } => ({ x: new Tensor(Float32Array.from(labels, (_, i) => i), [labels.length, 1]), y: new Tensor(Float32Array.from(labels), [labels.length]) });
const sorted = (a: ArrayLike<number>): number[] => Array.from(a).sort((p, q) => p - q);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

test('kFoldSplits: each row validates in exactly one fold and trains in the others (any n, K, seed; plain and stratified)', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 60 }), fc.integer({ min: 2, max: 8 }), fc.nat(1000), fc.boolean(), (labels, k, seed, stratify) => {
    const counts = new Map<number, number>();
    labels.forEach((c) => counts.set(c, (counts.get(c) ?? 0) + 1));
    if (k > labels.length || (stratify && Math.min(...counts.values()) < k)) return;
    const folds = kFoldSplits(data(labels), { folds: k, seed, stratify });
    assert.equal(folds.length, k);
    assert.deepEqual(sorted(folds.flatMap((f) => Array.from(f.valIndices))), range(labels.length), 'the validation folds partition the rows');
    const sizes = folds.map((f) => f.valIndices.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `fold sizes ${sizes} differ by at most one`);
    for (const f of folds) {
      assert.deepEqual(sorted([...f.trainIndices, ...f.valIndices]), range(labels.length), 'a fold trains on every row it does not validate on');
    }
    if (stratify) {
      for (const [c, m] of counts) {
        for (const f of folds) {
          const inFold = Array.from(f.valIndices).filter((i) => labels[i] === c).length;
          assert.ok(inFold === Math.floor(m / k) || inFold === Math.ceil(m / k), `class ${c} (${m} rows) has ${inFold} rows in a fold of ${k}`);
        }
      }
    }
  }), { numRuns: 300 });
});

test('kFoldSplits: the same seed gives the same folds, another seed others; labels, one-hot y and a row count agree', () => {
  const labels = range(90).map((i) => i % 3);
  const a = kFoldSplits(data(labels), { folds: 5, seed: 7, stratify: true });
  assert.deepEqual(kFoldSplits(data(labels), { folds: 5, seed: 7, stratify: true }), a);
  assert.notDeepEqual(kFoldSplits(data(labels), { folds: 5, seed: 8, stratify: true }), a);
  assert.deepEqual(kFoldSplits({ x: data(labels).x, y: oneHot(labels, 3) }, { folds: 5, seed: 7, stratify: true }), a, 'one-hot y stratifies by its classes');
  assert.deepEqual(kFoldSplits(90, { folds: 5, seed: 7, stratify: labels }), a, 'a row count with the labels');
  const plain = kFoldSplits(10, { folds: 3, shuffle: false });
  assert.deepEqual(plain.map((f) => Array.from(f.valIndices)), [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]], 'unshuffled: contiguous folds, the first n mod K one row larger');
  assert.deepEqual(Array.from(plain[1]!.trainIndices), [0, 1, 2, 3, 7, 8, 9]);
});

test('kFoldSplits: too few or too many folds, a class smaller than K and stratify without shuffling are errors saying what to do', () => {
  const d = data([0, 0, 0, 1, 1, 1, 2, 2]);
  assert.throws(() => kFoldSplits(d, { folds: 1 }), /kFoldSplits: folds must be an integer >= 2, got 1; one fold would leave no rows to train on/);
  assert.throws(() => kFoldSplits(d, { folds: 2.5 }), /folds must be an integer >= 2, got 2.5/);
  assert.throws(() => kFoldSplits(d, { folds: 9 }), /folds 9 is more than the 8 rows; use at most 8 folds/);
  assert.throws(() => kFoldSplits(d, { folds: 3, stratify: true }), /class 2 has 2 rows, fewer than the 3 folds, so some validation folds would lack it; use at most 2 folds or stratify: false/);
  assert.equal(kFoldSplits(d, { folds: 3 }).length, 3, 'unstratified, a small class is allowed');
  assert.throws(() => kFoldSplits(d, { folds: 2, stratify: true, shuffle: false }), /stratify needs shuffle: true/);
  assert.throws(() => kFoldSplits(8, { folds: 2, stratify: true }), /stratify: true needs the data set \(its y\); with a row count, pass the labels as stratify/);
  assert.throws(() => kFoldSplits(d, { folds: 2, stratify: [0, 1] }), /stratify has 2 labels for 8 rows/);
});
