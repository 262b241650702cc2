// BatchNorm2d followed by ReLU (and MaxPool2d) in a Sequential runs as the fused batchNormRelu (batchNormReluPool) primitive: values, gradients and state bit-identical to the pair, gradchecks, second derivatives, unchanged names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, Rng, rand, backward, mul, relu, gradcheck, gradcheckVjp, type Tensor } from '../../src/index.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import { getBackend, setBackend } from '../../src/backend/registry.js';
import { hasWasmSimd } from '../../src/backend/wasm/load.js';
import { setOpObserver } from '../../src/ops/dispatch.js';
import type { OpName } from '../../src/ops/spec.js';
import { batchNormReluPoolTrain, batchNormReluTrain, batchNormTrain } from '../../src/ops/batchnorm.js';
import { maxPool2d } from '../../src/ops/conv.js';
import { assertClose } from '../helpers/fixtures.js';
import { secondOrder } from '../helpers/second-order.js';

const wasm = hasWasmSimd() && (await initWasmBackend({ select: false }));
const backends = wasm ? ['js', 'wasm'] : ['js'];

/** Bitwise equality of two tensors' storages. */
function assertSameBits(got: Tensor, want: Tensor, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const a = new Uint8Array(got.data.buffer, got.data.byteOffset, got.data.byteLength), b = new Uint8Array(want.data.buffer, want.data.byteOffset, want.data.byteLength);
  const i = a.findIndex((v, k) => v !== b[k]), e = Math.floor(i / got.data.BYTES_PER_ELEMENT);
  assert.equal(i, -1, i < 0 ? '' : `${what}: element ${e} is ${got.data[e]}, the unfused pair gives ${want.data[e]}`);
}

/** The ops a call runs, by name. */
function opsOf(f: () => void): Set<OpName> {
  const seen = new Set<OpName>();
  const prev = setOpObserver((op) => { seen.add(op); });
  try { f(); } finally { setOpObserver(prev); }
  return seen;
}

/** Conv → BatchNorm2d → ReLU → `pool` (none: the pair alone) → Linear. */
const block = (rng: Rng, pool: nn.MaxPool2d | null = new nn.MaxPool2d(2)): nn.Sequential => new nn.Sequential(
  new nn.Conv2d(2, 4, 3, { padding: 1, rng }), new nn.BatchNorm2d(4), new nn.ReLU(), ...(pool ? [pool] : []), new nn.Flatten(),
  new nn.Linear(pool ? 4 * pool.call(rand([1, 1, 8, 8])).size : 4 * 64, 3, { rng }),
);
const POOLS: [string, () => nn.MaxPool2d | null, OpName][] = [
  ['ReLU', () => null, 'batchNormRelu'],
  ['ReLU → MaxPool2d(2)', () => new nn.MaxPool2d(2), 'batchNormReluPool'],
  ['ReLU → MaxPool2d(3, stride 2, padding 1, ceil)', () => new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }), 'batchNormReluPool'],
];

test('batchNormRelu passes float64 gradchecks in x, weight and bias', () => {
  const rng = new Rng(5);
  const x = rand([3, 2, 2, 3], { rng, dtype: 'float64', lo: -1, hi: 3, requiresGrad: true });
  const w = rand([2], { rng, dtype: 'float64', lo: 0.5, hi: 2, requiresGrad: true }), b = rand([2], { rng, dtype: 'float64', requiresGrad: true });
  const u = rand([3, 2, 2, 3], { rng, dtype: 'float64' });
  assert.ok(gradcheck((xi, wi, bi) => mul(batchNormReluTrain(xi, wi, bi, 1e-5), u), [x, w, b]).ok);
  assert.ok(gradcheckVjp((xi, wi, bi) => batchNormReluTrain(xi, wi, bi, 1e-5), [x, w, b], { trials: 4 }).ok);
});

test('batchNormReluPool passes float64 gradchecks in x, weight and bias (2×2 and overlapping 3×3 windows)', () => {
  const rng = new Rng(15);
  const x = rand([2, 2, 4, 5], { rng, dtype: 'float64', lo: -1, hi: 3, requiresGrad: true });
  const w = rand([2], { rng, dtype: 'float64', lo: 0.5, hi: 2, requiresGrad: true }), b = rand([2], { rng, dtype: 'float64', requiresGrad: true });
  assert.ok(gradcheck((xi, wi, bi) => mul(batchNormReluPoolTrain(xi, wi, bi, 1e-5, 2), rand([2, 2, 2, 2], { rng: new Rng(1), dtype: 'float64' })), [x, w, b]).ok);
  assert.ok(gradcheckVjp((xi, wi, bi) => batchNormReluPoolTrain(xi, wi, bi, 1e-5, 3, { stride: 1, padding: 1 }), [x, w, b], { trials: 4 }).ok);
});

