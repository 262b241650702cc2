// Slice gradients accumulated in place (autograd/accumulate.ts): bit-identical to the old pad + add
// path (still used under createGraph, so it is the reference here), gradcheck, and ownership safety.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as N from '../../src/index.js';
import { tensor, randn, gradcheck, backward, Rng, type Tensor } from '../../src/index.js';
import { LSTM, LastStep } from '../../src/nn/recurrent.js';
import { Linear } from '../../src/nn/linear.js';

type Graph = (xs: Tensor[]) => Tensor;

/** Gradients of `leaves` through `f`, by the in-place path (plain backward) or the recorded one (createGraph). */
function grads(f: Graph, make: () => Tensor[], createGraph: boolean, upstream?: (y: Tensor) => Tensor): number[][] {
  const leaves = make();
  const y = f(leaves);
  if (upstream) backward(y, upstream(y), { createGraph });
  else backward(y, { createGraph });
  return leaves.map((l) => Array.from(l.grad!.data));
}

/** deepStrictEqual on number arrays compares with Object.is: every bit of every value (and NaN-ness) matches. */
function assertSameBits(f: Graph, make: () => Tensor[], upstream?: (y: Tensor) => Tensor): void {
  assert.deepStrictEqual(grads(f, make, false, upstream), grads(f, make, true, upstream));
}

const leaf = (shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float32'): Tensor => randn(shape, { rng: new Rng(seed), dtype, requiresGrad: true });

test('many overlapping slices mixed with dense uses give bit-identical gradients to the pad + add path', () => {
  const f: Graph = ([x, w]) => {
    let acc = N.sum(N.mul(x!, w!));
    for (let k = 0; k < 9; k++) {
      // Overlapping 2-d windows, whole rows, whole columns and single elements, in a fixed order.
      const s = N.slice(x!, [k % 4, k % 5], [k % 4 + 2, k % 5 + 5]);
      acc = N.add(acc, N.sum(N.mul(s, N.tanh(s))));
      acc = N.add(acc, N.sum(N.narrow(x!, 0, k % 6, 1).mul(k + 0.5)));
      acc = N.add(acc, N.sum(N.narrow(x!, 1, k, 2).exp()));
      if (k % 3 === 0) acc = N.add(acc, N.sum(N.mul(x!, x!)));
    }
    return acc;
  };
  assertSameBits(f, () => [leaf([6, 10], 1), leaf([6, 10], 2)]);
  assertSameBits(f, () => [leaf([6, 10], 3, 'float64'), leaf([6, 10], 4, 'float64')]);
});

test('split, rank-3 slices, a non-contiguous inner slice and LastStep match the pad + add path bit for bit', () => {
  const split: Graph = ([x]) => N.stack(N.split(x!, [1, 3, 2, 4], 1).map((p, i) => N.sum(p.mul(i + 1).sigmoid())));
  assertSameBits(split, () => [leaf([5, 10], 5)], (y) => randn(y.shape, { rng: new Rng(9) }));
  const rank3: Graph = ([x]) => N.add(N.sum(N.slice(x!, [0, 1, 2], [2, 3, 5]).square()), N.sum(N.slice(x!, [1, 0, 0], [3, 4, 3]).tanh()));
  assertSameBits(rank3, () => [leaf([3, 4, 6], 6)]);
  const last: Graph = ([x]) => N.sum(new LastStep().forward(x!).square());
  assertSameBits(last, () => [leaf([4, 7, 3], 7)]);
});

test('an LSTM classifier (gate slices every step) has bit-identical parameter gradients on both paths', () => {
  const rng = new Rng(11);
  const lstm = new LSTM(3, 5, { rng }), head = new Linear(5, 2, { rng });
  const x = randn([4, 6, 3], { rng: new Rng(12) });
  const fresh = (p: object): Record<string, Tensor> => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, (v as Tensor).detach().requireGrad()]));
  const run = (createGraph: boolean): number[][] => {
    const lp = fresh(lstm.params), hp = fresh(head.params);
    backward(N.sum(head.apply(hp, new LastStep().forward(lstm.apply(lp, x))).square()), { createGraph });
    return [...Object.values(lp), ...Object.values(hp)].map((l) => Array.from(l.grad!.data));
  };
  assert.deepStrictEqual(run(false), run(true));
});

