// Synthetic generators: shapes, determinism per seed, class balance and the defining formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/index.js';
import { makeCircles, makeXor, makeGaussians, makeSpiral, makeMoons, makeSine, makeCubic } from '../../src/data/index.js';
import type { SyntheticData } from '../../src/data/index.js';

const counts = (y: SyntheticData['y'], k: number): number[] => {
  const c = new Array<number>(k).fill(0);
  for (const v of y.data) c[v]!++;
  return c;
};
const row = (d: SyntheticData, i: number): number[] => Array.from(d.x.data.subarray(i * d.x.shape[1]!, (i + 1) * d.x.shape[1]!));

const classifiers: [string, (o: { n: number; seed?: number; rng?: Rng }) => SyntheticData, number][] = [
  ['circles', makeCircles, 2],
  ['xor', makeXor, 2],
  ['gaussians', (o) => makeGaussians({ ...o, k: 4 }), 4],
  ['spiral', (o) => makeSpiral({ ...o, k: 3 }), 3],
  ['moons', makeMoons, 2],
];

for (const [name, make, k] of classifiers) {
  test(`${name}: shape, balanced classes, same seed same data, other seed other data`, () => {
    const a = make({ n: 101, seed: 7 });
    assert.deepEqual(a.x.shape, [101, 2]);
    assert.deepEqual(a.y.shape, [101]);
    assert.equal(a.numClasses, k);
    const c = counts(a.y, k);
    assert.equal(c.reduce((s, v) => s + v, 0), 101);
    assert.ok(Math.max(...c) - Math.min(...c) <= 1, `balanced: ${c}`);
    assert.deepEqual(make({ n: 101, seed: 7 }).x.toFlat(), a.x.toFlat());
    assert.notDeepEqual(make({ n: 101, seed: 8 }).x.toFlat(), a.x.toFlat());
    assert.deepEqual(make({ n: 101, rng: new Rng(7) }).y.toFlat(), a.y.toFlat(), 'rng and seed give the same stream');
    const firstHalf = Array.from(a.y.data.subarray(0, 50));
    assert.ok(new Set(firstHalf).size > 1, 'rows are shuffled, not grouped by class');
  });
}

test('circles: without noise, class 0 lies on radius 1 and class 1 on radius factor', () => {
  const d = makeCircles({ n: 40, noise: 0, factor: 0.3, seed: 1 });
  for (let i = 0; i < 40; i++) {
    const [x, y] = row(d, i) as [number, number];
    assert.ok(Math.abs(Math.hypot(x, y) - (d.y.data[i] === 0 ? 1 : 0.3)) < 1e-6);
  }
});

test('xor: without noise, label is 1 exactly when the coordinates have opposite signs', () => {
  const d = makeXor({ n: 64, noise: 0, seed: 2 });
  for (let i = 0; i < 64; i++) {
    const [x, y] = row(d, i) as [number, number];
    assert.equal(d.y.data[i], x * y < 0 ? 1 : 0);
    assert.ok(Math.abs(x) <= 1 && Math.abs(y) <= 1 && x !== 0 && y !== 0);
  }
});

test('gaussians: class means near the returned centres; explicit centres and dims', () => {
  const d = makeGaussians({ n: 3000, k: 3, std: 0.5, seed: 3 });
  assert.deepEqual(d.centers.shape, [3, 2]);
  for (let j = 0; j < 3; j++) {
    let sx = 0, sy = 0, m = 0;
    for (let i = 0; i < 3000; i++) if (d.y.data[i] === j) { sx += d.x.data[2 * i]!; sy += d.x.data[2 * i + 1]!; m++; }
    assert.ok(Math.abs(sx / m - d.centers.data[2 * j]!) < 0.06 && Math.abs(sy / m - d.centers.data[2 * j + 1]!) < 0.06);
  }
  const e = makeGaussians({ n: 10, centers: [[0, 0, 0], [10, 10, 10]], std: 0, seed: 0 });
  assert.deepEqual(e.x.shape, [10, 3]);
  for (let i = 0; i < 10; i++) assert.deepEqual(row(e, i), new Array(3).fill(e.y.data[i] === 0 ? 0 : 10));
  assert.deepEqual(makeGaussians({ n: 6, k: 2, dim: 1, seed: 0 }).x.shape, [6, 1]);
  assert.throws(() => makeGaussians({ centers: [[0, 0], [1]] }), /centers\[1\] has 1 coordinates, expected 2/);
});

test('moons: without noise, points lie on the two half circles', () => {
  const d = makeMoons({ n: 50, noise: 0, seed: 4 });
  for (let i = 0; i < 50; i++) {
    const [x, y] = row(d, i) as [number, number];
    const r = d.y.data[i] === 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
    assert.ok(Math.abs(r - 1) < 1e-6);
    assert.ok(d.y.data[i] === 0 ? y >= -1e-6 : y <= 0.5 + 1e-6);
  }
});

test('spiral: radius stays within [0, 1)', () => {
  const d = makeSpiral({ n: 90, k: 3, seed: 5 });
  for (let i = 0; i < 90; i++) assert.ok(Math.hypot(...(row(d, i) as [number, number])) < 1);
  assert.throws(() => makeSpiral({ k: 1 }), /k \(arms\) must be an integer in 2\.\.n/);
});

test('sine: x in range, residuals have the noise standard deviation', () => {
  const d = makeSine({ n: 4000, noise: 0.2, seed: 6, dtype: 'float64' });
  assert.deepEqual(d.x.shape, [4000, 1]);
  assert.deepEqual(d.y.shape, [4000]);
  let ss = 0;
  for (let i = 0; i < 4000; i++) {
    const x = d.x.data[i]!;
    assert.ok(x >= -Math.PI && x <= Math.PI);
    ss += (d.y.data[i]! - Math.sin(x)) ** 2;
  }
  assert.ok(Math.abs(Math.sqrt(ss / 4000) - 0.2) < 0.01);
});

test('cubic: x in [-4, 4] avoiding the gap, y = x³ + N(0, 3²)', () => {
  const d = makeCubic({ n: 5000, gap: [-1, 2], seed: 7, dtype: 'float64' });
  let ss = 0, left = 0;
  for (let i = 0; i < 5000; i++) {
    const x = d.x.data[i]!;
    assert.ok(x >= -4 && x <= 4 && !(x > -1 && x < 2), `x = ${x} outside the allowed set`);
    if (x < -1) left++;
    ss += (d.y.data[i]! - x ** 3) ** 2;
  }
  assert.ok(Math.abs(Math.sqrt(ss / 5000) - 3) < 0.15);
  assert.ok(Math.abs(left / 5000 - 3 / 5) < 0.03, 'uniform on the remaining length (3 of 5 units left of the gap)');
  assert.deepEqual(makeCubic({ seed: 1 }).x.shape, [20, 1]);
  assert.throws(() => makeCubic({ gap: [-5, 0] }), /gap \[-5, 0\] must be an interval inside the range \[-4, 4\]/);
  assert.throws(() => makeCubic({ n: 0 }), /makeCubic: n must be a positive integer, got 0/);
  assert.throws(() => makeSine({ noise: -1 }), /noise must be a finite number ≥ 0/);
});
