// Activation functions against test/fixtures/activations.json (PyTorch), gradchecks, kink conventions, and extremes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, tensor, gradcheck, Rng, rand, type DType, type Tensor } from '../../src/index.js';
import { fixture, toTensor, assertClose, type FixtureTensor } from '../helpers/fixtures.js';

const F = nn.functional;

interface ActCase {
  name: string;
  temperature?: number;
  alpha?: number;
  [key: string]: unknown;
}

const cases = fixture<{ cases: ActCase[] }>('activations.json').cases;

const elementwise: Record<string, (x: Tensor) => Tensor> = {
  identity: F.identity,
  sigmoid: F.sigmoid,
  tanh: F.tanh,
  softsign: F.softsign,
  hardtanh: (x) => F.hardtanh(x),
  softplus: (x) => F.softplus(x),
  relu: F.relu,
  'leaky_relu_0.01': (x) => F.leakyRelu(x, 0.01),
  'leaky_relu_0.2': (x) => F.leakyRelu(x, 0.2),
};

function field(c: ActCase, key: string): FixtureTensor {
  const f = c[key] as FixtureTensor | undefined;
  assert.ok(f && Array.isArray(f.data), `${c.name}: fixture has no tensor "${key}"`);
  return f;
}

/** Runs one fixture case in `dtype`; returns false for a case name it does not know. */
function runCase(c: ActCase, dtype: DType, atol: number, rtol: number): boolean {
  const what = `${c.name}${c.temperature !== undefined ? ` τ=${c.temperature}` : ''} ${dtype}`;
  const x = toTensor(field(c, 'x'), dtype, true);
  const fn = elementwise[c.name];
  if (fn) {
    const y = fn(x);
    assertClose(y, field(c, 'y'), `${what} y`, atol, rtol);
    y.sum().backward();
    assertClose(x.grad!, field(c, 'dy_dx'), `${what} dy/dx`, atol, rtol);
    return true;
  }
  const upstream = toTensor(field(c, 'upstream'), dtype);
  let y: Tensor;
  let slope: Tensor | undefined;
  if (c.name === 'softmax') y = F.softmax(x, -1, c.temperature!);
  else if (c.name === 'log_softmax') y = F.logSoftmax(x, -1);
  else if (c.name === 'prelu') y = F.prelu(x, (slope = tensor([c.alpha!], { dtype, requiresGrad: true })));
  else return false;
  assertClose(y, field(c, 'y'), `${what} y`, atol, rtol);
  y.backward(upstream);
  assertClose(x.grad!, field(c, 'vjp'), `${what} vjp`, atol, rtol);
  if (slope) assertClose(slope.grad!, field(c, 'dalpha'), `${what} d slope`, atol, rtol);
  return true;
}

test('the fixture has the expected 14 cases', () => {
  assert.equal(cases.length, 14);
  assert.equal(cases.filter((c) => c.name === 'softmax').map((c) => c.temperature).join(), '1,0.5,2');
});

for (const [i, c] of cases.entries()) {
  const label = `${c.name}${c.temperature !== undefined ? ` τ=${c.temperature}` : ''} #${i}`;
  test(`${label} matches PyTorch in float64`, () => assert.ok(runCase(c, 'float64', 1e-13, 1e-11), `unhandled case ${c.name}`));
  test(`${label} matches PyTorch in float32`, () => assert.ok(runCase(c, 'float32', 1e-5, 1e-4), `unhandled case ${c.name}`));
}

test('gradcheck of every activation in float64 (inputs away from kinks)', () => {
  const rng = new Rng(5);
  // Fixture inputs: their nearest kink (0 or ±1) is 8.7e-4 away, far beyond gradcheck's eps 1e-6.
  const x = toTensor(field(cases[0]!, 'x'), 'float64', true);
  for (const [name, fn] of Object.entries(elementwise)) {
    assert.ok(gradcheck(fn, [x]).ok, name);
  }
  assert.ok(gradcheck((a) => F.softplus(a, 2.5), [x]).ok, 'softplus β=2.5');
  assert.ok(gradcheck((a) => F.hardtanh(a, -2, 3), [x]).ok, 'hardtanh [-2, 3]');
  const logits = rand([3, 5], { rng, lo: -3, hi: 3, dtype: 'float64', requiresGrad: true });
  const tau = tensor([0.7], { dtype: 'float64', requiresGrad: true });
  for (const t of [1, 0.5, 2]) {
    assert.ok(gradcheck((a) => F.softmax(a, -1, t), [logits]).ok, `softmax τ=${t}`);
    assert.ok(gradcheck((a) => F.logSoftmax(a, 0, t), [logits]).ok, `logSoftmax axis 0 τ=${t}`);
  }
  assert.ok(gradcheck((a, s) => F.softmax(a, 1, s), [logits, tau]).ok, 'softmax w.r.t. a learnable τ');
  assert.ok(gradcheck((a, s) => F.logSoftmax(a, 1, s), [logits, tau]).ok, 'logSoftmax w.r.t. a learnable τ');
  const slope = tensor([0.25], { dtype: 'float64', requiresGrad: true });
  assert.ok(gradcheck((a, s) => F.prelu(a, s), [x, slope]).ok, 'prelu (x and slope)');
  const x3 = rand([2, 3, 4], { rng, lo: -2, hi: 2, dtype: 'float64', requiresGrad: true });
  const perChannel = tensor([0.1, 0.2, 0.3], { dtype: 'float64', requiresGrad: true });
  assert.ok(gradcheck((a, s) => F.prelu(a, s), [x3, perChannel]).ok, 'prelu with a slope per channel');
});

