// Dataset and DataLoader: batching, dropLast, seeded per-epoch shuffling, and splits with stratification.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, arange, Rng } from '../../src/index.js';
import { Dataset, DataLoader, trainTestSplit, trainValTestSplit, oneHot, makeGaussians } from '../../src/data/index.js';

const data = (n: number): Dataset => new Dataset(arange(2 * n).reshape([n, 2]), arange(n).mul(10));

test('Dataset pairs rows, subsets and rejects mismatched lengths', () => {
  const ds = data(5);
  assert.equal(ds.length, 5);
  const sub = ds.subset([4, 0]);
  assert.deepEqual(sub.x.toArray(), [[8, 9], [0, 1]]);
  assert.deepEqual(sub.y.toFlat(), [40, 0]);
  assert.throws(() => new Dataset(arange(6).reshape([3, 2]), arange(4)), /Dataset: x has 3 rows \(\[3,2\]\) but y has 4 \(\[4\]\)/);
  assert.throws(() => ds.subset([5]), /index 5 at position 0 is out of range/);
});

test('DataLoader without shuffle walks rows in order; dropLast drops the short batch', () => {
  const loader = new DataLoader(data(10), { batchSize: 4 });
  const batches = [...loader];
  assert.equal(loader.length, 3);
  assert.deepEqual(batches.map((b) => b.y.toFlat()), [[0, 10, 20, 30], [40, 50, 60, 70], [80, 90]]);
  assert.deepEqual(batches[2]!.x.shape, [2, 2]);
  const dropped = new DataLoader(data(10), { batchSize: 4, dropLast: true });
  assert.equal(dropped.length, 2);
  assert.deepEqual([...dropped].map((b) => b.x.shape[0]), [4, 4]);
  assert.throws(() => new DataLoader(data(3), { batchSize: 0 }), /batchSize must be a positive integer, got 0/);
});

test('shuffled DataLoader: every row once per epoch, orders differ by epoch and replay by seed', () => {
  const mk = (): DataLoader => new DataLoader(data(23), { batchSize: 5, shuffle: true, seed: 11 });
  const a = mk(), b = mk();
  const rows = (it: Iterable<{ indices: Int32Array }>): number[] => [...it].flatMap((x) => [...x.indices]);
  const e0 = rows(a), e1 = rows(a);
  assert.equal(a.currentEpoch, 2);
  assert.deepEqual([...e0].sort((p, q) => p - q), Array.from({ length: 23 }, (_, i) => i));
  assert.notDeepEqual(e0, e1);
  assert.deepEqual(rows(b.epoch(1)), e1, 'epoch(1) replays the second epoch without iterating the first');
  assert.deepEqual(rows(b.epoch(1)), e1, 'and replays it again identically');
  assert.deepEqual(rows(b), e0);
  assert.notDeepEqual(rows(new DataLoader(data(23), { batchSize: 5, shuffle: true, seed: 12 })), e0);
  const batch = [...mk()][0]!;
  assert.deepEqual(batch.y.toFlat(), [...batch.indices].map((i) => i * 10), 'x/y rows stay paired');
  const fromRng = new DataLoader(data(23), { shuffle: true, rng: new Rng(5) });
  assert.deepEqual(fromRng.order(0), new DataLoader(data(23), { shuffle: true, rng: new Rng(5) }).order(0));
});

test('trainTestSplit: sizes, disjoint cover, seeded, shuffle false keeps order', () => {
  const ds = data(20);
  const s = trainTestSplit(ds, { testSize: 0.25, seed: 3 });
  assert.equal(s.test.length, 5);
  assert.equal(s.train.length, 15);
  assert.deepEqual([...s.trainIndices, ...s.testIndices].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  assert.deepEqual(s.test.y.toFlat(), [...s.testIndices].map((i) => i * 10));
  assert.deepEqual(trainTestSplit(ds, { testSize: 0.25, seed: 3 }).testIndices, s.testIndices);
  assert.notDeepEqual(trainTestSplit(ds, { testSize: 0.25, seed: 4 }).testIndices, s.testIndices);
  assert.deepEqual([...trainTestSplit(ds, { testSize: 3, shuffle: false }).testIndices], [17, 18, 19]);
  assert.throws(() => trainTestSplit(ds, { testSize: 20 }), /testSize 20 gives 20 of 20 rows/);
  assert.throws(() => trainTestSplit(ds, { stratify: true, shuffle: false }), /stratify needs shuffle: true/);
});

test('stratified splits keep class proportions (within one row per class)', () => {
  const labels = [...new Array(60).fill(0), ...new Array(30).fill(1), ...new Array(10).fill(2)];
  const ds = new Dataset(arange(100).reshape([100, 1]), tensor(labels));
  const s = trainTestSplit(ds, { testSize: 0.2, seed: 1, stratify: true });
  const count = (y: number[], c: number): number => y.filter((v) => v === c).length;
  assert.deepEqual([0, 1, 2].map((c) => count(s.test.y.toFlat(), c)), [12, 6, 2]);
  const t = trainValTestSplit(ds, { valSize: 0.1, testSize: 0.3, seed: 2, stratify: true });
  assert.deepEqual([t.train.length, t.val.length, t.test.length], [60, 10, 30]);
  assert.deepEqual([0, 1, 2].map((c) => count(t.val.y.toFlat(), c)), [6, 3, 1]);
  assert.deepEqual([0, 1, 2].map((c) => count(t.test.y.toFlat(), c)), [18, 9, 3]);
  const all = [...t.trainIndices, ...t.valIndices, ...t.testIndices].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 100 }, (_, i) => i));
  const oh = trainTestSplit({ x: ds.x, y: oneHot(labels, 3) }, { testSize: 0.2, seed: 1, stratify: true });
  assert.deepEqual([0, 1, 2].map((c) => (oh.test.y.toArray() as number[][]).filter((r) => r[c] === 1).length), [12, 6, 2]);
  const g = makeGaussians({ n: 99, k: 3, seed: 0 });
  const gs = trainTestSplit(g, { testSize: 33, seed: 0, stratify: true });
  assert.deepEqual([0, 1, 2].map((c) => count(gs.test.y.toFlat(), c)), [11, 11, 11]);
  assert.throws(() => trainTestSplit({ x: ds.x, y: arange(100).mul(0.5) }, { stratify: true }), /row 1 has 0.5; regression targets cannot be stratified/);
  assert.throws(() => trainValTestSplit(ds, { valSize: 0.5, testSize: 0.5 }), /leaving none to train on/);
});

test('oneHot encodes labels and names a bad label', () => {
  assert.deepEqual(oneHot([2, 0, 1], 3).toArray(), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(oneHot(tensor([1, 3])).shape, [2, 4]);
  assert.throws(() => oneHot([0, 3], 3), /oneHot: label 3 at position 1 is not a class index in 0\.\.2/);
  assert.throws(() => oneHot([0.5], 2), /label 0.5 at position 0/);
});
