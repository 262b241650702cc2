// Samplers: random and TPE reproducible per seed, TPE concentrating on the optimum of synthetic
// objectives much faster than random search (a statistical test over several seeds that can fail).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tune, parseSpace, gridOf, gridSampler, randomSampler, tpeSampler, defaultWeights, defaultGamma } from '../../src/tune/index.js';
import { categoricalEstimator, logDensity, numericEstimator } from '../../src/tune/samplers/parzen.js';

const quad1 = { x: { type: 'float', low: -10, high: 10 } };
const quad2 = { x: { type: 'float', low: -10, high: 10 }, y: { type: 'float', low: -10, high: 10 } };
const f2 = (p: Readonly<Record<string, unknown>>): number => ((p.x as number) - 2) ** 2 + ((p.y as number) + 3) ** 2;

async function study(space: unknown, name: 'tpe' | 'random', seed: number, trials: number, f: (p: Readonly<Record<string, unknown>>) => number) {
  return tune({ space, trials, sampler: { name, seed }, objective: (t) => f(t.params) });
}

test('TPE concentrates on the optimum of a 2-D quadratic much faster than random search (5 seeds)', async () => {
  const share = async (name: 'tpe' | 'random'): Promise<number> => {
    let near = 0;
    for (let seed = 0; seed < 5; seed++) near += (await study(quad2, name, seed, 60, f2)).trials.slice(30).filter((t) => t.value! < 4).length;
    return near / (5 * 30);
  };
  const [tpe, rnd] = [await share('tpe'), await share('random')];
  // Random search puts ~3% of its samples within radius 2 of the optimum (area 4π of 400); TPE's model should put several times more.
  assert.ok(tpe > 0.15, `TPE put only ${tpe} of its late trials near the optimum`);
  assert.ok(tpe > 4 * rnd, `TPE ${tpe} vs random ${rnd}`);
});

test('TPE finds a better 1-D optimum than random search on average over 5 seeds', async () => {
  const mean = async (name: 'tpe' | 'random'): Promise<number> => {
    let s = 0;
    for (let seed = 0; seed < 5; seed++) s += (await study(quad1, name, seed, 30, (p) => Math.abs((p.x as number) - 3.3))).best!.value!;
    return s / 5;
  };
  const [tpe, rnd] = [await mean('tpe'), await mean('random')];
  assert.ok(tpe < rnd, `mean best |x - 3.3|: TPE ${tpe}, random ${rnd}`);
});

test('random and TPE samplers are deterministic per seed and differ across seeds', async () => {
  for (const name of ['tpe', 'random'] as const) {
    const a = (await study(quad2, name, 7, 20, f2)).trials.map((t) => t.params);
    const b = (await study(quad2, name, 7, 20, f2)).trials.map((t) => t.params);
    const c = (await study(quad2, name, 8, 20, f2)).trials.map((t) => t.params);
    assert.deepEqual(a, b, name);
    assert.notDeepEqual(a, c, name);
  }
});

test('samplers respect log ranges, steps, integer ranges and conditions', () => {
  const space = parseSpace({
    'train.lr': { type: 'float', low: 1e-4, high: 1, log: true },
    'train.optimizer': { type: 'categorical', choices: ['adam', 'sgd'] },
    'train.weightDecay': { type: 'float', low: 0, high: 0.1, step: 0.01, when: { 'train.optimizer': ['sgd'] } },
    'model.hidden': { type: 'layers', count: { low: 1, high: 3 }, width: { type: 'int', low: 8, high: 128, log: true } },
  });
  const trials: import('../../src/tune/index.js').TrialRecord[] = [];
  for (const sampler of [randomSampler({ seed: 1 }), tpeSampler({ seed: 1, nStartupTrials: 5 })]) {
    for (let n = 0; n < 40; n++) {
      const p = sampler.sample({ space, trials, direction: 'minimize', number: n });
      assert.ok((p['train.lr'] as number) >= 1e-4 && (p['train.lr'] as number) <= 1);
      assert.equal('train.weightDecay' in p, p['train.optimizer'] === 'sgd');
      if (p['train.optimizer'] === 'sgd') assert.ok(Number.isInteger(Math.round((p['train.weightDecay'] as number) * 100)) && Math.abs((p['train.weightDecay'] as number) * 100 - Math.round((p['train.weightDecay'] as number) * 100)) < 1e-9);
      const n2 = p['model.hidden.length'] as number;
      for (let i = 0; i < 3; i++) assert.equal(`model.hidden[${i}]` in p, i < n2);
      for (let i = 0; i < n2; i++) assert.ok(Number.isInteger(p[`model.hidden[${i}]`]) && (p[`model.hidden[${i}]`] as number) >= 8 && (p[`model.hidden[${i}]`] as number) <= 128);
      trials.push({ number: n, state: 'complete', params: p, value: Math.log(p['train.lr'] as number) ** 2, intermediate: [], retryOf: null, worker: null, startedAt: null, finishedAt: null, heartbeatAt: null, error: null, runDir: null, attrs: {} });
    }
    trials.length = 0;
  }
});