test('gradcheck (float64) through narrow, split, row selection, LastStep and an LSTM on the in-place path', () => {
  const r = (shape: number[], seed: number): Tensor => leaf(shape, seed, 'float64');
  assert.ok(gradcheck((a) => N.add(N.narrow(a!, 1, 1, 3).square(), N.narrow(a!, 1, 0, 3)), [r([3, 5], 1)]).ok);
  assert.ok(gradcheck((a) => N.concat(N.split(a!, [2, 1, 3], 0).map((p, i) => p.mul(i + 2).tanh()).reverse(), 0), [r([6, 2], 2)]).ok);
  const rows = (a: Tensor): Tensor => N.stack([2, 0, 2, 3].map((i) => N.reshape(N.narrow(a, 0, i, 1), [a.shape[1]!])));
  assert.ok(gradcheck((a) => rows(a!).sigmoid(), [r([4, 3], 3)]).ok);
  assert.ok(gradcheck((a) => new LastStep().forward(a!).exp(), [r([2, 4, 3], 4)]).ok);
  const lstm = new LSTM(2, 3, { dtype: 'float64', rng: new Rng(5) });
  const w = (lstm.params.weight_hh_l0 as Tensor).detach().requireGrad();
  assert.ok(gradcheck((a, b) => lstm.apply({ ...lstm.params, weight_hh_l0: b! }, a!), [r([2, 4, 2], 6), w]).ok);
});

test('in-place accumulation never writes into the upstream gradient, a rule output or a retained grad', () => {
  // add() hands the user's upstream gradient on unchanged, so x's first pending gradient IS that
  // tensor; the slice's region must then go into a copy.
  const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const up = tensor([[1, 1, 1], [1, 1, 1]]);
  const y = N.add(x, N.pad(N.narrow(x, 1, 1, 2), [[0, 0], [0, 1]]));
  backward(y, up);
  assert.deepEqual(Array.from(up.data), [1, 1, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(x.grad!.data), [1, 2, 2, 1, 2, 2]);
  // A retained gradient is the sweep's buffer handed over; add() passes it on to p unchanged, and
  // p's other (slice) contribution must then go into a copy, not into t.grad.
  for (const late of [false, true]) {
    const a = tensor([1, 2, 3, 4], { requiresGrad: true });
    const p = N.mul(a, 2), t = N.add(p, 1).retainGrad();
    const viaT = N.add(N.sum(N.narrow(t, 0, 0, 2)), N.sum(N.narrow(t, 0, 1, 3)));
    const viaP = N.sum(N.narrow(p, 0, 2, 2));
    backward(late ? N.add(viaT, viaP) : N.add(viaP, viaT));
    assert.deepEqual(Array.from(t.grad!.data), [1, 2, 1, 1]);
    assert.deepEqual(Array.from(a.grad!.data), [2, 4, 4, 4]);
  }
});

test('createGraph still records slice gradients: second derivatives through narrow', () => {
  // y = Σ narrow(x)³ over x[1..2]: dy/dx = 3x² there; d/dx Σ dy/dx = 6x there, 0 elsewhere.
  const x = tensor([1, 2, 3, 4], { requiresGrad: true, dtype: 'float64' });
  backward(N.sum(N.narrow(x, 0, 1, 2).pow(3)), { createGraph: true });
  const g = x.grad!;
  assert.deepEqual(Array.from(g.data), [0, 12, 27, 0]);
  x.grad = null;
  backward(N.sum(g));
  assert.deepEqual(Array.from(x.grad!.data), [0, 12, 18, 0]);
});
