// The no-grad inference fast path (nn/infer.ts): bit-identical to the eager forward on both backends,
// across architectures, activations and batch sizes; fresh output tensors; generic fallback elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, noGrad, randn, Rng, type Tensor } from '../../src/index.js';
import { predictRaw } from '../../src/train/fit.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import { getBackend, setBackend } from '../../src/backend/registry.js';
import { hasWasmSimd } from '../../src/backend/wasm/load.js';

const wasm = hasWasmSimd() && (await initWasmBackend({ select: false }));
const backends = wasm ? ['js', 'wasm'] : ['js'];

/** Networks covering every fused activation, no-bias layers, Dropout/BatchNorm1d, k > 256 (several pack slices). */
function architectures(): [string, nn.Module][] {
  const nets: [string, nn.Module][] = [];
  for (const activation of ['relu', 'tanh', 'sigmoid', 'softsign', 'hardtanh', 'leaky_relu', 'identity']) {
    nets.push([activation, nn.mlp({ sizes: [300, 40, 24, 10], activation, seed: 3 })]);
  }
  nets.push(['batchNorm+dropout', nn.mlp({ sizes: [20, 64, 16, 3], activation: 'relu', batchNorm: true, dropout: 0.3, seed: 4 })]);
  nets.push(['no bias, hardtanh(-2, 0.5), trailing dropout', new nn.Sequential(
    new nn.Linear(33, 70, { bias: false, rng: new Rng(5) }), new nn.Hardtanh(-2, 0.5),
    new nn.Linear(70, 9, { rng: new Rng(6) }), new nn.LeakyReLU(0.2), new nn.Dropout(0.5))]);
  for (const [, net] of nets) {
    for (const m of (net as nn.Sequential).layers) {
      if (m instanceof nn.BatchNorm1d) {
        m.runningMean = randn([m.numFeatures], { rng: new Rng(7) });
        m.runningVar = randn([m.numFeatures], { rng: new Rng(8) }).abs().add(0.1);
      }
    }
    net.eval();
  }
  return nets;
}

const bits = (t: Tensor): number[] => Array.from(new Uint8Array(new Float32Array(t.toFlat()).buffer));

for (const backend of backends) {
  test(`fast path is bit-identical to the eager forward (${backend}; batch 1, 3, 37, 301)`, () => {
    setBackend(backend);
    try {
      for (const [name, net] of architectures()) {
        const inF = ((net as nn.Sequential).layers[0] as nn.Linear).inFeatures;
        for (const batch of [1, 3, 37, 301]) {
          const x = randn([batch, inF], { rng: new Rng(batch) }).mul(2);
          const eager = noGrad(() => net.forward(x));
          const fast = noGrad(() => nn.inferFast(net, x));
          assert.ok(fast, `${name}: the fast path applies`);
          assert.deepEqual(fast.shape, eager.shape);
          assert.deepEqual(bits(fast), bits(eager), `${name}, batch ${batch}`);
        }
      }
    } finally {
      setBackend('js');
    }
  });
}

test('the wasm backend runs the fused kernel for large layers and declines where eager uses JS kernels', { skip: !wasm }, () => {
  setBackend('wasm');
  try {
    const b = getBackend();
    const x = new Float32Array(301 * 300), w = new Float32Array(40 * 300), out = new Float32Array(301 * 40);
    assert.equal(b.linearAct!(x, w, null, out, 301, 300, 40, { kind: 'unary', op: 'relu' }), true);
    // 3 × 40 outputs: eager's ReLU runs on the JS kernel (below the elementwise threshold), so no fusion.
    assert.equal(b.linearAct!(x, w, null, out, 3, 300, 40, { kind: 'unary', op: 'relu' }), false);
    // softplus has no WASM kernel.
    assert.equal(b.linearAct!(x, w, null, out, 301, 300, 40, { kind: 'unary', op: 'softplus' }), false);
  } finally {
    setBackend('js');
  }
});