test('TPE learns a categorical preference and conditional parameters only from trials where they are active', async () => {
  const space = { opt: { type: 'categorical', choices: ['a', 'b', 'c', 'd'] }, m: { type: 'float', low: 0, high: 1, when: { opt: ['b'] } } };
  const s = await tune({ space, trials: 50, sampler: { name: 'tpe', seed: 3 }, objective: (t) => (t.params.opt === 'b' ? Math.abs((t.params.m as number) - 0.8) : 1 + (t.params.opt === 'a' ? 0 : 1)) });
  const late = s.trials.slice(25);
  assert.ok(late.filter((t) => t.params.opt === 'b').length >= 15, `late trials chose b ${late.filter((t) => t.params.opt === 'b').length}/25 times`);
  assert.ok(s.best!.value! < 0.1, `best ${s.best!.value}`);
});

test('grid sampler enumerates every combination once (conditions included) and caps the study there', async () => {
  const space = { a: { type: 'categorical', choices: ['x', 'y'] }, b: { type: 'int', low: 1, high: 3, when: { a: ['y'] } } };
  assert.equal(gridOf(parseSpace(space)).length, 4);
  const s = await tune({ space, trials: 10, sampler: { name: 'grid', seed: 0 }, objective: () => 0 });
  assert.equal(s.trials.length, 4);
  assert.deepEqual(new Set(s.trials.map((t) => JSON.stringify(t.params))).size, 4);
  assert.throws(() => gridSampler().sample({ space: parseSpace({ f: { type: 'float', low: 0, high: 1 } }), trials: [], direction: 'minimize', number: 0 }), /f: grid search needs a finite set of values/);
});

test("Parzen estimators: Optuna's weights and gamma, densities that integrate to 1, smoothed categorical counts", () => {
  assert.deepEqual(defaultWeights(3), [1, 1, 1]);
  const w = defaultWeights(30);
  assert.equal(w.length, 30);
  // The oldest 5 ramp linearly from 1/30 to 1 (numpy.linspace(1/n, 1, n - 25)), the newest 25 weigh 1.
  assert.ok(Math.abs(w[0]! - 1 / 30) < 1e-12 && Math.abs(w[2]! - (1 / 30 + 1) / 2) < 1e-12 && Math.abs(w[4]! - 1) < 1e-12 && w[29] === 1);
  assert.equal(defaultGamma(9), 1);
  assert.equal(defaultGamma(1000), 25);
  const s = { priorWeight: 1, magicClip: true, considerEndpoints: false };
  const e = numericEstimator([0.2, 0.25, 0.9], [1, 1, 1], 0, 1, null, s);
  let integral = 0;
  for (let i = 0; i < 10000; i++) integral += Math.exp(logDensity(e, (i + 0.5) / 10000)) / 10000;
  assert.ok(Math.abs(integral - 1) < 1e-3, `integral ${integral}`);
  const d = numericEstimator([2, 3], [1, 1], 1, 5, 1, s);
  const mass = [1, 2, 3, 4, 5].reduce((a, x) => a + Math.exp(logDensity(d, x)), 0);
  assert.ok(Math.abs(mass - 1) < 1e-6, `mass ${mass}`);
  const c = categoricalEstimator([0, 0, 1], [1, 1, 1], 3, s);
  // Rows: three observations each (1/4 + [own]) / (3/4 + 1), and the uniform prior row; weights 1/4 each.
  const row = (own: boolean): number => (0.25 + (own ? 1 : 0)) / 1.75;
  assert.ok(Math.abs(c.probs[0]! - 0.25 * (2 * row(true) + row(false) + 1 / 3)) < 1e-12);
  assert.ok(Math.abs(c.probs.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

test('tune() takes your own Sampler and Pruner objects (stored by name as custom)', async () => {
  const fixed = { name: 'fixed', sample: () => ({ x: 0.25 }) };
  const never = { name: 'never', shouldPrune: () => false };
  const s = await tune({ space: quad1, trials: 3, sampler: fixed, pruner: never, objective: (t) => t.params.x as number });
  assert.deepEqual(s.trials.map((t) => t.params.x), [0.25, 0.25, 0.25]);
});

test('grid sampler: a combination whose trial failed is tried again instead of repeating one that worked', async () => {
  const space = { a: { type: 'categorical', choices: ['x', 'y', 'z'] } };
  let failed = false;
  const s = await tune({ space, trials: 3, sampler: { name: 'grid', seed: 2 }, objective: (t) => { if (!failed) { failed = true; throw new Error('flaky'); } return t.params.a === 'x' ? 1 : 0; } });
  assert.equal(s.trials.length, 4);
  assert.ok(s.trials.slice(1).some((t) => t.params.a === s.trials[0]!.params.a), 'the failed combination comes back');
  assert.deepEqual(new Set(s.trials.filter((t) => t.state === 'complete').map((t) => t.params.a)), new Set(['x', 'y', 'z']));
});
