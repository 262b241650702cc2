// A second backward() through a used graph is an error unless the first one kept it (retainGraph), as in PyTorch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, backward } from '../../src/index.js';

const SECOND = /backward: trying to backward through the graph a second time: the '(\w+)' step was already used \(and freed\) by an earlier backward\(\).*retainGraph: true/;

test('a second backward through a freed graph throws and leaves the gradients as they were', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const y = x.mul(x).sum();
  y.backward();
  assert.deepEqual(x.grad!.toArray(), [2, 4, 6]);
  assert.throws(() => y.backward(), SECOND);
  assert.deepEqual(x.grad!.toArray(), [2, 4, 6], 'no gradient is added by the refused call');
});

test('a new loss built on a tensor of a freed graph is refused too', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const h = x.mul(3);
  h.sum().backward();
  assert.throws(() => h.mul(h).sum().backward(), SECOND);
});

test('retainGraph keeps the graph for one more backward; gradients then add up exactly', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const y = x.mul(x).sum();
  y.backward({ retainGraph: true });
  y.backward(undefined, { retainGraph: true });
  y.backward();
  assert.deepEqual(x.grad!.toArray(), [6, 12, 18]);
  assert.throws(() => backward(y), SECOND);
});

test('createGraph keeps the graph by default (higher-order gradients), and a fresh forward is always fine', () => {
  const x = tensor([2], { requiresGrad: true });
  const y = x.mul(x).mul(x).sum();
  y.backward({ createGraph: true });
  const g = x.grad!;
  x.grad = null;
  g.sum().backward();              // d²(x³)/dx² = 6x = 12; frees the original graph it went through
  assert.deepEqual(x.grad!.toArray(), [12]);
  assert.throws(() => y.backward(), SECOND);
  const z = x.mul(x).sum();
  z.backward({ createGraph: true, retainGraph: false });
  assert.throws(() => z.backward(), SECOND);
  x.grad = null;
  x.mul(x).sum().backward();
  x.mul(x).sum().backward();
  assert.deepEqual(x.grad!.toArray(), [8]);
});

test('a leaf can be backpropagated more than once (it has no graph)', () => {
  const w = tensor([5], { requiresGrad: true });
  w.backward();
  w.backward();
  assert.deepEqual(w.grad!.toArray(), [2]);
});

test('a misspelt backward option is an error, not a silently freed graph', () => {
  const y = tensor([1], { requiresGrad: true }).mul(2).sum();
  assert.throws(() => y.backward({ retainGrap: true } as never), /backward: unknown option "retainGrap" \(did you mean "retainGraph"\?\); known options are createGraph, retainGraph/);
  y.backward();
});
