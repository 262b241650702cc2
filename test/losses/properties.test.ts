// Losses: gradcheck in float64, reductions against plain-JS references, and stability at extreme inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, rand, tensor, gradcheck, type Tensor } from '../../src/index.js';
import * as L from '../../src/losses/index.js';
import type { Reduction } from '../../src/losses/index.js';
import { assertClose } from '../helpers/fixtures.js';

const rng = new Rng(7);
const leaf = (shape: number[], lo = -2, hi = 2): Tensor => rand(shape, { rng, lo, hi, dtype: 'float64', requiresGrad: true });
const f64 = (values: number[], shape?: number[]): Tensor => tensor(values, { dtype: 'float64', ...(shape ? { shape } : {}) });
const labels = (n: number, c: number): Tensor => f64(Array.from({ length: n }, () => Math.floor(rng.uniform() * c)));
const signs = (n: number): Tensor => f64(Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1)));
const bits = (n: number): Tensor => f64(Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 0 : 1)));
const reductions: Reduction[] = ['mean', 'sum', 'none'];

test('gradcheck: regression losses w.r.t. prediction and target, every reduction', () => {
  for (const reduction of reductions) {
    const x = leaf([4, 3]), y = leaf([4, 3]);
    gradcheck((a, b) => L.mse(a, b, { reduction }), [x, y]);
    gradcheck((a, b) => L.mae(a, b, { reduction }), [x, y]);
    gradcheck((a, b) => L.squaredL2(a, b, { reduction }), [x, y]);
    gradcheck((a, b) => L.l1(a, b, { reduction }), [x, y]);
    gradcheck((a, b) => L.huber(a, b, { reduction, delta: 0.7 }), [x, y]);
  }
});

test('gradcheck: binary losses (BCE also w.r.t. soft targets)', () => {
  for (const reduction of reductions) {
    const p = leaf([5], 0.05, 0.95), q = leaf([5], 0, 1);
    gradcheck((a, b) => L.binaryCrossEntropy(a, b, { reduction }), [p, q]);
    const hard = bits(5);
    gradcheck((a) => L.binaryCrossEntropy(a, hard, { reduction }), [p]);
    const z = leaf([5], -6, 6);
    gradcheck((a, b) => L.binaryCrossEntropyWithLogits(a, b, { reduction }), [z, q]);
    const pm = signs(5);
    gradcheck((a) => L.hinge(a, pm, { reduction, margin: 0.5 }), [z]);
  }
});

test('gradcheck: multiclass losses (index and probability targets, smoothing, p = 2)', () => {
  for (const reduction of reductions) {
    const x = leaf([4, 5], -3, 3);
    const y = labels(4, 5);
    gradcheck((a) => L.crossEntropy(a, y, { reduction }), [x]);
    gradcheck((a) => L.crossEntropy(a, y, { reduction, labelSmoothing: 0.2 }), [x]);
    const q = leaf([4, 5], 0, 1);
    gradcheck((a, b) => L.crossEntropy(a, b, { reduction, labelSmoothing: 0.1 }), [x, q]);
    gradcheck((a) => L.multiMargin(a, y, { reduction }), [x]);
    gradcheck((a) => L.multiMargin(a, y, { reduction, p: 2, margin: 0.5 }), [x]);
  }
});

/** Plain-JS per-sample references, independent of the tensor ops. */
function logSoftmaxRow(row: number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
}
function rows(t: Tensor): number[][] {
  const c = t.shape[t.rank - 1]!;
  return Array.from({ length: t.size / c }, (_, i) => Array.from(t.data.subarray(i * c, (i + 1) * c)));
}

