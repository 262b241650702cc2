// Pruners: median (startup trials, warmup steps) and ASHA (rungs, asynchronous promotion), Hyperband brackets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { medianPruner, ashaPruner, rungSteps, hyperbandPruner, prunerFrom, tune, TrialPruned, type TrialRecord } from '../../src/tune/index.js';

function rec(number: number, state: TrialRecord['state'], values: number[]): TrialRecord {
  return { number, state, params: {}, value: state === 'complete' ? values.at(-1)! : null, intermediate: values.map((value, i) => ({ step: i + 1, value })), retryOf: null, worker: null, startedAt: null, finishedAt: null, heartbeatAt: null, error: null, runDir: null, attrs: {} };
}

test('median pruner: prunes below the median of completed trials at the same step, after startup and warmup', () => {
  const done = [rec(0, 'complete', [0.5, 0.6, 0.7]), rec(1, 'complete', [0.6, 0.7, 0.8]), rec(2, 'complete', [0.7, 0.8, 0.9])];
  const p = medianPruner({ nStartupTrials: 3, nWarmupSteps: 2 });
  assert.equal(p.shouldPrune(rec(3, 'running', [0.1]), [...done], 'maximize'), false, 'warmup');
  assert.equal(p.shouldPrune(rec(3, 'running', [0.1, 0.65]), [...done], 'maximize'), true, 'median at step 2 is 0.7');
  assert.equal(p.shouldPrune(rec(3, 'running', [0.1, 0.75]), [...done], 'maximize'), false);
  assert.equal(p.shouldPrune(rec(3, 'running', [0.1, 0.65]), done.slice(0, 2), 'maximize'), false, 'startup: 2 < 3 complete');
  assert.equal(p.shouldPrune(rec(3, 'running', [9, 0.75]), [...done], 'minimize'), true, 'minimize: best 0.75 > median 0.7');
});

test('ASHA: rungs at minResource·η^k; the first at a rung goes on, later ones only in the top 1/η', () => {
  assert.deepEqual(rungSteps({ minResource: 1, reductionFactor: 3 }, 30), [1, 3, 9, 27]);
  assert.deepEqual(rungSteps({ minResource: 2, reductionFactor: 2, minEarlyStoppingRate: 1 }, 20), [4, 8, 16]);
  const p = ashaPruner({ minResource: 1, reductionFactor: 3 });
  assert.equal(p.shouldPrune(rec(0, 'running', [0.5]), [], 'maximize'), false, 'alone at the rung: promoted');
  const others = [rec(0, 'complete', [0.9, 0.9, 0.9]), rec(1, 'pruned', [0.2]), rec(2, 'pruned', [0.3])];
  assert.equal(p.shouldPrune(rec(3, 'running', [0.5]), others, 'maximize'), true, '4 at rung 1: only the best (0.9) goes on');
  assert.equal(p.shouldPrune(rec(3, 'running', [0.95]), others, 'maximize'), false);
  assert.equal(p.shouldPrune(rec(3, 'running', [0.5, 0.5]), others, 'maximize'), false, 'step 2 is no rung');
  assert.equal(p.shouldPrune(rec(3, 'running', [0.1]), others, 'minimize'), false, 'minimize: 0.1 is best');
});

test('Hyperband spreads trials over brackets that each run ASHA with their own early-stopping rate', () => {
  const p = hyperbandPruner({ minResource: 1, reductionFactor: 3, maxResource: 9 });
  // 3 brackets: trial 3 is in bracket 0 (rungs 1, 3, 9) and competes with trial 0 only; trial 4 in bracket 1 (rungs 3, 9).
  const others = [rec(0, 'complete', [0.9]), rec(1, 'complete', [0.1]), rec(2, 'complete', [0.1])];
  assert.equal(p.shouldPrune(rec(3, 'running', [0.5]), others, 'maximize'), true, 'below trial 0 at rung 1');
  assert.equal(p.shouldPrune(rec(3, 'running', [0.95]), others, 'maximize'), false);
  assert.equal(p.shouldPrune(rec(4, 'running', [0.0]), others, 'maximize'), false, 'step 1 is no rung of bracket 1');
  assert.equal(p.shouldPrune(rec(4, 'running', [0.0, 0.0, 0.05]), others, 'maximize'), false, 'alone at rung 3 of its bracket (trial 1 never got there): promoted');
});

test('pruner settings are checked, naming the field', () => {
  assert.throws(() => prunerFrom({ name: 'mediam' } as never), /pruner\.name: expected one of median, asha, hyperband, none, got "mediam"/);
  assert.throws(() => prunerFrom({ name: 'asha', reductionFactor: 1 }), /pruner\.reductionFactor: expected an integer >= 2, got 1/);
  assert.throws(() => prunerFrom({ name: 'median', warmup: 1 } as never), /pruner\.warmup: unknown median pruner setting; allowed: nStartupTrials, nWarmupSteps, nMinTrials/);
});

test('tune() with ASHA prunes bad trials early and spends fewer steps than running every trial to the end', async () => {
  const epochs = 9;
  const s = await tune({
    space: { q: { type: 'float', low: 0, high: 1 } }, trials: 30, direction: 'maximize', sampler: { name: 'random', seed: 1 }, pruner: { name: 'asha', minResource: 1, reductionFactor: 3 },
    objective: async (t) => {
      let v = 0;
      for (let e = 1; e <= epochs; e++) { v = (t.params.q as number) * (1 - 1 / (e + 1)); await t.report(e, v); if (t.shouldPrune()) throw new TrialPruned(); }
      return v;
    },
  });
  assert.ok(s.counts.pruned >= 15, `pruned ${s.counts.pruned}`);
  assert.ok(s.steps < 0.5 * 30 * epochs, `steps ${s.steps}`);
  assert.ok(s.best!.params.q as number > 0.85, `best q ${s.best!.params.q}`);
});
