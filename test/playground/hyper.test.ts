// The hypernetwork panel's computations on real trained hypernets: the noise-mode band and the task slider.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Key, noGrad } from 'neurite';
import { circleData } from '../../playground/src/lecture/data.js';
import { bandWidths, cubicWithGap, noiseHyperTrainer, predictiveBand } from '../../playground/src/lecture/hyper-noise.js';
import { parameterCounts, paramsAt, surfaceAt, taskHyperTrainer, taskInputs, taskTransform } from '../../playground/src/lecture/hyper-task.js';

test('noise mode: after training, the ±std band is over 1.5× wider far from the data than near it', () => {
  const data = cubicWithGap(24, 7);
  const t = noiseHyperTrainer(data);
  const first = t.step();
  let last = first;
  for (let i = 1; i < 600; i++) last = t.step();
  assert.ok(last < first / 2, `loss ${first} → ${last}`);
  const band = predictiveBand(t.hypernet, -5, 5, 201, 50, Key.of(3));
  const w = bandWidths(band, data.x.data, 0.1, 1);
  assert.ok(w.far > 1.5 * w.near, `std far ${w.far} vs near ${w.near}`);
  assert.deepEqual(predictiveBand(t.hypernet, -5, 5, 201, 50, Key.of(3)).std, band.std, 'the same key gives the same band');
  t.hypernet.noise = false;
  assert.ok(predictiveBand(t.hypernet, -5, 5, 21, 10).std.every((s) => s === 0), 'noise off: every sample is the z = 0 net');
});

test('bandWidths refuses a grid with no point far from the data', () => {
  const band = { xs: Float64Array.of(0, 0.5), mean: new Float64Array(2), std: new Float64Array(2) };
  assert.throws(() => bandWidths(band, [0], 0.1, 1), /1 grid points within 0.1 of the data and 0 at ≥ 1; widen the grid/);
});

test('task mode: one hypernet fits three rotated/shifted copies of a dataset; the slider morphs the target', () => {
  const data = circleData(160, 1);
  const t = taskHyperTrainer(data, 3);
  for (let i = 0; i < 200; i++) t.step();
  for (let k = 0; k < 3; k++) {
    const out = noGrad(() => t.hypernet.target.apply(paramsAt(t.hypernet, k), taskInputs(data, k, 3))).data;
    let right = 0;
    for (let i = 0; i < data.n; i++) right += Math.sign(out[i]!) === data.y[i] ? 1 : 0;
    assert.ok(right / data.n > 0.9, `task ${k}: accuracy ${right / data.n}`);
  }
  const grid = Float32Array.of(0, 0, 3, 0, -3, 0, 0, 3);
  const at = (s: number): number[] => [...surfaceAt(t.hypernet, s)(grid, 4)];
  const a = at(0), mid = at(1), b = at(2);
  assert.ok(a.some((v, i) => Math.abs(v - b[i]!) > 0.3), 'task 0 and task 2 surfaces differ');
  assert.ok(mid.some((v, i) => Math.abs(v - a[i]!) > 1e-3), 'the slider moves the surface');
  assert.deepEqual(at(1), at(1.0), 'position 1 is task 1');
  assert.throws(() => paramsAt(t.hypernet, 2.5), /slider position 2.5 is outside \[0, 2\]/);
  assert.deepEqual(taskTransform(2, 3), { angle: Math.PI / 2, shift: [1.5, 0] });
  assert.throws(() => taskInputs({ x: new Float32Array(6), y: new Float32Array(2), n: 2, inputDim: 3 }, 0, 3), /taskInputs: the task mode needs 2-D inputs, the data has 3 columns/);
  const c = parameterCounts(t.hypernet);
  assert.equal(c.target, 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
  assert.equal(c.ratio, c.own / c.target);
});
