// Explicit state: what the pure apply(params, x, ctx) returns and refuses, keys, write-back, cached container trees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, hyper, randn, Key, Rng, fit, predictRaw, multiclassHead, tensor, Optimizer, sgd, type Tensor } from '../../src/index.js';

const x = randn([6, 3], { rng: new Rng(1) });
const bytes = (t: Tensor): number[] => Array.from(t.data);

test('BatchNorm1d: the pure train step returns new statistics and leaves the buffers; forward writes them', () => {
  const bn = new nn.BatchNorm1d(3);
  const r = bn.apply(bn.params, x, { mode: 'train', state: bn.state });
  assert.deepEqual(bytes(bn.runningMean), [0, 0, 0], 'the pure form must not move the running mean');
  assert.equal(bn.numBatchesTracked.item(), 0);
  assert.equal((r.state.num_batches_tracked as Tensor).item(), 1);
  const y = bn.forward(x);
  assert.deepEqual(bytes(y), bytes(r.y));
  assert.deepEqual(bytes(bn.runningMean), bytes(r.state.running_mean as Tensor), 'forward writes the state the pure form returned');
  // Threading the returned state through a second pure call equals two forward calls.
  const r2 = bn.apply(bn.params, x, { mode: 'train', state: r.state });
  bn.forward(x);
  assert.deepEqual(bytes(bn.runningVar), bytes(r2.state.running_var as Tensor));
});

test('Dropout: a key gives the same mask every time and leaves the stream; without one the state position advances', () => {
  const d = new nn.Dropout(0.5, { seed: 3 });
  const k = Key.of(9);
  const a = d.apply({}, x, { mode: 'train', key: k, state: d.state }), b = d.apply({}, x, { mode: 'train', key: k, state: d.state });
  assert.deepEqual(bytes(a.y), bytes(b.y));
  assert.deepEqual((a.state.rng as Key).state(), (d.state.rng as Key).state(), 'a keyed call keeps the stream position');
  const own = d.apply({}, x, { mode: 'train', state: d.state });
  assert.deepEqual(bytes(d.forward(x)), bytes(own.y), 'forward draws what the state position gives');
  assert.notDeepEqual(bytes(d.forward(x)), bytes(own.y), 'and advances it');
  assert.deepEqual(bytes(d.apply({}, x, { mode: 'eval' }).y), bytes(x), 'eval is the identity');
});

test('Sequential folds the key per child: two Dropouts of one key draw different masks', () => {
  const net = new nn.Sequential(new nn.Dropout(0.5), new nn.Dropout(0.5));
  const ones = tensor(Array.from({ length: 40 }, () => 1), { shape: [4, 10] });
  const first = new nn.Dropout(0.5).apply({}, ones, { mode: 'train', key: Key.of(1).fold('0') }).y;
  const both = net.apply(net.params, ones, { mode: 'train', key: Key.of(1) }).y;
  assert.notDeepEqual(bytes(both), bytes(first).map((v) => v * v), 'the second layer must not reuse the first mask');
});

test('pure apply refuses what it cannot run: randomness without key or state, missing statistics, a tensor as a sub-tree', () => {
  assert.throws(() => new nn.Dropout(0.5).apply({}, x, { mode: 'train' }), {
    message: 'Dropout(0.5).apply: mode \'train\' draws random numbers: pass ctx.key (a Key) or the module\'s state (ctx.state = module.state, which holds its stream position "rng")',
  });
  const bn = new nn.BatchNorm1d(3);
  assert.throws(() => bn.apply(bn.params, x, { mode: 'eval' }), {
    message: 'BatchNorm1d(3).apply: ctx.state.running_mean must be a tensor of shape [3], got nothing; pass ctx.state = module.state (or the state a previous call returned)',
  });
  assert.throws(() => bn.apply(bn.params, x, { mode: 'train', state: { ...bn.state, running_var: randn([2]) } }), {
    message: 'BatchNorm1d(3).apply: ctx.state.running_var must be a tensor of shape [3], got [2]; pass ctx.state = module.state (or the state a previous call returned)',
  });
  assert.throws(() => nn.childParams(new nn.Linear(3, 2).params, 'weight'), {
    message: 'childParams: "weight" is a tensor of shape [2,3], not a child\'s parameter tree; read it as params["weight"]',
  });
});

test('Sequential.params is one cached tree until a child\'s parameters are replaced', () => {
  const net = nn.mlp({ sizes: [3, 4, 2], seed: 1 });
  assert.equal(net.params, net.params);
  const before = net.params;
  const first = net.layers[0] as nn.Linear;
  first.params = { weight: randn([4, 3]), bias: randn([4]) };
  assert.notEqual(net.params, before);
  assert.equal(net.params['0'], first.params);
});

test('fit\'s pure steps write the BatchNorm statistics back; predictRaw leaves the mode flags as they were', () => {
  const net = nn.mlp({ sizes: [3, 4, 2], seed: 1, batchNorm: true, dropout: 0.2 });
  const head = multiclassHead({ numClasses: 2 });
  const bn = net.layers[1] as nn.BatchNorm1d;
  const stats = bytes(bn.runningMean);
  fit({ model: net, head, optimizer: new Optimizer(sgd({ lr: 0.1 }), net), x, y: tensor([0, 1, 0, 1, 1, 0]), epochs: 1, batchSize: 3 });
  assert.notDeepEqual(bytes(bn.runningMean), stats, 'the training steps write the statistics back');
  assert.equal(bn.numBatchesTracked.item(), 2);
  net.train();
  const after = bytes(bn.runningMean);
  predictRaw(net, x);
  assert.ok(net.training && bn.training, 'predictRaw must not switch the model to eval mode');
  assert.deepEqual(bytes(bn.runningMean), after, 'evaluation must not move the statistics');
});

test('predictStochastic with a key is pure: the same key gives the same mean and std, and the hypernet stream does not move', () => {
  const h = new hyper.HyperNetwork({ target: nn.mlp({ sizes: [1, 6, 1], seed: 1 }), condition: { kind: 'noise', dim: 2 }, seed: 4 });
  const grid = tensor([[-1], [0], [1]]);
  const position = (h.state.rng as Key).state();
  const a = hyper.predictStochastic(h, grid, 5, Key.of(2)), b = hyper.predictStochastic(h, grid, 5, Key.of(2));
  assert.deepEqual(bytes(a.mean), bytes(b.mean));
  assert.deepEqual(bytes(a.std), bytes(b.std));
  assert.deepEqual((h.state.rng as Key).state(), position);
  assert.notDeepEqual(bytes(hyper.predictStochastic(h, grid, 5, Key.of(3)).mean), bytes(a.mean), 'another key, other samples');
});
