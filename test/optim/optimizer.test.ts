// The Optimizer wrapper: in-place updates on a Linear model, missing grads, lr get/set, state dict round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, randn, tensor, type Tensor } from '../../src/index.js';
import { Linear } from '../../src/nn/linear.js';
import { mlp } from '../../src/nn/mlp.js';
import { assertClose } from '../helpers/fixtures.js';
import * as optim from '../../src/optim/index.js';

const model = (seed = 1): Linear => new Linear(3, 2, { rng: new Rng(seed), dtype: 'float64' });
const x = randn([8, 3], { rng: new Rng(7), dtype: 'float64' });
const y = randn([8, 2], { rng: new Rng(8), dtype: 'float64' });
const loss = (m: { forward(x: Tensor): Tensor }): Tensor => m.forward(x).sub(y).square().mean();
const weights = (m: Linear): { w: Tensor; b: Tensor } => ({ w: m.params.weight as Tensor, b: m.params.bias as Tensor });

test('step() updates the module\'s own tensors in place: p ← p − lr·grad for SGD', () => {
  const m = model();
  const { w, b } = weights(m);
  const [wData, w0, b0] = [w.data, w.toFlat(), b.toFlat()];
  const opt = new optim.Optimizer(optim.sgd({ lr: 0.1 }), m);
  opt.zeroGrad();
  loss(m).backward();
  const [gw, gb] = [w.grad!.toFlat(), b.grad!.toFlat()];
  opt.step();
  assert.equal(m.params.weight, w, 'same tensor object');
  assert.equal(w.data, wData, 'same storage');
  assert.equal(w.requiresGrad, true);
  assertClose(w, w0.map((v, i) => v - 0.1 * gw[i]!), 'weight', 0, 1e-15);
  assertClose(b, b0.map((v, i) => v - 0.1 * gb[i]!), 'bias', 0, 1e-15);
  opt.zeroGrad();
  assert.equal(w.grad, null);
  assert.equal(opt.stepCount, 1);
});

test('Adam fits a small regression through a Sequential; loss falls tenfold', () => {
  const net = mlp({ sizes: [3, 8, 2], seed: 3, dtype: 'float64' });
  const opt = new optim.Optimizer(optim.adam({ lr: 0.05 }), net);
  const first = loss(net).item();
  for (let i = 0; i < 200; i++) {
    opt.zeroGrad();
    loss(net).backward();
    opt.step();
  }
  assert.ok(loss(net).item() < first / 10, `loss ${loss(net).item()} vs initial ${first}`);
});

test('a leaf without a gradient is left unchanged; a step with no gradients does nothing', () => {
  const m = model();
  const { w, b } = weights(m);
  const opt = new optim.Optimizer(optim.adam({ lr: 0.1 }), m);
  opt.step();
  assert.equal(opt.stepCount, 0);
  const [w0, b0] = [w.toFlat(), b.toFlat()];
  loss(m).backward();
  b.grad = null;
  opt.step();
  assert.deepEqual(b.toFlat(), b0);
  assert.notDeepEqual(w.toFlat(), w0);
  assert.equal(opt.stepCount, 1);
});

test('lr reads and sets the injectable learning rate; a scheduled lr is read-only', () => {
  const m = model();
  const opt = new optim.Optimizer(optim.sgd({ lr: 0.1, momentum: 0 }), m);
  assert.equal(opt.lr, 0.1);
  opt.lr = 0.01;
  assert.equal(opt.lr, 0.01);
  const { w } = weights(m);
  const w0 = w.toFlat();
  loss(m).backward();
  const g = w.grad!.toFlat();
  opt.step();
  assertClose(w, w0.map((v, i) => v - 0.01 * g[i]!), 'step with the new lr', 0, 1e-15);
  assert.throws(() => { opt.lr = -1; }, /Optimizer.lr: lr must be a non-negative finite number, got -1/);

  const nested = new optim.Optimizer(optim.optimizerByName('adam', { lr: 0.3, clipNorm: 1 }), model());
  assert.equal(nested.lr, 0.3, 'found inside a nested chain');
  nested.lr = 0.2;
  assert.equal(nested.lr, 0.2);

  const sched = new optim.Optimizer(optim.adam({ lr: optim.exponentialLR(0.1, 0.5) }), model());
  assert.equal(sched.lr, 0.1);
  assert.throws(() => { sched.lr = 0.2; }, /Optimizer.lr: the learning rate follows a schedule/);
  const noLr = new optim.Optimizer(optim.chain(optim.scaleByAdam(), optim.scale(-0.1)), model());
  assert.throws(() => noLr.lr, /Optimizer.lr: the transformation keeps no learning rate in its state; end the chain with scaleByLearningRate/);
});

