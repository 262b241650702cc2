// The fused batchNorm primitive (ops/batchnorm.ts) behind BatchNorm2d in training: gradchecks, second derivatives, and agreement with the composed form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, Rng, rand, backward, mul, gradcheck, gradcheckVjp, type Tensor } from '../../src/index.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import { getBackend, setBackend } from '../../src/backend/registry.js';
import { hasWasmSimd } from '../../src/backend/wasm/load.js';
import { batchNormTrain, batchStatistics } from '../../src/ops/batchnorm.js';
import { BatchNorm2d } from '../../src/nn/norm2d.js';
import { assertClose } from '../helpers/fixtures.js';
import { secondOrder } from '../helpers/second-order.js';

const wasm = hasWasmSimd() && (await initWasmBackend({ select: false }));
const backends = wasm ? ['js', 'wasm'] : ['js'];

test('batchNorm passes float64 gradchecks in x, weight and bias (rank 4 and rank 3)', () => {
  const rng = new Rng(4);
  for (const shape of [[3, 2, 2, 3], [4, 3, 5]]) {
    const c = shape[1]!;
    const x = rand(shape, { rng, dtype: 'float64', lo: -1, hi: 3, requiresGrad: true });
    const w = rand([c], { rng, dtype: 'float64', lo: 0.5, hi: 2, requiresGrad: true }), b = rand([c], { rng, dtype: 'float64', requiresGrad: true });
    // A non-uniform upstream (sum(y) alone has a zero x-gradient).
    const u = rand(shape, { rng, dtype: 'float64' });
    assert.ok(gradcheck((xi, wi, bi) => mul(batchNormTrain(xi, wi, bi, 1e-5), u), [x, w, b]).ok);
    assert.ok(gradcheckVjp((xi, wi, bi) => batchNormTrain(xi, wi, bi, 1e-5), [x, w, b], { trials: 4 }).ok);
  }
});

test('BatchNorm2d second derivatives (createGraph) equal the composed BatchNorm1d on the [N, C, H·W] view', () => {
  const rng = new Rng(8);
  const bn2 = new BatchNorm2d(3, { dtype: 'float64' }), bn1 = new nn.BatchNorm1d(3, { dtype: 'float64' });
  const gamma = rand([3], { rng, dtype: 'float64', lo: 0.5, hi: 2 }), beta = rand([3], { rng, dtype: 'float64' });
  for (const bn of [bn1, bn2]) bn.loadStateDict({ ...bn.stateDict(), weight: gamma, bias: beta });
  const x = rand([4, 3, 2, 3], { rng, dtype: 'float64', lo: -2, hi: 3 }), u = rand([4, 3, 2, 3], { rng, dtype: 'float64' });
  const got = secondOrder((t) => bn2.forward(t), x, u);
  const want = secondOrder((t) => bn1.forward(t.reshape([4, 3, 6])).reshape([4, 3, 2, 3]), x, u);
  assertClose(got, want, 'second derivative', 1e-10, 1e-8);
});

for (const name of backends) test(`BatchNorm2d float32 on ${name}: fused output, gradients and running statistics match the composed BatchNorm1d`, () => {
  const prev = getBackend().name;
  setBackend(name);
  try {
    const rng = new Rng(12);
    const bn2 = new BatchNorm2d(16), bn1 = new nn.BatchNorm1d(16);
    const x = rand([8, 16, 7, 7], { rng, lo: -1, hi: 4 }), up = rand([8, 16, 7, 7], { rng });
    const x2 = x.detach().requireGrad(), x1 = x.reshape([8, 16, 49]).detach().requireGrad();
    const y2 = bn2.forward(x2), y1 = bn1.forward(x1);
    assertClose(y2.reshape([8, 16, 49]), y1, 'y', 2e-5, 2e-4);
    backward(y2, up);
    backward(y1, up.reshape([8, 16, 49]));
    assertClose(x2.grad!.reshape([8, 16, 49]), x1.grad!, 'x grad', 2e-5, 2e-4);
    for (const k of ['weight', 'bias']) assertClose((bn2.params[k] as Tensor).grad!, (bn1.params[k] as Tensor).grad!, `${k} grad`, 1e-4, 2e-4);
    assertClose(bn2.runningMean, bn1.runningMean, 'running mean', 1e-6, 1e-5);
    assertClose(bn2.runningVar, bn1.runningVar, 'running var', 1e-6, 1e-5);
  } finally {
    setBackend(prev);
  }
});

test('batchStatistics gives the per-channel mean and biased variance without a gradient; bad shapes are named', () => {
  const x = rand([2, 3, 4], { rng: new Rng(1), dtype: 'float64', requiresGrad: true });
  const { mean, variance } = batchStatistics(x);
  assert.equal(mean.requiresGrad, false);
  const xs = [...x.data];
  const c0 = [0, 1, 2, 3, 12, 13, 14, 15].map((i) => xs[i]!), m0 = c0.reduce((a, v) => a + v, 0) / 8;
  assert.ok(Math.abs(mean.data[0]! - m0) < 1e-12);
  assert.ok(Math.abs(variance.data[0]! - c0.reduce((a, v) => a + (v - m0) ** 2, 0) / 8) < 1e-12);
  assert.throws(() => batchNormTrain(x, rand([2], { dtype: 'float64' }), rand([3], { dtype: 'float64' }), 1e-5), /batchNorm: per-channel operand \[2\] must be \[3\] for input \[2,3,4\]/);
});
