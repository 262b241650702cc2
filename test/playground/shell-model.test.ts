// The playground shell's pure parts in Node: the network layout matches the built network for every switch, the URL hash round-trips any state, the data are deterministic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { nn } from 'neurite';
import { buildNetwork, networkLayout, moduleLabels, makeHead, outputDim, targetTensor } from '../../playground/src/model.js';
import { ACTIVATIONS, FEATURE_NAMES, defaultState, fromHash, toHash } from '../../playground/src/state.js';
import { DATASETS, makeData } from '../../playground/src/datasets.js';
import type { PlaygroundState } from '../../playground/src/host.js';

const stateArb: fc.Arbitrary<PlaygroundState> = fc.record({
  problem: fc.constantFrom('binary', 'multiclass', 'regression'),
  layers: fc.array(fc.record({ units: fc.integer({ min: 1, max: 8 }), activation: fc.constantFrom(...ACTIVATIONS) }), { maxLength: 6 }),
  features: fc.subarray(FEATURE_NAMES, { minLength: 1 }),
  batchNorm: fc.boolean(), residual: fc.boolean(), dropout: fc.constantFrom(0, 0.25),
  learningRate: fc.constantFrom(0.003, 0.03, 1), temperature: fc.constantFrom(0.5, 1, 2.5), noise: fc.integer({ min: 0, max: 50 }),
}).map((r) => ({ ...defaultState(), ...r, layers: r.layers.map((l) => ({ ...l })), dataset: DATASETS[r.problem][0]!.name }));

test('networkLayout names the Linear and PReLU of every block of the built network', () => {
  fc.assert(fc.property(stateArb, (s) => {
    const net = buildNetwork(s, s.features.length, outputDim(s)), sd = net.stateDict(), layout = networkLayout(s, s.features.length);
    assert.equal(layout.length, s.layers.length + 1);
    assert.equal(layout.at(-1)!.end, net.layers.length);
    layout.forEach((b, i) => {
      const w = sd[`${b.linear}.weight`]!;
      assert.deepEqual(w.shape, [i < s.layers.length ? s.layers[i]!.units : outputDim(s), i === 0 ? s.features.length : (s.layers[i - 1]?.units ?? s.features.length)]);
      if (b.prelu) assert.deepEqual(sd[`${b.prelu}.weight`]!.shape, [1]);
      assert.equal(b.prelu !== undefined, i < s.layers.length && s.layers[i]!.activation === 'prelu');
    });
    const labels = moduleLabels(layout);
    assert.equal(labels.length, net.layers.length);
    assert.ok(labels.every((l) => l !== undefined));
  }), { numRuns: 60 });
});

test('without residual links the network is a plain MLP (what nn.mlp builds, module for module)', () => {
  const s = { ...defaultState(), layers: [{ units: 4, activation: 'tanh' as const }, { units: 3, activation: 'relu' as const }] };
  const json = buildNetwork(s, 2, 1).toJSON();
  assert.deepEqual((json.layers as Array<{ type: string }>).map((l) => l.type), ['Linear', 'Tanh', 'Linear', 'ReLU', 'Linear']);
  assert.ok(nn.moduleFromJSON(json) instanceof nn.Sequential);
});

test('the URL hash round-trips every state', () => {
  fc.assert(fc.property(stateArb, (s) => {
    const { state, errors } = fromHash(toHash(s));
    assert.deepEqual(errors, []);
    assert.deepEqual(state, s);
  }), { numRuns: 100 });
});

test('a hash naming a dataset of another problem falls back to that problem\'s first dataset, saying so', () => {
  const { state, errors } = fromHash('#problem=regression&dataset=spiral');
  assert.equal(state.dataset, 'plane');
  assert.deepEqual(errors, ['dataset: "spiral" is not a regression dataset; using plane']);
});

test('the data are deterministic in the seed, split by the ratio, and the heads accept their targets', () => {
  for (const problem of ['binary', 'multiclass', 'regression'] as const) {
    for (const { name } of DATASETS[problem]) {
      const s = { ...defaultState(), problem, dataset: name, trainRatio: 30, noise: 20, regressionActivation: name === 'bumps' ? 'relu' as const : 'identity' as const };
      const a = makeData(s), b = makeData(s);
      assert.deepEqual(a.train.x, b.train.x, name);
      assert.equal(a.train.n + a.test.n, s.samples - (name.startsWith('spiral') ? s.samples % (name === 'spiral' ? 2 : s.classes) : 0), name);
      assert.ok(Math.abs(a.train.n / (a.train.n + a.test.n) - 0.3) < 0.01, name);
      const head = makeHead(s);
      assert.doesNotThrow(() => head.checkTargets(targetTensor(s, a.train.y)), name);
    }
  }
});
