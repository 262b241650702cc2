// BatchNorm1d against PyTorch, Dropout, Flatten, activation factory, initialiser statistics, trees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, tree, tensor, randn, Rng, zeros, type Tensor } from '../../src/index.js';
import { fixture, toTensor, assertClose, type FixtureTensor } from '../helpers/fixtures.js';

type BnKeys = 'x' | 'weight' | 'bias' | 'upstream' | 'train_y' | 'train_vjp_x' | 'grad_weight' | 'grad_bias' | 'running_mean_after' | 'running_var_after' | 'eval_x' | 'eval_y';
type BnCase = Record<BnKeys, FixtureTensor> & { eps: number; momentum: number };

test('BatchNorm1d matches PyTorch in train and eval mode (float64)', () => {
  const c = fixture<{ cases: BnCase[] }>('batchnorm.json').cases[0]!;
  const bn = new nn.BatchNorm1d(3, { eps: c.eps, momentum: c.momentum, dtype: 'float64' });
  bn.loadStateDict({ ...bn.stateDict(), weight: toTensor(c.weight), bias: toTensor(c.bias) });
  const x = toTensor(c.x, 'float64', true);
  const y = bn.forward(x);
  assertClose(y, c.train_y, 'train_y', 1e-10, 1e-9);
  y.backward(toTensor(c.upstream));
  assertClose(x.grad!, c.train_vjp_x, 'vjp x', 1e-10, 1e-9);
  assertClose((bn.params.weight as Tensor).grad!, c.grad_weight, 'grad weight', 1e-10, 1e-9);
  assertClose((bn.params.bias as Tensor).grad!, c.grad_bias, 'grad bias', 1e-10, 1e-9);
  assertClose(bn.runningMean, c.running_mean_after, 'running mean', 1e-10, 1e-9);
  assertClose(bn.runningVar, c.running_var_after, 'running var', 1e-10, 1e-9);
  bn.eval();
  assertClose(bn.forward(toTensor(c.eval_x)), c.eval_y, 'eval_y', 1e-10, 1e-9);
  assert.throws(() => bn.forward(zeros([2, 4], { dtype: 'float64' })), /BatchNorm1d: expected \[N, 3\]/);
});

test('Dropout: seeded, scales kept units by 1/(1-p), identity in eval', () => {
  const d = new nn.Dropout(0.5, { seed: 3 });
  const y = d.forward(tensor(new Array(1000).fill(1)));
  const kept = y.toFlat().filter((v) => v !== 0);
  assert.ok(kept.every((v) => v === 2));
  assert.ok(kept.length > 430 && kept.length < 570, `kept ${kept.length}`);
  d.eval();
  assert.deepEqual(d.forward(tensor([1, 2])).toArray(), [1, 2]);
  assert.throws(() => new nn.Dropout(1), /Dropout: p must be in \[0, 1\), got 1/);
});

test('Flatten and the activation factory', () => {
  assert.deepEqual(new nn.Flatten().forward(zeros([2, 3, 4])).shape, [2, 12]);
  assert.throws(() => nn.activation('swishy'), /unknown activation "swishy"; choose one of/);
  assert.equal(nn.activation('leaky_relu', { alpha: 0.2 }).forward(tensor([-1])).item().toFixed(6), (-0.2).toFixed(6));
});

function stats(t: Tensor): { mean: number; std: number } {
  const xs = t.toFlat();
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
}

test('initialisers match their formulas for several fan sizes', () => {
  const rng = new Rng(11);
  for (const [out, inp] of [[200, 100], [64, 512], [300, 30]] as const) {
    const shape = [out, inp];
    const checks: [string, nn.init.Initializer, number][] = [
      ['xavierUniform', nn.init.xavierUniform(), Math.sqrt(2 / (inp + out))],
      ['xavierNormal', nn.init.xavierNormal(), Math.sqrt(2 / (inp + out))],
      ['kaimingUniform relu', nn.init.kaimingUniform(), Math.sqrt(2 / inp)],
      ['kaimingNormal relu fan_out', nn.init.kaimingNormal({ mode: 'fan_out' }), Math.sqrt(2 / out)],
      ['lecunNormal', nn.init.lecunNormal(), Math.sqrt(1 / inp)],
      ['torchDefault', nn.init.torchDefault(inp), 1 / Math.sqrt(3 * inp)],
    ];
    for (const [name, init, std] of checks) {
      const s = stats(init(shape, rng, 'float64'));
      assert.ok(Math.abs(s.mean) < 0.05 * std + 1e-3, `${name} ${shape}: mean ${s.mean}`);
      assert.ok(Math.abs(s.std / std - 1) < 0.05, `${name} ${shape}: std ${s.std} vs ${std}`);
    }
  }
  const q = nn.init.orthogonal()([4, 6], rng, 'float64');
  const qqt = q.matmul(q, { transB: true });
  qqt.toFlat().forEach((v, i) => assert.ok(Math.abs(v - (i % 5 === 0 ? 1 : 0)) < 1e-12));
  assert.equal(nn.init.gain('tanh'), 5 / 3);
  assert.throws(() => nn.init.fans([3]), /fan in\/out need a weight of rank >= 2/);
});

test('tree utilities: entries, flatten/unflatten views with gradient, replaceAt, map2, count', () => {
  const net = nn.mlp({ sizes: [3, 4, 2], seed: 0 });
  const p = net.params;
  assert.equal(tree.count(p), 3 * 4 + 4 + 4 * 2 + 2);
  const v = tree.flatten(p).detach().requireGrad();
  const back = tree.unflatten(net.paramSpec(), v);
  const x = randn([5, 3]);
  assert.deepEqual(net.apply(back as nn.Params, x).toFlat(), net.forward(x).toFlat());
  net.apply(back as nn.Params, x).sum().backward();
  assert.equal(v.grad!.size, tree.count(p));
  const replaced = tree.replaceAt(p, '2.bias', zeros([2]));
  assert.equal(tree.leaves(replaced)[3]!.data[0], 0);
  assert.throws(() => tree.replaceAt(p, '9.bias', zeros([2])), /no leaf at "9.bias"/);
  const doubled = tree.map2(p, p, (a, b) => a.add(b));
  assert.equal(tree.leaves(doubled)[0]!.data[0], 2 * tree.leaves(p)[0]!.data[0]!);
  assert.throws(() => tree.unflatten(net.paramSpec(), zeros([3])), /does not hold the 26 values/);
});
