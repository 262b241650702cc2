// Tests for weight-space symmetries, the Hungarian algorithm and the interpolation barrier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/ops/dispatch.js';
import { randn } from '../../src/tensor/random.js';
import { Rng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { mlp } from '../../src/nn/mlp.js';
import { entries } from '../../src/tree/tree.js';
import type { Params } from '../../src/nn/module.js';
import type { Sequential } from '../../src/nn/containers.js';
import {
  permuteNeurons, flipNeuronSign, flipSigmoidNeuron, canonicalForm, countEquivalentNetworks, alignNetworks,
} from '../../src/analysis/symmetry.js';
import { hungarian } from '../../src/analysis/assignment.js';
import { interpolationBarrier } from '../../src/analysis/interpolation.js';

const x = randn([7, 4], { rng: new Rng(3), dtype: 'float64' });
const net = (act: string, seed = 1): Sequential => mlp({ sizes: [4, 5, 3, 2], activation: act, seed, dtype: 'float64' });
const maxDiff = (a: Tensor, b: Tensor): number => Math.max(...a.toFlat().map((v, i) => Math.abs(v - b.toFlat()[i]!)));
const out = (m: Sequential, p: Params): Tensor => m.apply(p, x);

test('permuting hidden neurons leaves outputs unchanged and changes parameters', () => {
  for (const act of ['relu', 'tanh', 'sigmoid']) {
    const m = net(act);
    const p = permuteNeurons(m, permuteNeurons(m, m.params, 0, [4, 2, 0, 1, 3]), 1, [2, 0, 1]);
    assert.ok(maxDiff(out(m, p), out(m, m.params)) < 1e-12, act);
    assert.notDeepEqual((p['0'] as Params).weight!, (m.params['0'] as Params).weight);
  }
});

test('tanh sign flip is a symmetry; relu refuses; sigmoid variant adjusts the bias', () => {
  const t = net('tanh');
  assert.ok(maxDiff(out(t, flipNeuronSign(t, t.params, 1, 2)), out(t, t.params)) < 1e-12);
  const r = net('relu');
  assert.throws(() => flipNeuronSign(r, r.params, 0, 0), /ReLU.*not odd/);
  const s = net('sigmoid');
  assert.throws(() => flipNeuronSign(s, s.params, 0, 0), /flipSigmoidNeuron/);
  assert.ok(maxDiff(out(s, flipSigmoidNeuron(s, s.params, 0, 3)), out(s, s.params)) < 1e-12);
  assert.throws(() => flipSigmoidNeuron(t, t.params, 0, 0), /not Sigmoid/);
});

test('bad layer, neuron and permutation arguments are rejected with clear errors', () => {
  const t = net('tanh');
  assert.throws(() => permuteNeurons(t, t.params, 2, [0]), /hidden layer 2 does not exist/);
  assert.throws(() => permuteNeurons(t, t.params, 0, [0, 0, 1, 2, 3]), /permutation of 0..4/);
  assert.throws(() => flipNeuronSign(t, t.params, 0, 9), /out of range/);
  const single = mlp({ sizes: [4, 2], seed: 1 });
  assert.throws(() => permuteNeurons(single, single.params, 0, [0, 1]), /at least 2 Linear/);
});

test('canonical form is invariant under permutations and flips and preserves the function', () => {
  const t = net('tanh');
  const c0 = canonicalForm(t, t.params);
  let p = permuteNeurons(t, t.params, 0, [1, 3, 0, 4, 2]);
  p = flipNeuronSign(t, p, 0, 2);
  p = flipNeuronSign(t, permuteNeurons(t, p, 1, [1, 2, 0]), 1, 0);
  const c1 = canonicalForm(t, p);
  for (const [[k, a], [, b]] of entries(c0).map((e, i) => [e, entries(c1)[i]!] as const)) assert.ok(maxDiff(a, b) < 1e-12, k);
  assert.ok(maxDiff(out(t, c0), out(t, t.params)) < 1e-12);
});

test('countEquivalentNetworks is exact', () => {
  assert.equal(countEquivalentNetworks([3, 2], 'relu'), 12n);
  assert.equal(countEquivalentNetworks([3, 2], 'tanh'), 6n * 8n * 2n * 4n);
  assert.equal(countEquivalentNetworks([3, 2], ['tanh', 'relu']), 48n * 2n);
  const big = countEquivalentNetworks([100, 50], 'tanh');
  assert.equal(big % (1n << 150n), 0n);
  assert.ok(big.toString().length > 200);
  assert.throws(() => countEquivalentNetworks([3], ['tanh', 'relu']), /2 activations/);
});

test('hungarian finds the optimal assignment (brute force check)', () => {
  const rng = new Rng(5);
  const perms = (n: number): number[][] => (n === 0 ? [[]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)])));
  for (let trial = 0; trial < 5; trial++) {
    const c = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => Math.round(rng.uniform() * 20)));
    const cost = (s: number[]): number => s.reduce((acc, j, i) => acc + c[i]![j]!, 0);
    const best = Math.min(...perms(5).map(cost));
    const got = hungarian(c);
    assert.deepEqual([...got].sort(), [0, 1, 2, 3, 4]);
    assert.equal(cost(got), best);
  }
  assert.throws(() => hungarian([[1, 2]]), /square/);
});

test('alignNetworks recovers a hidden permutation; barrier is zero between identical nets', () => {
  const t = net('tanh');
  const shuffled = permuteNeurons(t, permuteNeurons(t, t.params, 0, [3, 1, 4, 0, 2]), 1, [2, 0, 1]);
  const { params, perms } = alignNetworks(t, t.params, shuffled);
  assert.deepEqual(perms[0], [3, 1, 4, 0, 2].map((_, i, a) => a.indexOf(i)));
  for (const [[k, a], [, b]] of entries(params).map((e, i) => [e, entries(t.params)[i]!] as const)) assert.ok(maxDiff(a, b) < 1e-12, k);
  const loss = (p: Params): number => out(t, p).square().mean().item();
  const same = interpolationBarrier(t.params, params, loss, 5);
  assert.ok(same.barrier < 1e-12);
  const before = interpolationBarrier(t.params, shuffled, loss, 5);
  assert.equal(before.losses.length, 5);
  assert.ok(Math.abs(before.losses[0]! - before.losses[4]!) < 1e-12);
  assert.throws(() => interpolationBarrier(t.params, shuffled, loss, 1), /steps/);
});
