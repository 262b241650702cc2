// Conv2d / pooling against PyTorch fixtures (float64 and float32), and the conv layer modules.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { nn, Rng, rand, tensor, backward, sum, mul, mean, type Tensor, type DType } from '../../src/index.js';
import { conv2d, maxPool2d, avgPool2d } from '../../src/ops/conv.js';
import { Conv2d } from '../../src/nn/conv.js';
import { MaxPool2d, AvgPool2d, GlobalAvgPool2d } from '../../src/nn/pool.js';
import { BatchNorm2d } from '../../src/nn/norm2d.js';
import { fixture, toTensor, assertClose, type FixtureTensor } from '../helpers/fixtures.js';

type ConvCase = { name: string; stride?: number; padding?: number; dilation?: number } & Record<string, FixtureTensor>;
const cases = fixture<{ cases: ConvCase[] }>('conv.json').cases;
const tol: Record<DType, [number, number]> = { float64: [1e-10, 1e-9], float32: [2e-5, 2e-4] };

/** The pooling geometry each fixture case was generated with (named in the case, else kernel 2). */
function pool(c: ConvCase, x: Tensor): Tensor {
  if (c.name === 'maxpool2d') return maxPool2d(x, 2);
  if (c.name === 'avgpool2d') return avgPool2d(x, 2);
  if (c.name === 'maxpool2d_k3_s2_p1') return maxPool2d(x, 3, { stride: 2, padding: 1 });
  throw new Error(`unknown fixture case ${c.name}`);
}

for (const dtype of ['float64', 'float32'] as const) {
  test(`conv2d and pooling reproduce every case of conv.json (${dtype})`, () => {
    const [atol, rtol] = tol[dtype];
    assert.equal(cases.length, 6);
    for (const [k, c] of cases.entries()) {
      const what = `${c.name}#${k} ${dtype}`;
      const x = toTensor(c.x!, dtype, true);
      if (c.name === 'conv2d') {
        const w = toTensor(c.weight!, dtype, true), b = toTensor(c.bias!, dtype, true);
        const y = conv2d(x, w, b, { stride: c.stride!, padding: c.padding!, dilation: c.dilation! });
        assertClose(y, c.y!, `${what} y`, atol, rtol);
        backward(y, toTensor(c.upstream!, dtype));
        assertClose(w.grad!, c.grad_weight!, `${what} grad_weight`, atol, rtol);
        assertClose(b.grad!, c.grad_bias!, `${what} grad_bias`, atol, rtol);
      } else {
        const y = pool(c, x);
        assertClose(y, c.y!, `${what} y`, atol, rtol);
        backward(y, toTensor(c.upstream!, dtype));
      }
      assertClose(x.grad!, c.vjp_x!, `${what} vjp_x`, atol, rtol);
    }
  });
}

test('Conv2d module: PyTorch names, init bounds, external params, toJSON round trip', () => {
  const conv = new Conv2d(2, 3, 3, { padding: 1, rng: new Rng(1), dtype: 'float64' });
  assert.deepEqual(conv.paramSpec().map((s) => [s.path, [...s.shape]]), [['weight', [3, 2, 3, 3]], ['bias', [3]]]);
  const bound = 1 / Math.sqrt(2 * 9);
  assert.ok((conv.params.weight as Tensor).toFlat().every((v) => Math.abs(v) <= bound));
  const c = cases[2]!;
  const other = new Conv2d(2, 3, 3, { padding: 2, dilation: 2, dtype: 'float64' });
  const y = other.apply({ weight: toTensor(c.weight!), bias: toTensor(c.bias!) }, toTensor(c.x!));
  assertClose(y, c.y!, 'apply with fixture params', 1e-10, 1e-9);
  const copy = nn.moduleFromJSON(other.toJSON());
  assert.deepEqual(copy.toJSON(), other.toJSON());
  assert.equal(copy.describe(), 'Conv2d(2→3, 3x3, pad 2x2, dil 2x2)');
  assert.throws(() => conv.forward(rand([2, 64], { dtype: 'float64' })), /Conv2d: input \[2,64\] must be \[N, 2, H, W\] \(reshape flat images first/);
});

test('Conv2d with per-sample weights [N, out, in, kh, kw] equals a loop over examples', () => {
  const rng = new Rng(5);
  const conv = new Conv2d(2, 3, 2, { stride: 1, padding: 1, dtype: 'float64', rng });
  const x = rand([3, 2, 4, 5], { rng, dtype: 'float64' });
  const w = rand([3, 3, 2, 2, 2], { rng, dtype: 'float64' }), b = rand([3, 3], { rng, dtype: 'float64' });
  const y = conv.apply({ weight: w, bias: b }, x);
  for (let i = 0; i < 3; i++) {
    const yi = conv.apply({ weight: w.slice([i], [i + 1]).reshape([3, 2, 2, 2]), bias: b.slice([i], [i + 1]).reshape([3]) }, x.slice([i], [i + 1]));
    assertClose(y.slice([i], [i + 1]), yi, `example ${i}`, 1e-12, 1e-12);
  }
});

test('pooling modules: shapes, JSON round trip, GlobalAvgPool2d is the channel mean', () => {
  const x = rand([2, 3, 8, 8], { rng: new Rng(2), dtype: 'float64' });
  for (const m of [new MaxPool2d(2), new AvgPool2d(3, { stride: 1, padding: 1 }), new GlobalAvgPool2d()]) {
    const copy = nn.moduleFromJSON(m.toJSON());
    assertClose(copy.forward(x), m.forward(x), m.describe(), 0, 0);
  }
  assert.deepEqual([...new MaxPool2d(2).forward(x).shape], [2, 3, 4, 4]);
  assert.deepEqual([...new AvgPool2d(3, { stride: 1, padding: 1 }).forward(x).shape], [2, 3, 8, 8]);
  assertClose(new GlobalAvgPool2d().forward(x), mean(x, [2, 3]), 'gap', 1e-12, 0);
  assert.throws(() => new MaxPool2d(2, { padding: 2 }), /MaxPool2d: .*padding 2x2 at most half the kernel/);
});

test('BatchNorm2d: per-channel batch statistics, running stats (unbiased), eval mode', () => {
  const rng = new Rng(3);
  const bn = new BatchNorm2d(2, { dtype: 'float64', momentum: 0.5 });
  const x = rand([4, 2, 3, 3], { rng, dtype: 'float64', lo: 1, hi: 5, requiresGrad: true });
  const y = bn.forward(x);
  const m = mean(y, [0, 2, 3]).toFlat(), v = mean(mul(y, y), [0, 2, 3]).toFlat();
  m.forEach((mu) => assert.ok(Math.abs(mu) < 1e-12));
  v.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-3, `var ${s}`));
  // Running mean after one step with momentum 0.5: 0.5·0 + 0.5·batch mean (channel 0 by hand).
  let s0 = 0, s1 = 0;
  for (let n = 0; n < 4; n++) for (let k = 0; k < 9; k++) { const t = x.data[n * 18 + k]!; s0 += t; s1 += t * t; }
  const mu0 = s0 / 36, var0 = (s1 - 36 * mu0 * mu0) / 35;
  assert.ok(Math.abs(bn.runningMean.data[0]! - 0.5 * mu0) < 1e-12);
  assert.ok(Math.abs(bn.runningVar.data[0]! - (0.5 + 0.5 * var0)) < 1e-12);
  backward(sum(mul(y, tensor([1, 2], { dtype: 'float64' }).reshape([1, 2, 1, 1]))));
  assert.deepEqual([...(bn.params.weight as Tensor).grad!.shape], [2]);
  bn.eval();
  const ye = bn.forward(x.detach());
  assert.ok(Math.abs(ye.data[0]! - (x.data[0]! - bn.runningMean.data[0]!) / Math.sqrt(bn.runningVar.data[0]! + 1e-5)) < 1e-12);
  assert.deepEqual(nn.moduleFromJSON(bn.toJSON()).toJSON(), bn.toJSON());
  assert.throws(() => bn.forward(rand([2, 3, 2, 2])), /BatchNorm2d: expected \[N, 2, H, W\], got \[2,3,2,2\]/);
});