test("reduction 'none' matches per-sample references; 'sum' and 'mean' combine them", () => {
  const x = leaf([4, 3]), y = leaf([4, 3]);
  const xs = Array.from(x.data), ys = Array.from(y.data);
  const d = xs.map((v, i) => v - ys[i]!);
  const hub = d.map((v) => (Math.abs(v) < 0.7 ? 0.5 * v * v : 0.7 * (Math.abs(v) - 0.35)));
  const rowSum = (v: number[]): number[] => [0, 1, 2, 3].map((r) => v[3 * r]! + v[3 * r + 1]! + v[3 * r + 2]!);
  const z = leaf([4, 5], -3, 3), k = labels(4, 5);
  const ce = rows(z).map((r, i) => -logSoftmaxRow(r)[k.data[i]!]!);
  const mm = rows(z).map((r, i) => r.reduce((s, v, j) => (j === k.data[i] ? s : s + Math.max(0, 1 - r[k.data[i]!]! + v)), 0) / 5);
  const s = signs(12);
  const cases: [string, (r: Reduction) => Tensor, number[], number[]][] = [
    ['mse', (r) => L.mse(x, y, { reduction: r }), [4, 3], d.map((v) => v * v)],
    ['mae', (r) => L.mae(x, y, { reduction: r }), [4, 3], d.map(Math.abs)],
    ['huber', (r) => L.huber(x, y, { reduction: r, delta: 0.7 }), [4, 3], hub],
    ['squaredL2', (r) => L.squaredL2(x, y, { reduction: r }), [4], rowSum(d.map((v) => v * v))],
    ['l1', (r) => L.l1(x, y, { reduction: r }), [4], rowSum(d.map(Math.abs))],
    ['hinge', (r) => L.hinge(x.reshape([12]), s, { reduction: r }), [12], xs.map((v, i) => Math.max(0, 1 - s.data[i]! * v))],
    ['crossEntropy', (r) => L.crossEntropy(z, k, { reduction: r }), [4], ce],
    ['multiMargin', (r) => L.multiMargin(z, k, { reduction: r }), [4], mm],
  ];
  for (const [name, fn, shape, expected] of cases) {
    const none = fn('none');
    assert.deepEqual([...none.shape], shape, `${name}: 'none' shape`);
    assertClose(none, expected, `${name} none`, 1e-12, 1e-12);
    const total = expected.reduce((a, b) => a + b, 0);
    assertClose([fn('sum').item()], [total], `${name} sum`, 1e-12, 1e-12);
    assertClose([fn('mean').item()], [total / expected.length], `${name} mean`, 1e-12, 1e-12);
  }
});

test('BCE with logits is exact and finite for |logit| up to 1000 (float64 and float32)', () => {
  const z = [-1000, -100, -50, 50, 100, 1000];
  for (const dtype of ['float64', 'float32'] as const) {
    for (const y of [0, 1]) {
      const x = tensor(z, { dtype, requiresGrad: true });
      const loss = L.binaryCrossEntropyWithLogits(x, tensor(z.map(() => y), { dtype }), { reduction: 'none' });
      // Exact: -log σ(x) = softplus(-x) for y = 1, softplus(x) for y = 0; here |x| ≥ 50 so softplus(t) = max(t, 0) or e^t.
      const exact = z.map((v) => { const t = y === 1 ? -v : v; return t > 0 ? t : Math.exp(t); });
      // float32 holds e^-100 only as a denormal (about 2 significant digits): hence its atol.
      assertClose(loss, exact, `${dtype} y=${y} loss`, dtype === 'float64' ? 0 : 1e-40, dtype === 'float64' ? 1e-15 : 1e-6);
      loss.sum().backward();
      const grad = z.map((v) => (v > 0 ? 1 : 0) - y + (v > 0 ? -Math.exp(-v) : Math.exp(v)));
      assertClose(x.grad!, grad, `${dtype} y=${y} grad`, 1e-15, 1e-7);
    }
  }
});

test('BCE with logits: gradient at logit 0 is σ(0) - y, and the value log 2', () => {
  const x = tensor([0, 0, 0], { dtype: 'float64', requiresGrad: true });
  const loss = L.binaryCrossEntropyWithLogits(x, f64([0, 1, 0.25]), { reduction: 'sum' });
  assertClose([loss.item()], [3 * Math.LN2], 'value', 1e-15, 1e-15);
  loss.backward();
  assertClose(x.grad!, [0.5, -0.5, 0.25], 'gradient', 1e-15, 0);
});

test('BCE on probabilities clamps the log at -100 and keeps gradients finite at p = 0 and 1', () => {
  const p = tensor([0, 1, 0, 1, 1e-300], { dtype: 'float64', requiresGrad: true });
  const loss = L.binaryCrossEntropy(p, f64([1, 0, 0, 1, 1]), { reduction: 'none' });
  assertClose(loss, [100, 100, 0, 0, 100], 'clamped losses', 0, 0);
  loss.sum().backward();
  assert.ok(p.grad!.toFlat().every(Number.isFinite), `gradients ${p.grad!.toFlat()}`);
  const q = tensor([0.25], { dtype: 'float32', requiresGrad: true });
  L.binaryCrossEntropy(q, tensor([1], { dtype: 'float32' })).backward();
  assertClose(q.grad!, [-4], 'interior gradient -y/p');
});

test('cross-entropy and multi-margin stay finite for logits of ±1000', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    const x = tensor([[1000, -1000, 0], [-1000, 1000, 999]], { dtype, requiresGrad: true });
    const loss = L.crossEntropy(x, tensor([1, 1], { dtype }), { reduction: 'none' });
    assertClose(loss, [2000, Math.log1p(Math.exp(-1))], `${dtype} cross-entropy`, 1e-6, 1e-7);
    loss.sum().backward();
    assert.ok(x.grad!.toFlat().every(Number.isFinite));
    // Row 0 (label 0) violates no margin; row 1 (label 2): 1 - 999 + 1000 = 2 for j = 1.
    assertClose([L.multiMargin(x.detach(), tensor([0, 2], { dtype })).item()], [(0 + 2 / 3) / 2], `${dtype} multiMargin`);
  }
});
