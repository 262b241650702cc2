// PCA in the playground's representations panel: against a known decomposition, and on a real network's layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysis, nn, randn, Rng, Tensor } from 'neurite';
import { hiddenRepresentations, project2d } from '../../playground/src/lecture/pca.js';

/**
 * Data with a known decomposition: H = Z·diag(3, 1, 0.2)·Qᵀ + μ with Z's columns exactly orthonormal ×√(N−1)
 * (so the covariance is Q·diag(9, 1, 0.04)·Qᵀ exactly) and Q a rotation by 30° in the (0, 1) plane.
 */
function knownData(): { h: Tensor; q: number[][] } {
  const n = 8, c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
  const q = [[c, -s, 0], [s, c, 0], [0, 0, 1]]; // columns are the axes
  // Z: centred, orthogonal columns with squared norm n − 1 (±1 Walsh patterns scaled).
  const walsh = [[1, 1, 1, 1, -1, -1, -1, -1], [1, 1, -1, -1, 1, 1, -1, -1], [1, -1, 1, -1, 1, -1, 1, -1]];
  const sc = [3, 1, 0.2], mu = [5, -2, 1], scale = Math.sqrt((n - 1) / n);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < 3; j++) {
    let v = mu[j]!;
    for (let a = 0; a < 3; a++) v += walsh[a]![i]! * scale * sc[a]! * q[j]![a]!;
    rows.push(v);
  }
  return { h: new Tensor(Float64Array.from(rows), [n, 3]), q };
}

test('PCA recovers a known decomposition: variances 9, 1, 0.04 and the rotated axes (up to sign)', () => {
  const { h, q } = knownData();
  const p = analysis.pca(h);
  [9, 1, 0.04].forEach((v, i) => assert.ok(Math.abs(p.variances[i]! - v) < 1e-9, `variance ${i}: ${p.variances[i]}`));
  for (let a = 0; a < 3; a++) {
    const dot = p.components[a]!.reduce((s, v, j) => s + v * q[j]![a]!, 0);
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `axis ${a}: |⟨v, q⟩| = ${Math.abs(dot)}`);
  }
  const { points, explained } = project2d(h);
  assert.ok(Math.abs(explained[0] - 9 / 10.04) < 1e-9 && Math.abs(explained[1] - 1 / 10.04) < 1e-9);
  // The projection of row i is ±(3·walsh0[i], 1·walsh1[i])·√((n−1)/n).
  const scale = Math.sqrt(7 / 8);
  assert.ok(Math.abs(Math.abs(points[0]!) - 3 * scale) < 1e-9 && Math.abs(Math.abs(points[1]!) - scale) < 1e-9);
});

test('project2d of a 1-wide layer puts every point on y = 0', () => {
  const r = project2d(new Tensor(Float64Array.of(1, 2, 4), [3, 1]));
  assert.deepEqual([...r.explained], [1, 0]);
  assert.deepEqual([1, 3, 5].map((i) => r.points[i]), [0, 0, 0]);
  assert.throws(() => project2d(new Tensor(Float64Array.of(1, 2), [1, 2])), /must be \[N ≥ 2, F\], got \[1, 2\]/);
});

test('hiddenRepresentations lists the activation layers of an MLP with their widths', () => {
  const net = nn.mlp({ sizes: [2, 6, 4, 1], activation: 'tanh', seed: 2 });
  const x = randn([30, 2], { rng: new Rng(1) });
  const layers = hiddenRepresentations(net, x);
  assert.deepEqual(layers.map((l) => l.values.shape), [[30, 6], [30, 4]]);
  assert.match(layers[0]!.name, /^1:Tanh/);
  assert.match(layers[1]!.name, /^3:Tanh/);
  const { points } = project2d(layers[0]!.values);
  assert.equal(points.length, 60);
});