test('predictions never alias reused buffers: an earlier result does not change', () => {
  for (const [name, net] of architectures()) {
    const inF = ((net as nn.Sequential).layers[0] as nn.Linear).inFeatures;
    for (const backend of backends) {
      setBackend(backend);
      try {
        const first = predictRaw(net, randn([50, inF], { rng: new Rng(1) }));
        const kept = first.toFlat();
        const second = predictRaw(net, randn([50, inF], { rng: new Rng(2) }));
        assert.deepEqual(first.toFlat(), kept, `${name} (${backend}): first prediction unchanged`);
        assert.notDeepEqual(second.toFlat(), kept);
        const a = noGrad(() => nn.inferFast(net, randn([50, inF], { rng: new Rng(3) })))!;
        const b = noGrad(() => nn.inferFast(net, randn([50, inF], { rng: new Rng(3) })))!;
        assert.notEqual(a.data, b.data, `${name}: every call returns its own storage`);
      } finally {
        setBackend('js');
      }
    }
  }
});

test('other models, training mode and rank-3 inputs take the generic path', () => {
  const custom = new nn.Sequential(new nn.Linear(4, 3), new nn.ElementwiseActivation('Square', (t) => t.mul(t)));
  assert.equal(noGrad(() => nn.inferFast(custom, randn([2, 4]))), null, 'an unknown module makes the whole model generic');
  const net = nn.mlp({ sizes: [4, 5, 2], seed: 1 });
  assert.equal(noGrad(() => nn.inferFast(net, randn([2, 4]))), null, 'training mode is generic');
  net.eval();
  assert.equal(nn.inferFast(net, randn([2, 4])), null, 'outside noGrad the caller needs the graph: generic');
  const x3 = randn([2, 3, 4], { rng: new Rng(9) });
  assert.deepEqual(noGrad(() => nn.inferFast(net, x3))!.toFlat(), noGrad(() => net.forward(x3)).toFlat());
  assert.throws(() => noGrad(() => nn.inferFast(net, randn([2, 7]))), /Linear: input \[2,7\] has 7 features, layer expects 4/);
});

test("the fast path raises the eager path's errors for bad inputs and bad activation parameters", () => {
  const net = nn.mlp({ sizes: [4, 5, 2], seed: 1 }).eval();
  assert.throws(() => predictRaw(net, randn([2, 7])), /^ShapeError: Linear: input \[2,7\] has 7 features, layer expects 4$/);
  const badTanh = new nn.Sequential(new nn.Linear(4, 3), new nn.Hardtanh(2, 1)).eval();
  assert.throws(() => predictRaw(badTanh, randn([2, 4])), /hardtanh: min 2 must be below max 1/);
  const badSlope = new nn.Sequential(new nn.Linear(4, 3), new nn.LeakyReLU(NaN)).eval();
  assert.throws(() => predictRaw(badSlope, randn([2, 4])), /leakyRelu: alpha must be a finite number, got NaN/);
});

test('the fast path follows changes to the model after its first use', () => {
  const net = new nn.Sequential(new nn.Linear(6, 5, { rng: new Rng(1) }), new nn.LeakyReLU(0.1), new nn.Linear(5, 2, { rng: new Rng(2) })).eval();
  const x = randn([40, 6], { rng: new Rng(3) });
  const same = (why: string): void => {
    const fast = noGrad(() => nn.inferFast(net, x));
    assert.ok(fast, `${why}: the fast path applies`);
    assert.deepEqual(bits(fast), bits(noGrad(() => net.forward(x))), why);
  };
  same('as built');
  net.layers.push(new nn.Tanh());
  assert.equal(noGrad(() => nn.inferFast(net, x)), null, 'the appended layer is in training mode');
  net.eval();
  same('a layer appended');
  (net.layers[1] as unknown as { alpha: number }).alpha = 0.3;
  same('an activation parameter changed');
  net.layers[2]!.params = { weight: randn([2, 5], { rng: new Rng(4) }), bias: randn([2], { rng: new Rng(5) }) };
  same('parameters replaced');
  net.layers[2]!.params = { weight: randn([3, 5], { rng: new Rng(6) }), bias: randn([3], { rng: new Rng(7) }) };
  assert.deepEqual(noGrad(() => nn.inferFast(net, x))!.shape, [40, 3], 'parameters of another shape go through the eager layer');
});
