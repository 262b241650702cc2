// Tests for PCA (Jacobi), the linear probe, SVG plots and the single-neuron closed forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/ops/dispatch.js';
import { tensor } from '../../src/tensor/tensor.js';
import { randn } from '../../src/tensor/random.js';
import { Rng } from '../../src/core/rng.js';
import { mlp } from '../../src/nn/mlp.js';
import { Linear } from '../../src/nn/linear.js';
import { symmetricEigen, pca, pcaProject, componentsForVariance } from '../../src/analysis/pca.js';
import { representations, linearProbe } from '../../src/analysis/representations.js';
import { scatterSvg, filterGridSvg } from '../../src/analysis/svg.js';
import { leastSquares, logisticIrls, solveLinear } from '../../src/analysis/single-neuron.js';

test('symmetricEigen reconstructs A = V Λ Vᵀ', () => {
  const a = [[4, 1, 2], [1, 3, 0], [2, 0, 5]];
  const { values, vectors } = symmetricEigen(a, 3);
  assert.ok(values[0]! >= values[1]! && values[1]! >= values[2]!);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    const r = values.reduce((s, l, k) => s + l * vectors[k]![i]! * vectors[k]![j]!, 0);
    assert.ok(Math.abs(r - a[i]![j]!) < 1e-10);
  }
  assert.throws(() => symmetricEigen([[1, 2]], 2), /2×2/);
});

test('pca finds the dominant direction of anisotropic data and counts components', () => {
  const z = randn([400, 3], { rng: new Rng(1), dtype: 'float64' }).toFlat();
  const x = tensor(Array.from({ length: 400 }, (_, i) => [10 * z[3 * i]!, 10 * z[3 * i]! + 0.1 * z[3 * i + 1]!, 0.1 * z[3 * i + 2]!]).flat(), { shape: [400, 3], dtype: 'float64' });
  const p = pca(x);
  assert.ok(p.explainedRatio[0]! > 0.99);
  assert.ok(Math.abs(Math.abs(p.components[0]![0]!) - Math.SQRT1_2) < 1e-3);
  assert.equal(componentsForVariance(p, 0.9), 1);
  assert.equal(componentsForVariance(p, 1), 3);
  assert.deepEqual(pcaProject(p, x, 2).shape, [400, 2]);
  assert.throws(() => pcaProject(p, x, 4), /k = 4/);
  assert.throws(() => pca(tensor([1, 2, 3])), /\[N, F\]/);
  assert.throws(() => componentsForVariance(p, 1.5), /fraction/);
});

test('representations and linear probe separate linearly separable classes', () => {
  const x = randn([200, 2], { rng: new Rng(2) });
  const y = tensor(x.toFlat().filter((_, i) => i % 2 === 0).map((v) => (v > 0 ? 1 : 0)));
  const r = linearProbe(x, y, { numClasses: 2, epochs: 40, lr: 0.05, test: { x, y } });
  assert.ok(r.trainAccuracy > 0.95 && r.testAccuracy! > 0.95);
  const net = mlp({ sizes: [2, 5, 3], seed: 1 });
  const acts = representations(net, x);
  assert.deepEqual(acts.map(([k, t]) => [k.split(':')[0], t.shape]), [['0', [200, 5]], ['1', [200, 5]], ['2', [200, 3]]]);
  assert.throws(() => representations(new Linear(2, 2), x), /applyWithIntermediates/);
  assert.throws(() => linearProbe(x, tensor([1, 0]), { numClasses: 2 }), /one label each/);
});

test('scatterSvg and filterGridSvg draw deterministic SVG with one mark per point / weight', () => {
  const pts = tensor([[0, 0], [1, 2], [3, 1]]);
  const svg = scatterSvg(pts, tensor([0, 1, 1]), { title: 'a<b' });
  assert.equal(svg.match(/<circle[^>]*r="2.5"/g)!.length, 3);
  assert.ok(svg.includes('a&lt;b') && svg.startsWith('<svg'));
  assert.equal(svg, scatterSvg(pts, tensor([0, 1, 1]), { title: 'a<b' }));
  assert.throws(() => scatterSvg(tensor([[1, 2, 3]]), tensor([0])), /\[N, 2\]/);
  assert.throws(() => scatterSvg(pts, tensor([0])), /one label per point/);
  const w = randn([4, 2, 3, 3], { rng: new Rng(3) });
  const grid = filterGridSvg(w);
  assert.equal(grid.match(/<rect x=/g)!.length, 4 * 2 * 9);
  assert.ok(grid.includes('#ff0000') || grid.includes('#0000ff'));
  assert.throws(() => filterGridSvg(randn([3, 3])), /\[out, in, kh, kw\]/);
  // one input channel: 16 filters wrap into a 4 × 4 grid of 3×3 tiles (cell 8, gap 4 → 4 + 4·28 = 116)
  const first = filterGridSvg(randn([16, 1, 3, 3], { rng: new Rng(5) }));
  assert.match(first, /width="116" height="116"/);
  assert.equal(first.match(/<rect x=/g)!.length, 16 * 9);
});

test('least squares recovers exact linear data; IRLS satisfies the logistic score equations', () => {
  const x = randn([50, 2], { rng: new Rng(4), dtype: 'float64' });
  const xf = x.toFlat();
  const y = tensor(Array.from({ length: 50 }, (_, i) => 2 * xf[2 * i]! - 3 * xf[2 * i + 1]! + 0.5), { dtype: 'float64' });
  const ls = leastSquares(x, y);
  assert.ok(Math.abs(ls.weights[0]! - 2) < 1e-10 && Math.abs(ls.weights[1]! + 3) < 1e-10 && Math.abs(ls.bias - 0.5) < 1e-10);
  const yb = tensor(Array.from({ length: 50 }, (_, i) => ((xf[2 * i]! + 0.7 * Math.sin(7 * i)) > 0 ? 1 : 0)), { dtype: 'float64' });
  const fitL = logisticIrls(x, yb);
  const grad: number[] = [0, 0, 0];
  for (let i = 0; i < 50; i++) {
    const p = 1 / (1 + Math.exp(-(fitL.weights[0]! * xf[2 * i]! + fitL.weights[1]! * xf[2 * i + 1]! + fitL.bias)));
    const r = yb.toFlat()[i]! - p;
    grad[0]! += r * xf[2 * i]!; grad[1]! += r * xf[2 * i + 1]!; grad[2]! += r;
  }
  assert.ok(Math.max(...grad.map(Math.abs)) < 1e-8);
  assert.throws(() => logisticIrls(x, y), /must be 0 or 1/);
  assert.throws(() => solveLinear([[1, 1], [1, 1]], [1, 2]), /singular/);
});

test('neuronHeatmapsSvg draws one resolution² tile per hidden unit and rejects bad layers', async () => {
  const { neuronHeatmapsSvg } = await import('../../src/analysis/heatmaps.js');
  const net = mlp({ sizes: [2, 3, 2], activation: 'tanh', seed: 1 });
  const svg = neuronHeatmapsSvg(net, 1, { resolution: 5 });
  assert.equal(svg.match(/<rect x=/g)!.length, 3 * 25);
  // each unit is scaled to its own [min, max]: every tile has one darkest and one brightest cell
  assert.ok(svg.match(/#14145a/g)!.length >= 3 && svg.match(/#ffdc00/g)!.length >= 3);
  assert.throws(() => neuronHeatmapsSvg(net, 7), /child index/);
  assert.throws(() => neuronHeatmapsSvg(net, 1, { resolution: 1 }), /resolution/);
});