test('batchNormRelu and batchNormReluPool second derivatives (createGraph) equal those of the composed layers', () => {
  const rng = new Rng(9);
  const x0 = rand([4, 3, 2, 3], { rng, dtype: 'float64', lo: -2, hi: 3 }), u = rand([4, 3, 2, 3], { rng, dtype: 'float64' });
  const w = rand([3], { rng, dtype: 'float64', lo: 0.5, hi: 2 }), b = rand([3], { rng, dtype: 'float64' });
  const got = secondOrder((t) => batchNormReluTrain(t, w, b, 1e-5), x0, u), want = secondOrder((t) => relu(batchNormTrain(t, w, b, 1e-5)), x0, u);
  assertClose(got, want, 'second derivative', 1e-12, 1e-10);
  const up = rand([4, 3, 1, 1], { rng, dtype: 'float64' });
  const pooled = secondOrder((t) => batchNormReluPoolTrain(t, w, b, 1e-5, 2), x0, up), pair = secondOrder((t) => maxPool2d(relu(batchNormTrain(t, w, b, 1e-5)), 2), x0, up);
  assertClose(pooled, pair, 'second derivative through the pool', 1e-12, 1e-10);
});

for (const name of backends) for (const [what, pool, fusedOp] of POOLS) test(`Sequential BatchNorm2d → ${what} on ${name}: one fused op, outputs, every gradient and the running statistics bit-identical to the layers one by one`, () => {
  const prev = getBackend().name;
  setBackend(name);
  try {
    const fusedNet = block(new Rng(3), pool()), pairNet = block(new Rng(3), pool());
    const x = rand([8, 2, 8, 8], { rng: new Rng(4), lo: -1, hi: 2 }), up = rand([8, 3], { rng: new Rng(6) });
    let yFused: Tensor | null = null;
    const ops = opsOf(() => { yFused = fusedNet.forward(x); backward(yFused, up); });
    assert.ok(ops.has(fusedOp) && !ops.has('relu') && !ops.has('batchNorm') && !ops.has('maxPool2d'), `ops run: ${[...ops].join(', ')}`);
    // The pair, layer by layer: the composed path the fusion replaces.
    let h: Tensor = x;
    for (const m of pairNet.layers) h = m.forward(h);
    backward(h, up);
    assertSameBits(yFused!, h, 'output');
    for (const [k, t] of Object.entries(fusedNet.stateDict())) {
      const other = pairNet.stateDict()[k]!;
      assertSameBits(t, other, k);
      if (t.grad || other.grad) assertSameBits(t.grad!, other.grad!, `${k} grad`);
    }
  } finally {
    setBackend(prev);
  }
});

test('the pure apply fuses too and returns the same state; eval mode and subclasses keep the pair; names are PyTorch\'s', () => {
  const net = block(new Rng(7)), x = rand([4, 2, 8, 8], { rng: new Rng(8) });
  const ctx = { mode: 'train' as const, state: net.state };
  let fused: ReturnType<nn.Sequential['apply']> | null = null;
  assert.ok(opsOf(() => { fused = net.apply(net.params, x, ctx); }).has('batchNormReluPool'));
  let h = x, states: Record<string, unknown> = {};
  net.layers.forEach((m, i) => { const r = m.apply(m.params, h, { mode: 'train', state: (ctx.state as Record<string, never>)[String(i)] ?? {} }); h = r.y; if (i === 1) states = { ...r.state }; });
  assertSameBits(fused!.y, h, 'pure output');
  const bnState = (fused!.state as Record<string, Record<string, Tensor>>)['1']!;
  for (const k of ['running_mean', 'running_var', 'num_batches_tracked']) assertSameBits(bnState[k]!, states[k] as Tensor, k);
  net.eval();
  const evalOps = opsOf(() => net.forward(x));
  assert.ok(evalOps.has('relu') && evalOps.has('maxPool2d') && !evalOps.has('batchNormReluPool'), 'eval mode runs running statistics, then relu and the pool');
  class MyReLU extends nn.ReLU {}
  const custom = new nn.Sequential(new nn.BatchNorm2d(2), new MyReLU());
  assert.ok(opsOf(() => custom.forward(x)).has('relu'), 'a ReLU subclass is not fused away');
  const customPool = new nn.Sequential(new nn.BatchNorm2d(2), new nn.ReLU(), new (class extends nn.MaxPool2d {})(2));
  const customOps = opsOf(() => customPool.forward(x));
  assert.ok(customOps.has('batchNormRelu') && customOps.has('maxPool2d'), 'a MaxPool2d subclass stays its own layer');
  assert.deepEqual(Object.keys(net.stateDict()), ['0.weight', '0.bias', '1.weight', '1.bias', '5.weight', '5.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked']);
});
