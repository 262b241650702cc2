// Tests for traceNeurons / formatTrace: δ matches finite differences, ∂L/∂w = δ·a, errors are clear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/ops/dispatch.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { mlp } from '../../src/nn/mlp.js';
import { Sequential } from '../../src/nn/containers.js';
import { Flatten } from '../../src/nn/layers.js';
import { multiclassHead, vectorRegressionHead } from '../../src/heads/heads.js';
import { replaceAt, entries } from '../../src/tree/tree.js';
import type { Params } from '../../src/nn/module.js';
import { traceNeurons, formatTrace } from '../../src/analysis/trace.js';

const net = mlp({ sizes: [3, 4, 2], activation: 'tanh', seed: 2, dtype: 'float64' });
const head = multiclassHead({ numClasses: 2 });
const x = tensor([0.5, -1, 2], { dtype: 'float64' });
const y = tensor([1]);

test('δ equals the finite-difference derivative of the loss w.r.t. each bias; ∂L/∂w = δ·a', () => {
  const before = entries(net.params).map(([, t]) => t.toFlat());
  const { rows, loss } = traceNeurons(net, head, x, y);
  assert.equal(rows.length, 6);
  const L = (p: Params): number => head.loss(net.apply(p, x.reshape([1, 3])), y).item();
  assert.ok(Math.abs(L(net.params) - loss) < 1e-12);
  for (const r of rows) {
    const path = `${r.layer === 0 ? 0 : 2}.bias`;
    const b = entries(net.params).find(([k]) => k === path)![1];
    const shift = (e: number): Params => replaceAt(net.params, path, tensor(b.toFlat().map((v, j) => (j === r.neuron ? v + e : v)), { dtype: 'float64' })) as Params;
    const fd = (L(shift(1e-6)) - L(shift(-1e-6))) / 2e-6;
    assert.ok(Math.abs(fd - r.delta) < 1e-7, `layer ${r.layer} neuron ${r.neuron}: ${fd} vs ${r.delta}`);
    const a = r.layer === 0 ? x.toFlat() : rows.filter((q) => q.layer === 0).map((q) => q.activation);
    r.weightGrad.forEach((g, k) => assert.ok(Math.abs(g - r.delta * a[k]!) < 1e-12));
  }
  assert.equal(rows[0]!.activation, Math.tanh(rows[0]!.preactivation));
  assert.deepEqual(entries(net.params).map(([, t]) => t.toFlat()), before);
  assert.equal((net.params['0'] as Params).weight!.grad as Tensor | null, null);
});

test('formatTrace prints one line per neuron plus a header', () => {
  const { rows } = traceNeurons(net, vectorRegressionHead(2), x, tensor([0.3, 0.1], { dtype: 'float64' }).reshape([1, 2]));
  const text = formatTrace(rows, 2);
  assert.equal(text.split('\n').length, 7);
  assert.match(text, /δ=∂L\/∂z/);
  assert.match(text.split('\n')[1]!, /Tanh/);
});

test('traceNeurons rejects batches and non-traceable models', () => {
  assert.throws(() => traceNeurons(net, head, tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' }), y), /one example/);
  assert.throws(() => traceNeurons(new Sequential(new Flatten()), head, x, y), /does not follow a Linear/);
});
