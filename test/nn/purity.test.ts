// Property test: for every module type in the registry, apply(params, x, ctx) is pure — two calls with the
// same arguments give bit-identical outputs and states, and nothing (parameters, buffers, streams, modes)
// changes — and forward(x) equals the pure form with the module's own state, writing that state back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Key, Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { randn } from '../../src/tensor/random.js';
import { MODULE_BUILDERS, moduleFromJSON } from '../../src/io/modules.js';
import type { ApplyContext, Module, ModuleJSON, State } from '../../src/nn/module.js';

const lin = (i: number, o: number): ModuleJSON => ({ type: 'Linear', in: i, out: o });
const target: ModuleJSON = { type: 'Sequential', layers: [lin(3, 4), { type: 'BatchNorm1d', numFeatures: 4 }, { type: 'ReLU' }, { type: 'Dropout', p: 0.3 }, lin(4, 1)] };

/** One module JSON and input shape per registered type (a new type without a case fails the coverage test). */
const CASES: Record<string, { json: ModuleJSON; shape: number[] }> = {
  Linear: { json: lin(3, 2), shape: [4, 3] },
  Sequential: { json: { type: 'Sequential', layers: [lin(3, 4), { type: 'Dropout', p: 0.5 }, { type: 'BatchNorm1d', numFeatures: 4 }, { type: 'Tanh' }] }, shape: [5, 3] },
  Residual: { json: { type: 'Residual', body: { type: 'Sequential', layers: [lin(3, 3), { type: 'BatchNorm1d', numFeatures: 3 }, { type: 'Dropout', p: 0.2 }] } }, shape: [4, 3] },
  Identity: { json: { type: 'Identity' }, shape: [2, 3] },
  Flatten: { json: { type: 'Flatten' }, shape: [2, 3, 2] },
  Reshape: { json: { type: 'Reshape', shape: [2, 3] }, shape: [2, 6] },
  Dropout: { json: { type: 'Dropout', p: 0.5 }, shape: [4, 5] },
  BatchNorm1d: { json: { type: 'BatchNorm1d', numFeatures: 3 }, shape: [4, 3] },
  IdentityActivation: { json: { type: 'IdentityActivation' }, shape: [3, 2] },
  Sigmoid: { json: { type: 'Sigmoid' }, shape: [3, 2] },
  Tanh: { json: { type: 'Tanh' }, shape: [3, 2] },
  Softsign: { json: { type: 'Softsign' }, shape: [3, 2] },
  ReLU: { json: { type: 'ReLU' }, shape: [3, 2] },
  Hardtanh: { json: { type: 'Hardtanh' }, shape: [3, 2] },
  Softplus: { json: { type: 'Softplus', beta: 2 }, shape: [3, 2] },
  LeakyReLU: { json: { type: 'LeakyReLU' }, shape: [3, 2] },
  PReLU: { json: { type: 'PReLU', numParameters: 1 }, shape: [3, 2] },
  Softmax: { json: { type: 'Softmax', learnableTemperature: true }, shape: [3, 4] },
  Conv2d: { json: { type: 'Conv2d', in: 1, out: 2, kernel: 3, padding: 1 }, shape: [2, 1, 4, 4] },
  MaxPool2d: { json: { type: 'MaxPool2d', kernel: 2 }, shape: [2, 1, 4, 4] },
  AvgPool2d: { json: { type: 'AvgPool2d', kernel: 2 }, shape: [2, 1, 4, 4] },
  GlobalAvgPool2d: { json: { type: 'GlobalAvgPool2d' }, shape: [2, 2, 3, 3] },
  BatchNorm2d: { json: { type: 'BatchNorm2d', numFeatures: 2 }, shape: [3, 2, 3, 3] },
  RNN: { json: { type: 'RNN', in: 3, hidden: 4 }, shape: [2, 5, 3] },
  LSTM: { json: { type: 'LSTM', in: 3, hidden: 4, numLayers: 2 }, shape: [2, 5, 3] },
  GRU: { json: { type: 'GRU', in: 3, hidden: 4 }, shape: [2, 5, 3] },
  LastStep: { json: { type: 'LastStep' }, shape: [2, 5, 3] },
  Graph: {
    json: {
      type: 'Graph', inputs: ['x'], output: 'out', nodes: [
        { name: 'h', inputs: ['x'], module: lin(3, 3) }, { name: 'd', inputs: ['h'], module: { type: 'Dropout', p: 0.5 } },
        { name: 'skip', merge: 'add', inputs: ['d', 'x'] }, { name: 'bn', inputs: ['skip'], module: { type: 'BatchNorm1d', numFeatures: 3 } },
        { name: 'out', inputs: ['bn'], module: lin(3, 1) },
      ],
    },
    shape: [4, 3],
  },
  HyperNetwork: { json: { type: 'HyperNetwork', target, condition: { kind: 'noise', dim: 2 }, hidden: [6], seed: 3 }, shape: [4, 3] },
  AdaptiveDepthNet: { json: { type: 'AdaptiveDepthNet', inputs: 3, outputs: 2, width: 4, maxDepth: 3, hidden: [4], seed: 1 }, shape: [4, 3] },
  QuantizedSequential: {
    json: {
      type: 'QuantizedSequential', steps: [
        { quant: { kind: 'linear', in: 3, out: 4, bias: true } }, { float: { type: 'BatchNorm1d', numFeatures: 4 } }, { float: { type: 'Dropout', p: 0.5 } },
        { float: { type: 'Tanh' } }, { quant: { kind: 'linear', in: 4, out: 2, bias: false } },
      ],
    },
    shape: [4, 3],
  },
};

