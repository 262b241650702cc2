// Head outputs for the host's surface and the label conventions the lecture panels accept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from 'neurite';
import { planeSplit } from '../../playground/src/lecture/data.js';
import { signedLabels } from '../../playground/src/lecture/outputs.js';
import { headOutputs, makeHead } from '../../playground/src/model.js';
import { defaultState } from '../../playground/src/state.js';
import type { PlaygroundState } from '../../playground/src/host.js';

/** The shell's head outputs for the default state with `patch` applied (what the symmetry panel draws). */
function surfaceOutputs(patch: Partial<PlaygroundState>, raw: Tensor): Float32Array {
  const s = { ...defaultState(), ...patch };
  return headOutputs(s, makeHead(s), raw);
}
import { taskHyperTrainer } from '../../playground/src/lecture/hyper-task.js';

const close = (a: ArrayLike<number>, b: number[]): void => b.forEach((v, i) => assert.ok(Math.abs(a[i]! - v) < 1e-6, `${a[i]} vs ${v} at ${i}`));

test('head outputs for the surface: σ for binary, softmax(z/τ) per row for multiclass, the regression head\'s activation', () => {
  const raw = new Tensor(Float32Array.of(0, Math.log(3)), [2, 1]);
  close(surfaceOutputs({ problem: 'binary' }, raw), [0.5, 0.75]);
  const two = new Tensor(Float32Array.of(Math.log(3), 0, 0, 0), [2, 2]);
  close(surfaceOutputs({ problem: 'multiclass', classes: 3 }, two), [0.75, 0.25, 0.5, 0.5]);
  close(surfaceOutputs({ problem: 'multiclass', classes: 3, temperature: 2 }, two), [Math.sqrt(3) / (Math.sqrt(3) + 1), 1 / (Math.sqrt(3) + 1), 0.5, 0.5]);
  const r = new Tensor(Float32Array.of(-1, 0), [2, 1]);
  close(surfaceOutputs({ problem: 'regression', regressionActivation: 'relu' }, r), [0, 0]);
  close(surfaceOutputs({ problem: 'regression', regressionActivation: 'tanh', rangeA: 0, rangeB: 10 }, r), [5 * (Math.tanh(-1) + 1), 5]);
  close(surfaceOutputs({ problem: 'regression' }, r), [-1, 0]);
});

test('signedLabels maps 0/1 to ±1, keeps ±1, and refuses several classes or values', () => {
  assert.deepEqual([...signedLabels(Float32Array.of(0, 1, 1))!], [-1, 1, 1]);
  assert.deepEqual([...signedLabels(Float32Array.of(-1, 1))!], [-1, 1]);
  assert.equal(signedLabels(Float32Array.of(0, 1, 2)), null);
  assert.equal(signedLabels(Float32Array.of(0.3, 1)), null);
});

test('planeSplit uses the shell raw points when the features are not 2-D; null for three classes', () => {
  const points = Float32Array.of(1, 2, 3, 4);
  const s = planeSplit({ x: new Float32Array(10), y: Float32Array.of(0, 1), n: 2, inputDim: 5, points })!;
  assert.equal(s.x, points);
  assert.deepEqual([...s.y], [-1, 1]);
  assert.equal(planeSplit({ x: new Float32Array(10), y: Float32Array.of(0, 1), n: 2, inputDim: 5 }), null);
  assert.equal(planeSplit({ x: new Float32Array(4), y: Float32Array.of(0, 2), n: 2, inputDim: 2 }), null);
});

test('taskHyperTrainer refuses labels that are not ±1, naming one', () => {
  assert.throws(() => taskHyperTrainer({ x: new Float32Array(4), y: Float32Array.of(0, 1), n: 2, inputDim: 2 }, 3), /^RangeError: taskHyperTrainer: labels must be ±1 \(two classes; planeSplit maps 0\/1\), got 0$/);
});