test('derivatives at kinks follow PyTorch: relu 0, leaky relu α, prelu slope at x = 0', () => {
  const grad = (fn: (x: Tensor) => Tensor, v: number): number => {
    const x = tensor([v], { dtype: 'float64', requiresGrad: true });
    fn(x).sum().backward();
    return x.grad!.item();
  };
  assert.equal(grad(F.relu, 0), 0);
  assert.equal(grad((x) => F.leakyRelu(x, 0.2), 0), 0.2);
  assert.equal(grad((x) => F.prelu(x, tensor([0.25], { dtype: 'float64' })), 0), 0.25);
  assert.equal(grad(F.softsign, 0), 1);
});

test('hardtanh has derivative 0 at its bounds ±1, as PyTorch', () => {
  const x = tensor([-1, 1], { dtype: 'float64', requiresGrad: true });
  F.hardtanh(x).sum().backward();
  assert.deepEqual(x.grad!.toFlat(), [0, 0]);
});

const big = [-1000, -500, -100, -50, 50, 100, 500, 1000];

test('softplus and sigmoid are exact and finite at |x| = 50..1000 (float64), finite in float32', () => {
  const x = tensor(big, { dtype: 'float64', requiresGrad: true });
  // Exact values: softplus(x) = x + log1p(e^-x) rounds to x for x ≥ 50 and to e^x for x ≤ -50 (relative error < 2e-22).
  const sp = F.softplus(x);
  assertClose(sp, big.map((v) => (v > 0 ? v : Math.exp(v))), 'softplus', 0, 1e-15);
  sp.sum().backward();
  assertClose(x.grad!, big.map((v) => (v > 0 ? 1 : Math.exp(v))), "softplus' = σ", 0, 1e-15);
  const x2 = tensor(big, { dtype: 'float64', requiresGrad: true });
  const s = F.sigmoid(x2);
  assertClose(s, big.map((v) => (v > 0 ? 1 : Math.exp(v))), 'sigmoid', 0, 1e-15);
  s.sum().backward();
  // σ' is computed as y(1-y) (as PyTorch): for x ≥ 50, y rounds to 1 and σ' to 0, an absolute error ≤ 2e-22.
  assertClose(x2.grad!, big.map((v) => Math.exp(-Math.abs(v))), "sigmoid' = σ(1-σ)", 1e-21, 1e-15);
  for (const fn of [F.softplus, F.sigmoid] as const) {
    const x32 = tensor(big, { dtype: 'float32', requiresGrad: true });
    const y = (fn as (t: Tensor) => Tensor)(x32);
    y.sum().backward();
    assert.ok([...y.toFlat(), ...x32.grad!.toFlat()].every(Number.isFinite));
  }
});

test('log_softmax and softmax are exact and finite for logits of ±1000 (float64 and float32)', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    const x = tensor([[1000, 0, -1000], [-50, 50, 0]], { dtype, requiresGrad: true });
    const lp = F.logSoftmax(x, -1);
    assertClose(lp, [0, -1000, -2000, -100, 0, -50], `${dtype} logSoftmax`, 0, 1e-15);
    lp.sum().backward();
    assertClose(x.grad!, [-2, 1, 1, 1, -2, 1], `${dtype} logSoftmax vjp`, 1e-15, 0);
    // float32 holds e^-100 only as a denormal, hence its atol.
    const atol = dtype === 'float32' ? 1e-40 : 0;
    assertClose(F.softmax(x.detach(), -1), [1, 0, 0, Math.exp(-100), 1, Math.exp(-50)], `${dtype} softmax`, atol, 1e-6);
    assertClose(F.softmax(x.detach(), -1, 0.01), [1, 0, 0, 0, 1, 0], `${dtype} softmax τ=0.01`, 0, 0);
  }
});
