// Autograd engine: accumulation, noGrad, detach, broadcast reduction, and gradcheck of every primitive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as N from '../../src/index.js';
import { tensor, randn, gradcheck, gradcheckVjp, noGrad, Rng, type Tensor } from '../../src/index.js';

const rng = new Rng(1234);
const r = (shape: number[], lo = -1, hi = 1): Tensor => N.rand(shape, { rng, lo, hi, dtype: 'float64', requiresGrad: true });
const pos = (shape: number[]): Tensor => r(shape, 0.5, 2);

test('gradients accumulate across backward calls and noGrad records nothing', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  x.mul(2).sum().backward();
  x.mul(2).sum().backward();
  assert.deepEqual(x.grad!.toArray(), [4, 4, 4]);
  const y = noGrad(() => x.mul(3));
  assert.equal(y.requiresGrad, false);
  assert.equal(x.detach().requiresGrad, false);
  assert.throws(() => tensor([1, 2]).sum().backward(), /backward: tensor does not require grad/);
  assert.throws(() => x.mul(2).backward(), /implicit gradient only for a one-element output/);
});

test('broadcast inputs receive gradients of their own shape', () => {
  const a = randn([4, 3], { requiresGrad: true });
  const b = randn([3], { requiresGrad: true });
  const c = randn([4, 1], { requiresGrad: true });
  N.add(N.mul(a, b), c).sum().backward();
  assert.deepEqual(b.grad!.shape, [3]);
  assert.deepEqual(c.grad!.shape, [4, 1]);
  assert.ok(Math.abs(c.grad!.data[0]! - 3) < 1e-6);
});

test('retainGrad keeps a non-leaf gradient; createGraph allows second derivatives', () => {
  const x = tensor([3], { dtype: 'float64', requiresGrad: true });
  const h = x.mul(x).retainGrad();
  h.sum().backward();
  assert.deepEqual(h.grad!.toArray(), [1]);
  const x2 = tensor([2], { dtype: 'float64', requiresGrad: true });
  const y = x2.pow(3).sum();
  y.backward(undefined, { createGraph: true });
  const g = x2.grad!; // 3x² = 12, recorded
  x2.grad = null;
  g.sum().backward();
  assert.equal(x2.grad!.item(), 12); // d(3x²)/dx = 6x = 12
});

