// Tensor creation, shapes, broadcasting, movement ops and their error messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tensor, zeros, arange, eye, add, mul, sum, mean, max, argmax, reshape, permute, transpose, slice, concat,
  stack, pad, indexSelect, takeAlongAxis, matmul, split, logsumexp, Rng, randn, ShapeError, where, gt,
} from '../../src/index.js';

test('tensor from nested arrays infers shape and rejects ragged input', () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.equal(t.dtype, 'float32');
  assert.deepEqual(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.throws(() => tensor([[1, 2], [3]]), /ragged nested array at index \[1\]/);
  assert.throws(() => tensor([1, 2, 3], { shape: [2, 2] }), /3 values do not fill shape \[2,2\]/);
});

test('broadcasting add follows NumPy rules and names shapes on mismatch', () => {
  const a = tensor([[1], [2], [3]]);
  const b = tensor([10, 20]);
  assert.deepEqual(add(a, b).toArray(), [[11, 21], [12, 22], [13, 23]]);
  assert.throws(() => add(tensor([1, 2, 3]), tensor([1, 2])), (e: Error) => e instanceof ShapeError && /add: \[3\] and \[2\] do not broadcast/.test(e.message));
});

test('matmul error names both shapes and the inner dimensions', () => {
  assert.throws(() => matmul(zeros([32, 784]), zeros([256, 128])), /matmul: \[32,784\] @ \[256,128\]: inner dimensions 784 and 256 differ/);
});

test('matmul agrees across transpose flags, batching and vectors', () => {
  const rng = new Rng(3);
  const a = randn([2, 3, 4], { rng, dtype: 'float64' });
  const b = randn([4, 5], { rng, dtype: 'float64' });
  const ref = matmul(a, b);
  const viaT = matmul(a, transpose(b), { transB: true });
  const viaTA = matmul(transpose(a), b.broadcastTo([2, 4, 5]), { transA: true });
  for (const other of [viaT, viaTA]) other.data.forEach((v, i) => assert.ok(Math.abs(v - ref.data[i]!) < 1e-12));
  const both = matmul(transpose(a), transpose(b).broadcastTo([2, 5, 4]), { transA: true, transB: true });
  both.data.forEach((v, i) => assert.ok(Math.abs(v - ref.data[i]!) < 1e-12));
  assert.deepEqual(matmul(tensor([1, 2]), tensor([[1, 0], [0, 1]])).toArray(), [1, 2]);
  assert.deepEqual(matmul(eye(2), tensor([3, 4])).toArray(), [3, 4]);
});

test('reductions with axes and keepdims', () => {
  const x = reshape(arange(6), [2, 3]);
  assert.deepEqual(sum(x).item(), 15);
  assert.deepEqual(sum(x, 0).toArray(), [3, 5, 7]);
  assert.deepEqual(sum(x, 1, true).shape, [2, 1]);
  assert.deepEqual(mean(x, -1).toArray(), [1, 4]);
  assert.deepEqual(max(x, 1).toArray(), [2, 5]);
  assert.deepEqual(argmax(tensor([[1, 9, 3], [7, 2, 7]]), 1).toArray(), [1, 0]);
  assert.ok(Math.abs(logsumexp(tensor([1000, 1000]), 0).item() - (1000 + Math.log(2))) < 1e-3);
});

test('movement ops: permute, slice, concat, stack, pad, split, gather', () => {
  const x = reshape(arange(24), [2, 3, 4]);
  assert.deepEqual(permute(x, [2, 0, 1]).shape, [4, 2, 3]);
  assert.equal(permute(x, [2, 0, 1]).toArray() instanceof Array, true);
  assert.deepEqual(slice(reshape(arange(6), [2, 3]), [0, 1], [2, 3]).toArray(), [[1, 2], [4, 5]]);
  assert.deepEqual(concat([tensor([[1, 2]]), tensor([[3, 4]])], 0).toArray(), [[1, 2], [3, 4]]);
  assert.deepEqual(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(), [[1, 3], [2, 4]]);
  assert.deepEqual(pad(tensor([1, 2]), [[1, 2]]).toArray(), [0, 1, 2, 0, 0]);
  assert.deepEqual(split(arange(5), [2, 3]).map((t) => t.toArray()), [[0, 1], [2, 3, 4]]);
  assert.deepEqual(indexSelect(tensor([[1, 2], [3, 4], [5, 6]]), 0, [2, 0]).toArray(), [[5, 6], [1, 2]]);
  assert.deepEqual(takeAlongAxis(tensor([[1, 2, 3], [4, 5, 6]]), 1, [2, 0]).toArray(), [3, 4]);
  assert.deepEqual(where(gt(tensor([-1, 2]), 0), tensor([-1, 2]), 0).toArray(), [0, 2]);
  assert.throws(() => indexSelect(tensor([1, 2]), 0, [5]), /indexSelect: index 5 at position 0 is out of range/);
  assert.throws(() => reshape(arange(6), [4, 2]), /reshape: cannot reshape \[6\] \(6 elements\) to \[4,2\]/);
});

test('Rng is reproducible and split streams differ', () => {
  const a = new Rng(7), b = new Rng(7);
  assert.equal(a.uniform(), b.uniform());
  const c1 = a.split(), c2 = a.split();
  assert.notEqual(c1.uniform(), c2.uniform());
  const p = new Rng(1).permutation(10);
  assert.deepEqual([...p].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const xs = Array.from({ length: 20000 }, () => a.normal());
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length);
  assert.ok(Math.abs(m) < 0.03 && Math.abs(sd - 1) < 0.03, `mean ${m} sd ${sd}`);
});

test('float64 promotion: float32 op float64 computes in float64', () => {
  const y = mul(tensor([1, 2]), tensor([1, 2], { dtype: 'float64' }));
  assert.equal(y.dtype, 'float64');
});
