// Gradient-flow experiments: a 6-layer sigmoid net vanishes, ReLU + He and batch norm do not; clipping tames an exploding init.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { circleData, standardized, targets } from '../../playground/src/lecture/data.js';
import { firstOverLast, flowModel, startFlow, type FlowConfig, type FlowStep } from '../../playground/src/lecture/gradflow.js';

const data = circleData(200, 3);
const x = standardized(data), y = targets(data);

function run(cfg: FlowConfig, steps: number): FlowStep[] {
  const r = startFlow({ lr: 0.05, ...cfg }, x, y);
  return Array.from({ length: steps }, () => r.step());
}

test('standardized scales each column to mean 0 and std 1', () => {
  const col = [...x.data].filter((_, i) => i % 2 === 0);
  const mean = col.reduce((s, v) => s + v, 0) / col.length;
  const sd = Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / col.length);
  assert.ok(Math.abs(mean) < 1e-6 && Math.abs(sd - 1) < 1e-5, `${mean} ${sd}`);
});

test('6-layer sigmoid: the first layer gets < 1e-4 of the last layer\'s gradient norm, and the loss stalls at Var(y)', () => {
  const steps = run({ preset: 'sigmoid' }, 60);
  assert.equal(steps[0]!.norms.length, 7);
  assert.match(steps[0]!.layers[0]!, /^Linear\(2→8\) 0$/);
  assert.ok(firstOverLast(steps[0]!) < 1e-4, `ratio ${firstOverLast(steps[0]!)}`);
  // It learns no more than the constant mean: MSE stays at Var(y) = 1 for balanced ±1 labels.
  assert.ok(steps.at(-1)!.loss > 0.95, `loss ${steps[0]!.loss} → ${steps.at(-1)!.loss}`);
});

for (const preset of ['relu-he', 'sigmoid-bn'] as const) {
  test(`6-layer ${preset}: every step's first/last ratio stays above 1e-2 and the loss falls`, () => {
    const steps = run({ preset }, 200);
    for (const s of steps) assert.ok(firstOverLast(s) > 1e-2, `step ${s.step}: ratio ${firstOverLast(s)}`);
    assert.ok(steps.at(-1)!.loss < 0.5 * steps[0]!.loss, `loss ${steps[0]!.loss} → ${steps.at(-1)!.loss}`);
  });
}

test('exploding init (gain 2.5): without clipping the loss goes non-finite, with clipByGlobalNorm(1) it falls', () => {
  const wild = run({ preset: 'relu-he', initGain: 2.5 }, 10);
  assert.ok(wild[0]!.globalNorm > 1e3, `‖g‖ ${wild[0]!.globalNorm}`);
  assert.ok(wild.some((s) => !Number.isFinite(s.loss)), wild.map((s) => s.loss).join(', '));
  const tamed = run({ preset: 'relu-he', initGain: 2.5, clipNorm: 1 }, 50);
  assert.ok(tamed.every((s) => Number.isFinite(s.loss) && s.appliedNorm <= 1));
  assert.ok(tamed.at(-1)!.loss < tamed[0]!.loss / 10, `loss ${tamed[0]!.loss} → ${tamed.at(-1)!.loss}`);
});

test('flowModel puts batch norm after each hidden Linear for sigmoid-bn', () => {
  const names = flowModel({ preset: 'sigmoid-bn', depth: 2 }, 2).layers.map((m) => m.constructor.name);
  assert.deepEqual(names, ['Linear', 'BatchNorm1d', 'Sigmoid', 'Linear', 'BatchNorm1d', 'Sigmoid', 'Linear']);
});

test('standardized and targets refuse arrays that do not match n and inputDim', () => {
  assert.throws(() => standardized({ x: new Float32Array(5), y: new Float32Array(2), n: 2, inputDim: 2 }), /^RangeError: standardized: x has 5 values, expected n·inputDim = 2·2$/);
  assert.throws(() => targets({ x: new Float32Array(4), y: new Float32Array(3), n: 2, inputDim: 2 }), /^RangeError: targets: y has 3 values for n = 2 examples$/);
});
