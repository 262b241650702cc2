// Fast paths against their unfused references: the linear primitive, plan caches, slab storage, Sequential.forward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as N from '../../src/index.js';
import { Rng, Tensor, randn, type DType } from '../../src/index.js';
import { allocate, SLAB_MAX_BYTES } from '../../src/core/dtype.js';
import { binaryLayout, reduceLayout } from '../../src/backend/plan-cache.js';
import { broadcastPlan, reducePlan } from '../../src/backend/plan.js';
import { broadcastShapes, reducedShape } from '../../src/core/shape.js';
import { mlp } from '../../src/nn/mlp.js';
import { encodeSafetensors, decodeSafetensors } from '../../src/io/safetensors.js';

const leaf = (shape: number[], seed: number, dtype: DType): Tensor => randn(shape, { rng: new Rng(seed), dtype, requiresGrad: true });

for (const dtype of ['float32', 'float64'] as const) {
  test(`linear (${dtype}): the fused primitive equals matmul + add, values and every gradient bit for bit`, () => {
    for (const [m, k, n] of [[10, 2, 8], [1, 3, 1], [7, 5, 300], [64, 33, 17]] as const) {
      const [x1, w1, b1] = [leaf([m, k], 1, dtype), leaf([n, k], 2, dtype), leaf([n], 3, dtype)];
      const [x2, w2, b2] = [x1, w1, b1].map((t) => t.detach().clone().requireGrad());
      const g = randn([m, n], { rng: new Rng(4), dtype });
      const fused = N.linear(x1, w1, b1);
      assert.equal(fused.node?.op, 'linear');
      const ref = N.add(N.matmul(x2!, w2!, { transB: true }), b2!);
      assert.deepEqual(fused.shape, [m, n]);
      assert.deepEqual(fused.toFlat(), ref.toFlat(), `forward [${m},${k}]x[${n},${k}]`);
      N.sum(N.mul(fused, g)).backward();
      N.sum(N.mul(ref, g)).backward();
      assert.deepEqual(x1.grad!.toFlat(), x2!.grad!.toFlat(), 'dx');
      assert.deepEqual(w1.grad!.toFlat(), w2!.grad!.toFlat(), 'dw');
      assert.deepEqual(b1.grad!.toFlat(), b2!.grad!.toFlat(), 'db');
      assert.deepEqual(b1.grad!.shape, [n]);
    }
  });
}

test('linear: only inputs that require grad get gradients; other shapes compose; bad shapes are named', () => {
  const x = randn([4, 3]), w = leaf([2, 3], 5, 'float32'), b = randn([2]);
  N.sum(N.linear(x, w, b)).backward();
  assert.equal(x.grad, null);
  assert.equal(b.grad, null);
  assert.deepEqual(w.grad!.shape, [2, 3]);
  assert.equal(N.linear(x, w).node?.op, 'matmul', 'no bias: a plain matmul');
  assert.deepEqual(N.linear(randn([5, 4, 3]), w, b).shape, [5, 4, 2], 'a rank-3 input composes');
  assert.throws(() => N.linear(randn([4, 5]), w, b), /linear: input \[4,5\] @ weight \[2,3\]ᵀ: inner dimensions 5 and 3 differ/);
  assert.throws(() => N.linear(x, w, randn([3])), /linear: bias \[3\] does not match the 2 outputs of weight \[2,3\]/);
  const y = N.noGrad(() => N.linear(x, w, b));
  assert.equal(y.node, null, 'nothing recorded under noGrad');
});

test('plan caches return the plans and shapes of the uncached functions, for repeated and new shapes', () => {
  const pairs: [number[], number[]][] = [[[10, 8], [8]], [[10, 8], [8]], [[3, 1, 5], [4, 1]], [[2, 3, 4], [2, 1, 4]], [[5], [5]], [[], [7]], [[6, 1], [1, 6]], [[0, 3], [3]]];
  for (const [a, b] of pairs) {
    const out = broadcastShapes('add', a, b);
    const { shape, plan } = binaryLayout('add', a, b);
    assert.deepEqual([...shape], out);
    assert.ok(Object.isFrozen(shape));
    const want = broadcastPlan(a, b, out);
    assert.deepEqual({ shape: [...plan.shape], a: [...plan.aStrides], b: [...plan.bStrides] }, { shape: want.shape, a: want.aStrides, b: want.bStrides });
  }
  assert.throws(() => binaryLayout('mul', [2, 3], [4]), /mul: \[2,3\] and \[4\] do not broadcast/);
  for (const [shape, axes, keep] of [[[10, 8], [0], false], [[10, 8], [0], true], [[2, 3, 4], [0, 2], false], [[4], [0], false]] as const) {
    const l = reduceLayout(shape, axes, keep);
    assert.deepEqual([...l.shape], reducedShape(shape, axes, keep));
    assert.deepEqual([...l.keptShape], reducedShape(shape, axes, true));
    const want = reducePlan(shape, axes);
    assert.deepEqual([[...l.plan.shape], [...l.plan.outStrides]], [want.shape, want.outStrides]);
  }
});

test('small storages come from a slab: zero-filled, disjoint, and serialised through their byteOffset', () => {
  const n = SLAB_MAX_BYTES / 4;
  const a = allocate('float32', n), b = allocate('float32', 20), c = allocate('float64', 17);
  assert.ok(a.every((v) => v === 0) && b.every((v) => v === 0) && c.every((v) => v === 0));
  a.fill(1); c.fill(2);
  assert.ok(b.every((v) => v === 0), 'writing one storage leaves the others alone');
  assert.equal(allocate('float32', 3).buffer.byteLength, 12, 'tiny storages get their own buffer');
  assert.ok(allocate('float32', 4096).byteOffset === 0, 'large storages get their own buffer');
  // Many allocations roll over to fresh slabs without ever handing out a used region.
  const many = Array.from({ length: 200 }, (_, i) => { const s = allocate('float32', 30); s.fill(i + 1); return s; });
  many.forEach((s, i) => assert.ok(s.every((v) => v === i + 1), `storage ${i} intact`));
  const t = N.tensor(Array.from({ length: 20 }, (_, i) => i / 3));
  assert.ok(t.data.buffer.byteLength > t.data.byteLength, 'this tensor lives in a slab');
  const back = decodeSafetensors(encodeSafetensors({ t })).tensors.t!;
  assert.deepEqual(back.toFlat(), t.toFlat());
});

test('Sequential.forward equals apply with the assembled parameter tree', () => {
  const net = mlp({ sizes: [3, 5, 4, 2], seed: 2, batchNorm: false });
  const x = randn([6, 3], { rng: new Rng(9) });
  assert.deepEqual(net.forward(x).toFlat(), net.apply(net.params, x).toFlat());
});

test('backward after an aborted sweep starts clean', () => {
  const x = N.tensor([1, 2, 3], { requiresGrad: true });
  const bad = N.mul(x, 2);
  // A vjp that throws mid-sweep (as a user-built graph might): the next backward must not see its leftovers.
  (bad as { node: unknown }).node = { ...bad.node!, vjp: () => { throw new Error('boom'); } };
  assert.throws(() => N.add(N.sum(bad), N.sum(N.mul(x, 5))).backward(), /boom/);
  x.grad = null;
  N.sum(N.mul(x, 3)).backward();
  assert.deepEqual(x.grad!.toFlat(), [3, 3, 3]);
});