test('BatchNorm2d equals BatchNorm1d on the [N, C, H·W] view: outputs, gradients, running stats, eval', () => {
  const rng = new Rng(9);
  const bn2 = new BatchNorm2d(3, { dtype: 'float64', momentum: 0.3 }), bn1 = new nn.BatchNorm1d(3, { dtype: 'float64', momentum: 0.3 });
  const gamma = rand([3], { rng, dtype: 'float64', lo: 0.5, hi: 2 }), beta = rand([3], { rng, dtype: 'float64' });
  for (const bn of [bn1, bn2]) bn.loadStateDict({ ...bn.stateDict(), weight: gamma, bias: beta });
  for (let step = 0; step < 2; step++) {
    const x = rand([4, 3, 2, 5], { rng, dtype: 'float64', lo: -2, hi: 3 });
    const up = rand([4, 3, 2, 5], { rng, dtype: 'float64' });
    const x2 = x.detach().requireGrad(), x1 = x.reshape([4, 3, 10]).detach().requireGrad();
    const y2 = bn2.forward(x2), y1 = bn1.forward(x1);
    assertClose(y2.reshape([4, 3, 10]), y1, `y step ${step}`, 1e-12, 1e-10);
    backward(y2, up);
    backward(y1, up.reshape([4, 3, 10]));
    assertClose(x2.grad!.reshape([4, 3, 10]), x1.grad!, 'vjp x', 1e-12, 1e-10);
    for (const k of ['weight', 'bias']) assertClose((bn2.params[k] as Tensor).grad!, (bn1.params[k] as Tensor).grad!, `grad ${k}`, 1e-12, 1e-10);
    assertClose(bn2.runningMean, bn1.runningMean, 'running mean', 1e-12, 1e-10);
    assertClose(bn2.runningVar, bn1.runningVar, 'running var', 1e-12, 1e-10);
  }
  bn1.eval(); bn2.eval();
  const xe = rand([2, 3, 2, 5], { rng, dtype: 'float64' });
  assertClose(bn2.forward(xe).reshape([2, 3, 10]), bn1.forward(xe.reshape([2, 3, 10])), 'eval', 1e-12, 1e-10);
});

test('examples/configs CNN layer lists build with moduleFromJSON and map flat images to 10 scores', () => {
  for (const [file, features] of [['cnn-digits.json', 64], ['cnn-fashion.json', 784]] as const) {
    const cfg = JSON.parse(readFileSync(new URL(`../../examples/configs/${file}`, import.meta.url), 'utf8')) as { model: { layers: nn.ModuleJSON[] } };
    const model = nn.moduleFromJSON({ type: 'Sequential', layers: cfg.model.layers });
    const y = model.forward(rand([3, features], { rng: new Rng(1) }));
    assert.deepEqual([...y.shape], [3, 10], file);
    const again = nn.moduleFromJSON(model.toJSON());
    assert.deepEqual(again.toJSON(), model.toJSON(), `${file}: toJSON round trip`);
  }
});
