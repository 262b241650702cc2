// Fused optimizer steps (sgd, adam) against the same transformations run unfused: bit-identical parameters and state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, randn, type DType, type Tensor } from '../../src/index.js';
import { mlp } from '../../src/nn/mlp.js';
import { mse } from '../../src/losses/regression.js';
import { entries } from '../../src/tree/tree.js';
import { setBackend, getBackend } from '../../src/backend/registry.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import * as optim from '../../src/optim/index.js';

const wasmReady = await initWasmBackend({ select: false });

/** The transformation without its fused form: Optimizer.step then runs `update` and adds the updates. */
const unfused = (tx: optim.GradientTransformation): optim.GradientTransformation => ({ init: tx.init, update: tx.update });

/** Trains two copies of one net for `steps` steps, one with `make()` as built, one unfused; returns both. */
function twin(make: () => optim.GradientTransformation, dtype: DType, steps: number, dropGrad?: string) {
  const x = randn([16, 5], { rng: new Rng(1), dtype }), y = randn([16, 3], { rng: new Rng(2), dtype });
  // 65 × 5 weights: past the wasm backend's 256-element cut-off, with a ragged tail for its SIMD loop.
  const nets = [0, 1].map(() => mlp({ sizes: [5, 65, 3], seed: 7, dtype }));
  const tx = make();
  assert.equal(typeof tx.fused, 'function', 'this configuration has a fused form');
  const opts = [new optim.Optimizer(tx, nets[0]!), new optim.Optimizer(unfused(make()), nets[1]!)];
  for (let s = 0; s < steps; s++) {
    nets.forEach((net, i) => {
      opts[i]!.zeroGrad();
      mse(net.forward(x), y).backward();
      if (dropGrad) (net.params as Record<string, Record<string, Tensor>>)[dropGrad.split('.')[0]!]![dropGrad.split('.')[1]!]!.grad = null;
      opts[i]!.step();
    });
  }
  return { nets, opts };
}

const flat = (t: Record<string, Tensor>): Record<string, number[]> => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.toFlat()]));

const configs: [string, () => optim.GradientTransformation][] = [
  ['sgd', () => optim.sgd({ lr: 0.05 })],
  ['sgd + weight decay', () => optim.sgd({ lr: 0.05, weightDecay: 0.01 })],
  ['adam', () => optim.adam({ lr: 0.01 })],
  ['adam + weight decay', () => optim.adam({ lr: 0.01, weightDecay: 0.02, betas: [0.8, 0.99], eps: 1e-6 })],
  // Every declared rule (optim/rules/), with each switch that changes its arithmetic.
  ['momentum', () => optim.sgd({ lr: 0.05, momentum: 0.9 })],
  ['momentum + dampening + weight decay', () => optim.sgd({ lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.01 })],
  ['nesterov', () => optim.sgd({ lr: 0.05, momentum: 0.9, nesterov: true })],
  ['sgd + schedule', () => optim.sgd({ lr: optim.stepLR(0.1, 2, 0.5) })],
  ['adagrad', () => optim.adagrad({ lr: 0.05 })],
  ['adagrad + lr decay + weight decay', () => optim.adagrad({ lr: 0.05, lrDecay: 0.1, initialAccumulatorValue: 0.1, weightDecay: 0.01 })],
  ['rmsprop', () => optim.rmsprop({ lr: 0.01 })],
  ['rmsprop centered + momentum + weight decay', () => optim.rmsprop({ lr: 0.01, centered: true, momentum: 0.5, weightDecay: 0.01 })],
  ['adam + schedule', () => optim.adam({ lr: optim.cosineAnnealing(0.01, 3) })],
  ['amsgrad', () => optim.adam({ lr: 0.01, amsgrad: true })],
  ['adamw', () => optim.adamw({ lr: 0.01, weightDecay: 0.05 })],
  ['nadam', () => optim.nadam({ lr: 0.01 })],
  ['nadam pytorchV1 + weight decay', () => optim.nadam({ lr: 0.01, pytorchV1: true, weightDecay: 0.01 })],
  ['adamax', () => optim.adamax({ lr: 0.01, weightDecay: 0.01 })],
];

for (const backend of ['js', 'wasm'] as const) {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, make] of configs) {
      test(`fused ${name} (${backend}, ${dtype}) equals the unfused chain bit for bit, parameters and state`, { skip: backend === 'wasm' && !wasmReady ? 'wasm backend unavailable' : undefined }, () => {
        const before = getBackend().name;
        setBackend(backend);
        try {
          const { nets, opts } = twin(make, dtype, 4, name === 'sgd' ? undefined : '2.bias');
          assert.deepEqual(flat(nets[0]!.stateDict()), flat(nets[1]!.stateDict()));
          assert.deepEqual(flat(opts[0]!.stateDict().state), flat(opts[1]!.stateDict().state));
          assert.deepEqual(entries(opts[0]!.state).map(([p]) => p), entries(opts[1]!.state).map(([p]) => p));
          assert.equal(opts[0]!.stepCount, 4);
        } finally {
          setBackend(before);
        }
      });
    }
  }
}

test('fused steps: lr changes apply, the state is replaced not mutated, and a foreign state layout is refused by name', () => {
  const net = mlp({ sizes: [2, 3, 1], seed: 1 });
  const opt = new optim.Optimizer(optim.adam({ lr: 0.1 }), net);
  const x = randn([4, 2], { rng: new Rng(3) }), y = randn([4, 1], { rng: new Rng(4) });
  mse(net.forward(x), y).backward();
  const s0 = opt.state, mu0 = opt.stateDict().state['0.mu.0.weight']!.toFlat();
  opt.step();
  assert.notEqual(opt.state, s0, 'a new state object');
  assert.deepEqual(optim.Optimizer.prototype.stateDict.call({ state: s0, stepCount: 0 } as never).state['0.mu.0.weight']!.toFlat(), mu0, 'the old state is untouched');
  assert.equal(opt.stateDict().state['0.count']!.item(), 1);
  // SGD: the fused step reads the current learning rate from the state.
  const w = (net.params as Record<string, Record<string, Tensor>>)['0']!.weight!;
  const sgdOpt = new optim.Optimizer(optim.sgd({ lr: 0.1 }), net);
  sgdOpt.lr = 0.5;
  sgdOpt.zeroGrad();
  mse(net.forward(x), y).backward();
  const [w0, g] = [w.toFlat(), w.grad!.toFlat()];
  sgdOpt.step();
  w.toFlat().forEach((v, i) => assert.equal(v, Math.fround(w0[i]! + Math.fround(g[i]! * Math.fround(-0.5)))));
  // A state without the rule's declared layout: a named error, and nothing is touched.
  const tx = optim.sgd({ lr: 0.1 });
  const p = randn([3], { requiresGrad: true });
  const p0 = p.toFlat();
  assert.throws(() => tx.fused!([p], [randn([3])], [{}] as never), { message: 'Optimizer.step: sgd: the state has no scalar at "0.learningRate", where the rule declares it; the state was not built by this optimizer\'s init (load a stateDict saved from the same optimizer over the same parameters)' });
  assert.deepEqual(p.toFlat(), p0);
});