/** One gradcheck case per primitive (and broadcasting variants); float64 central differences. */
const cases: [string, () => [(...t: Tensor[]) => Tensor, Tensor[]]][] = [
  ['neg', () => [(a) => N.neg(a!), [r([2, 3])]]],
  ['exp', () => [(a) => N.exp(a!), [r([2, 3])]]],
  ['log', () => [(a) => N.log(a!), [pos([5])]]],
  ['sqrt', () => [(a) => N.sqrt(a!), [pos([5])]]],
  ['abs', () => [(a) => N.abs(a!), [r([5])]]],
  ['relu', () => [(a) => N.relu(a!), [r([6])]]],
  ['sigmoid', () => [(a) => N.sigmoid(a!), [r([6], -5, 5)]]],
  ['tanh', () => [(a) => N.tanh(a!), [r([6], -3, 3)]]],
  ['softplus', () => [(a) => N.softplus(a!), [r([6], -5, 5)]]],
  ['sin', () => [(a) => N.sin(a!), [r([4])]]],
  ['cos', () => [(a) => N.cos(a!), [r([4])]]],
  ['add broadcast', () => [(a, b) => N.add(a!, b!), [r([3, 4]), r([4])]]],
  ['sub broadcast', () => [(a, b) => N.sub(a!, b!), [r([3, 1]), r([1, 4])]]],
  ['mul broadcast', () => [(a, b) => N.mul(a!, b!), [r([2, 3, 4]), r([3, 1])]]],
  ['div broadcast', () => [(a, b) => N.div(a!, b!), [r([3, 4]), pos([3, 1])]]],
  ['pow', () => [(a, b) => N.pow(a!, b!), [pos([3, 2]), r([2])]]],
  ['maximum', () => [(a, b) => N.maximum(a!, b!), [r([5]), r([5])]]],
  ['minimum broadcast', () => [(a, b) => N.minimum(a!, b!), [r([2, 5]), r([1])]]],
  ['reluGrad', () => [(g, x) => N.reluGrad(g!, x!), [r([5]), r([5])]]],
  ['sigmoidGrad', () => [(g, y) => N.sigmoidGrad(g!, y!), [r([5]), r([5])]]],
  ['tanhGrad', () => [(g, y) => N.tanhGrad(g!, y!), [r([5]), r([5])]]],
  ['where', () => [(a, b) => N.where(N.gt(a!, 0), a!, b!), [r([6]), r([2, 1])]]],
  ['sum axes keepdims', () => [(a) => N.sum(a!, [0, 2], true), [r([2, 3, 4])]]],
  ['sum all', () => [(a) => N.sum(a!), [r([2, 3])]]],
  ['max', () => [(a) => N.max(a!, 1), [r([3, 4])]]],
  ['matmul', () => [(a, b) => N.matmul(a!, b!), [r([3, 4]), r([4, 2])]]],
  ['matmul transB', () => [(a, b) => N.matmul(a!, b!, { transB: true }), [r([3, 4]), r([2, 4])]]],
  ['matmul transA', () => [(a, b) => N.matmul(a!, b!, { transA: true }), [r([4, 3]), r([4, 2])]]],
  ['matmul transA transB', () => [(a, b) => N.matmul(a!, b!, { transA: true, transB: true }), [r([4, 3]), r([2, 4])]]],
  ['linear (fused primitive)', () => [(x, w, b) => N.linear(x!, w!, b!), [r([3, 4]), r([2, 4]), r([2])]]],
  ['square (mul of a tensor by itself)', () => [(a) => N.square(a!), [r([2, 3])]]],
  ['batched matmul broadcast', () => [(a, b) => N.matmul(a!, b!), [r([2, 3, 4]), r([4, 2])]]],
  ['batched matmul per-sample', () => [(a, b) => N.matmul(a!, b!, { transB: true }), [r([2, 1, 3]), r([2, 4, 3])]]],
  ['logSoftmax via logsumexp', () => [(a) => N.logsumexp(a!, 1), [r([2, 5])]]],
  ['reshape', () => [(a) => N.reshape(a!, [3, 2]).mul(N.arange(2, undefined, 1, { dtype: 'float64' })), [r([2, 3])]]],
  ['permute', () => [(a) => N.permute(a!, [2, 0, 1]).mul(N.arange(2, undefined, 1, { dtype: 'float64' })), [r([3, 2, 4])]]],
  ['broadcastTo', () => [(a) => N.broadcastTo(a!, [3, 2, 4]), [r([2, 1])]]],
  ['slice', () => [(a) => N.slice(a!, [1, 0], [3, 2]), [r([4, 3])]]],
  ['pad', () => [(a) => N.pad(a!, [[1, 0], [0, 2]], 5), [r([2, 2])]]],
  ['concat', () => [(a, b) => N.concat([a!, b!], 1), [r([2, 1]), r([2, 3])]]],
  ['stack', () => [(a, b) => N.stack([a!, b!], 0), [r([2]), r([2])]]],
  ['indexSelect (repeats)', () => [(a) => N.indexSelect(a!, 1, [2, 0, 2]), [r([2, 3])]]],
  ['takeAlongAxis', () => [(a) => N.takeAlongAxis(a!, 1, [1, 0, 2]), [r([3, 3])]]],
];

for (const [name, make] of cases) {
  test(`gradcheck: ${name}`, () => {
    const [fn, inputs] = make();
    const res = gradcheck(fn, inputs);
    assert.ok(res.ok);
  });
}

test('gradcheck: cast (float32 round trip needs a coarser eps)', () => {
  const x = N.tensor([0.5, 0.25], { dtype: 'float64', requiresGrad: true });
  assert.ok(gradcheck((a) => N.cast(N.cast(a!, 'float32'), 'float64').mul(2), [x], { eps: 1e-2 }).ok);
});

test('gradcheck reports a wrong gradient; gradcheckVjp checks large inputs', () => {
  const x = r([3]);
  const wrong = (a: Tensor): Tensor => N.add(a.detach().mul(a.detach()), a); // true grad is 2x+1, engine sees 1
  assert.equal(gradcheck((a) => wrong(a!), [x], { raise: false }).ok, false);
  assert.throws(() => gradcheck((a) => a!.mul(2), [N.tensor([1, 2], { requiresGrad: true })]), /finite differences need float64/);
  const w = r([64, 32]);
  const xs = N.rand([16, 64], { rng, dtype: 'float64' });
  assert.ok(gradcheckVjp((w) => N.matmul(xs, w!).tanh(), [w], { trials: 3 }).ok);
});
