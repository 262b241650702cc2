// Universal approximation in the playground: the drawn curve, the bump network's sup error falling with N, a trained net.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRESETS, bumpApproximation, curveFunction, curveOf, gridFrom, paintStroke, trainSigmoidNet } from '../../playground/src/lecture/universal.js';

test('curveFunction interpolates the grid linearly and clamps x to [0, 1]', () => {
  const f = curveFunction(Float64Array.of(0, 1, 0));
  assert.equal(f(0.25), 0.5);
  assert.equal(f(0.5), 1);
  assert.equal(f(-3), 0);
  assert.equal(f(2), 0);
  assert.throws(() => curveFunction(Float64Array.of(1)), /at least 2 samples, got 1/);
});

test('paintStroke fills every sample between the stroke ends, in either direction', () => {
  const g = paintStroke(new Float64Array(11), 0.8, 1, 0.2, 0.4); // right to left
  assert.deepEqual([...g].map((v) => Number(v.toFixed(6))), [0, 0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 0, 0]);
  assert.throws(() => paintStroke(g, NaN, 0, 1, 1), /coordinates must be finite, got \(NaN, 0\)/);
});

test('the bump network sup error falls as N grows on a drawn curve', () => {
  const grid = gridFrom(PRESETS['lecture f']!, 101);
  paintStroke(grid, 0.3, 0.9, 0.45, 0.6); // a user stroke on top of the preset
  const f = curveFunction(grid);
  const errs = [5, 20, 80, 320].map((n) => bumpApproximation(f, n).supError);
  for (let i = 1; i < errs.length; i++) assert.ok(errs[i]! < errs[i - 1]!, `sup errors ${errs.join(', ')} must fall`);
  assert.ok(errs[3]! < errs[0]! / 3, `N = 320 vs 5: sup errors ${errs[3]} vs ${errs[0]}`);
  const smooth = PRESETS.sine!;
  assert.ok(bumpApproximation(smooth, 320).supError < 0.01);
});

test('a trained 1-20-1 sigmoid net approximates the sine preset (sup error measured, curve drawable)', async () => {
  const f = PRESETS.sine!;
  const losses: number[] = [];
  const { model, supError } = await trainSigmoidNet(f, 20, { epochs: 400, onEpoch: (_e, l) => losses.push(l) });
  assert.equal(losses.length, 400);
  assert.ok(losses.at(-1)! < losses[0]! / 100, `MSE ${losses[0]} → ${losses.at(-1)}`);
  assert.ok(supError < 0.1, `sup error ${supError}`);
  assert.equal(curveOf(model, 51).length, 51);
});
