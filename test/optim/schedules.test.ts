// Learning-rate schedules (closed forms, warm-up, validation) and ReduceLROnPlateau's PyTorch behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../helpers/fixtures.js';
import * as optim from '../../src/optim/index.js';

test('constant, stepLR (default γ = 0.1), exponentialLR and cosineAnnealing closed forms', () => {
  assert.deepEqual([0, 5, 100].map(optim.constant(0.3)), [0.3, 0.3, 0.3]);
  assertClose([0, 9, 10, 25].map(optim.stepLR(1, 10)), [1, 1, 0.1, 0.01], 'stepLR', 0, 1e-15);
  assertClose([0, 1, 3].map(optim.exponentialLR(2, 0.5)), [2, 1, 0.25], 'exponentialLR', 0, 0);
  const cos = optim.cosineAnnealing(1, 4);
  assertClose([0, 2, 4, 6, 8].map(cos), [1, 0.5, 0, 0.5, 1], 'cosine (periodic past tMax)', 1e-15, 0);
});

test('linearWarmup ramps from startFactor·η to η, then runs the next schedule from its own t = 0', () => {
  const s = optim.linearWarmup(4, optim.exponentialLR(0.1, 0.5), 0.2);
  assertClose([0, 1, 2, 3, 4, 5, 6].map(s), [0.02, 0.04, 0.06, 0.08, 0.1, 0.05, 0.025], 'warm-up then decay', 1e-16, 1e-14);
  assertClose([0, 3].map(optim.linearWarmup(3, 0.3)), [0.1, 0.3], 'default startFactor 1/3 to a constant', 1e-16, 1e-14);
  assert.throws(() => optim.linearWarmup(0, 0.1), /linearWarmup: warmupSteps must be an integer >= 1, got 0/);
  assert.throws(() => optim.linearWarmup(3, 0.1, 0), /linearWarmup: startFactor must be in \(0, 1\], got 0/);
});

test('schedules validate their arguments and steps', () => {
  assert.throws(() => optim.stepLR(0.1, 0), /stepLR: stepSize must be an integer >= 1, got 0/);
  assert.throws(() => optim.cosineAnnealing(0.1, 10, -1), /cosineAnnealing: etaMin must be a non-negative finite number, got -1/);
  assert.throws(() => optim.exponentialLR(-0.1, 0.9), /exponentialLR: lr0 must be a positive finite number, got -0.1/);
  assert.throws(() => optim.stepLR(0.1, 3)(-1), /stepLR: step must be a finite number >= 0, got -1/);
});

/** Feeds `metrics` one per epoch; returns the lr after each. */
function plateauRun(metrics: number[], opts: optim.PlateauOptions, lr = 1): number[] {
  const target = { lr };
  const p = new optim.ReduceLROnPlateau(target, opts);
  return metrics.map((m) => p.step(m));
}

test('ReduceLROnPlateau cuts after more than `patience` bad epochs, as PyTorch', () => {
  assert.deepEqual(plateauRun([1, 1, 1, 1, 1, 1, 1], { patience: 2, factor: 0.5 }), [1, 1, 1, 0.5, 0.5, 0.5, 0.25]);
  // An improvement resets the count; a change below the relative threshold (1e-4) does not.
  assert.deepEqual(plateauRun([1, 0.99995, 0.9, 0.9, 0.9], { patience: 0, factor: 0.5 }), [1, 0.5, 0.5, 0.25, 0.125]);
  assert.deepEqual(plateauRun([1, 0.99995], { patience: 0, factor: 0.5, threshold: 0 }), [1, 1], 'any decrease counts with threshold 0');
  assert.deepEqual(plateauRun([1, 0.5, 0.25, 0.1], { patience: 0 }), [1, 1, 1, 1]);
});

test('ReduceLROnPlateau cooldown, minLr, eps and max mode with an absolute threshold', () => {
  assert.deepEqual(plateauRun([1, 1, 1, 1, 1, 1], { patience: 0, factor: 0.5, cooldown: 1 }), [1, 0.5, 0.5, 0.25, 0.25, 0.125]);
  assert.deepEqual(plateauRun([1, 1, 1, 1], { patience: 0, factor: 0.1, minLr: 0.05 }), [1, 0.1, 0.05, 0.05]);
  assert.deepEqual(plateauRun([1, 1], { patience: 0, factor: 0.5, eps: 1 }), [1, 1], 'cuts smaller than eps are skipped');
  // max mode, abs threshold 0.1: 0.85 → 0.9 is not enough, 1.0 is.
  assert.deepEqual(plateauRun([0.8, 0.85, 1.0, 0.95], { mode: 'max', thresholdMode: 'abs', threshold: 0.1, patience: 0, factor: 0.5 }), [1, 0.5, 0.5, 0.25]);
  assert.throws(() => new optim.ReduceLROnPlateau({ lr: 1 }, { factor: 1 }), /ReduceLROnPlateau: factor must be in \(0, 1\), got 1/);
  assert.throws(() => new optim.ReduceLROnPlateau({ lr: 1 }, { mode: 'up' as never }), /mode must be 'min' or 'max', got "up"/);
});

test('ReduceLROnPlateau drives an Optimizer and its state round-trips', () => {
  const opt = { lr: 0.1 };
  const p = new optim.ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 });
  [3, 2, 2].forEach((m) => p.step(m));
  const saved = p.stateDict();
  assert.deepEqual(saved, { best: 2, numBadEpochs: 1, cooldownCounter: 0, lastEpoch: 3 });
  const q = new optim.ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 });
  q.loadStateDict(saved);
  assert.equal(q.step(2), 0.05, 'the restored count continues: second bad epoch cuts');
  const fresh = new optim.ReduceLROnPlateau({ lr: 1 }, { patience: 0 });
  fresh.loadStateDict(JSON.parse(JSON.stringify(fresh.stateDict())));
  assert.equal(fresh.best, Infinity, 'JSON null best restores as +Infinity in min mode');
  assert.throws(() => fresh.loadStateDict({ ...saved, numBadEpochs: -1 }), /numBadEpochs must be an integer >= 0, got -1/);
});