test('ReduceLROnPlateau lowers an Optimizer\'s learning rate', () => {
  const opt = new optim.Optimizer(optim.adamw({ lr: 0.1 }), model());
  const plateau = new optim.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
  plateau.step(1);
  plateau.step(1);
  assert.equal(opt.lr, 0.05);
});

test('stateDict/loadStateDict resume training exactly (state, lr and step count)', () => {
  const [a, b] = [model(1), model(1)];
  const optA = new optim.Optimizer(optim.adam({ lr: 0.05, amsgrad: true }), a);
  for (let i = 0; i < 3; i++) { optA.zeroGrad(); loss(a).backward(); optA.step(); }
  optA.lr = 0.02;
  const sd = optA.stateDict();
  assert.deepEqual(Object.keys(sd.state), ['0.count', '0.mu.weight', '0.mu.bias', '0.nu.weight', '0.nu.bias', '0.nuMax.weight', '0.nuMax.bias', '1.learningRate']);
  assert.equal(sd.step, 3);
  sd.state['0.count']!.data[0] = 99;
  assert.equal(optA.stateDict().state['0.count']!.item(), 3, 'stateDict returns copies');
  sd.state['0.count']!.data[0] = 3;

  b.loadStateDict(a.stateDict());
  const optB = new optim.Optimizer(optim.adam({ lr: 0.05, amsgrad: true }), b);
  optB.loadStateDict(sd);
  assert.equal(optB.lr, 0.02);
  assert.equal(optB.stepCount, 3);
  for (let i = 0; i < 2; i++) {
    for (const [m, o] of [[a, optA], [b, optB]] as const) { o.zeroGrad(); loss(m).backward(); o.step(); }
  }
  assert.deepEqual(weights(b).w.toFlat(), weights(a).w.toFlat());
  assert.deepEqual(weights(b).b.toFlat(), weights(a).b.toFlat());
});

test('loadStateDict and the constructor reject mismatches with clear messages', () => {
  const opt = new optim.Optimizer(optim.adam({ lr: 0.1 }), model());
  const sd = opt.stateDict();
  const { ['0.mu.bias']: _dropped, ...missing } = sd.state;
  assert.throws(() => opt.loadStateDict({ step: 0, state: missing }), /Optimizer.loadStateDict: missing "0.mu.bias" \(expected shape \[2\]\)/);
  assert.throws(() => opt.loadStateDict({ step: 0, state: { ...sd.state, extra: tensor([1]) } }), /unexpected keys extra/);
  assert.throws(() => opt.loadStateDict({ step: 0, state: { ...sd.state, '0.mu.bias': tensor([1, 2, 3]) } }), /"0.mu.bias" has shape \[3\] in the state dict but \[2\] in the optimizer/);
  assert.throws(() => opt.loadStateDict({ step: -1, state: sd.state }), /step must be an integer >= 0, got -1/);
  assert.throws(() => new optim.Optimizer(optim.sgd({ lr: 0.1 }), {}), /Optimizer: the parameter tree has no tensors/);
  const w = tensor([1, 2], { requiresGrad: true });
  assert.throws(() => new optim.Optimizer(optim.sgd({ lr: 0.1 }), { w: w.mul(2) }), /Optimizer: "w" is not a leaf tensor/);
});