const hex = (t: Tensor): string => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');

/** A state tree as comparable data: tensors as their bytes, keys as their stream positions. */
function stateData(s: State): unknown {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? hex(v) : v instanceof Key ? v.state() : stateData(v)]));
}

/** Everything a call could change: parameter and buffer bytes, state (streams), and every module's mode flag. */
function snapshot(m: Module): unknown {
  const modes: boolean[] = [];
  const walk = (x: Module): void => { modes.push(x.training); x.children().forEach(([, c]) => walk(c)); };
  walk(m);
  return { dict: Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, hex(t)])), state: stateData(m.state), modes };
}

test('every registered module type has a purity case', () => {
  assert.deepEqual(Object.keys(MODULE_BUILDERS).filter((t) => !Object.hasOwn(CASES, t)), [], 'module types without a case in CASES');
  assert.ok(Object.keys(MODULE_BUILDERS).length >= 30);
});

for (const type of Object.keys(MODULE_BUILDERS)) {
  test(`${type}: apply(params, x, ctx) twice is bit-identical and changes nothing; forward(x) is the pure form plus write-back`, () => {
    const c = CASES[type];
    if (c === undefined) return; // reported by the coverage test above
    const m = moduleFromJSON(c.json);
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom<'train' | 'eval'>('train', 'eval'), fc.boolean(), (seed, mode, useKey) => {
      const x = randn(c.shape, { rng: new Rng(seed) });
      const ctx: ApplyContext = useKey ? { mode, key: Key.of(seed + 1), state: m.state } : { mode, state: m.state };
      const before = snapshot(m), xBytes = hex(x);
      const a = m.apply(m.params, x, ctx), b = m.apply(m.params, x, ctx);
      assert.equal(hex(a.y), hex(b.y), 'two calls with the same arguments differ');
      assert.deepEqual(stateData(a.state), stateData(b.state), 'two calls returned different states');
      assert.deepEqual(snapshot(m), before, 'apply(params, x, ctx) changed the module (parameters, buffers, streams or modes)');
      assert.equal(hex(x), xBytes, 'apply changed its input');
      // The stateful wrapper: forward(x) in the same mode gives the pure result and writes its state back.
      m.train(mode === 'train');
      const pure = m.apply(m.params, x, { mode: 'own', state: m.state });
      assert.equal(hex(m.forward(x)), hex(pure.y), 'forward(x) differs from apply(params, x, { mode: own, state })');
      assert.deepEqual(stateData(m.state), stateData(pure.state), 'forward(x) did not write back the state the pure form returned');
    }), { numRuns: 6, seed: 20261202 });
  });
}
