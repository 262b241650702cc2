// Every case of test/fixtures/losses.json (PyTorch values and gradients) reproduced in float64 and float32.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DType, Tensor } from '../../src/index.js';
import * as L from '../../src/losses/index.js';
import { fixture, toTensor, assertClose, type FixtureTensor } from '../helpers/fixtures.js';

interface LossCase {
  name: string;
  loss: number;
  alpha?: number;
  [key: string]: unknown;
}

/** For each fixture case: the loss function and which fields hold the prediction and its gradient. */
interface Runner {
  input: string;
  grad: string;
  fn: (x: Tensor, y: Tensor, c: LossCase) => Tensor;
}

const runners: Record<string, Runner> = {
  mse: { input: 'input', grad: 'grad_input', fn: (x, y) => L.mse(x, y) },
  mae: { input: 'input', grad: 'grad_input', fn: (x, y) => L.mae(x, y) },
  l2_squared: { input: 'input', grad: 'grad_input', fn: (x, y) => L.squaredL2(x, y) },
  l1_norm: { input: 'input', grad: 'grad_input', fn: (x, y) => L.l1(x, y) },
  binary_cross_entropy: { input: 'prob', grad: 'grad_prob', fn: (x, y) => L.binaryCrossEntropy(x, y) },
  binary_cross_entropy_with_logits: { input: 'logits', grad: 'grad_logits', fn: (x, y) => L.binaryCrossEntropyWithLogits(x, y) },
  hinge: { input: 'scores', grad: 'grad_scores', fn: (x, y, c) => L.hinge(x, y, { margin: c.alpha! }) },
  cross_entropy: { input: 'logits', grad: 'grad_logits', fn: (x, y) => L.crossEntropy(x, y) },
  'cross_entropy_label_smoothing_0.1': {
    input: 'logits', grad: 'grad_logits', fn: (x, y) => L.crossEntropy(x, y, { labelSmoothing: 0.1 }),
  },
  multi_margin: { input: 'scores', grad: 'grad_scores', fn: (x, y) => L.multiMargin(x, y) },
  'huber_1.0': { input: 'input', grad: 'grad_input', fn: (x, y) => L.huber(x, y, { delta: 1 }) },
};

const cases = fixture<{ cases: LossCase[] }>('losses.json').cases;

function field(c: LossCase, key: string): FixtureTensor {
  const f = c[key] as FixtureTensor | undefined;
  assert.ok(f && Array.isArray(f.data), `${c.name}: fixture has no tensor "${key}"`);
  return f;
}

function runCase(c: LossCase, dtype: DType, atol: number, rtol: number): void {
  const r = runners[c.name];
  assert.ok(r, `no runner for fixture case "${c.name}"`);
  const x = toTensor(field(c, r.input), dtype, true);
  const y = toTensor(field(c, 'target'), dtype);
  const loss = r.fn(x, y, c);
  assert.deepEqual([...loss.shape], [], `${c.name}: mean loss is a scalar`);
  assert.equal(loss.dtype, dtype);
  assertClose([loss.item()], [c.loss], `${c.name} ${dtype} loss`, atol, rtol);
  loss.backward();
  assertClose(x.grad!, field(c, r.grad), `${c.name} ${dtype} gradient`, atol, rtol);
}

test('the fixture holds the expected 12 cases and every one has a runner', () => {
  assert.equal(cases.length, 12);
  for (const c of cases) assert.ok(runners[c.name], `unhandled case ${c.name}`);
});

for (const [i, c] of cases.entries()) {
  const label = `${c.name}${c.alpha !== undefined ? ` (α=${c.alpha})` : ''} #${i}`;
  test(`${label} matches PyTorch in float64`, () => runCase(c, 'float64', 1e-12, 1e-10));
  test(`${label} matches PyTorch in float32`, () => runCase(c, 'float32', 1e-5, 1e-4));
}
