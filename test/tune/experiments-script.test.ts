// Smoke test of scripts/tune-experiments.ts on a tiny budget (iris, --quick, trials scored by 2-fold
// CV): the experiments train exactly as `neurite train` does (a data.cv fold too), random search and
// TPE share their start-up trials, ASHA sees the same configurations as random search and trains
// fewer epochs, and bad arguments are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '../../src/node/cli/backend-choice.js';
import { resolveConfig } from '../../src/node/cli/config.js';
import { runTrain } from '../../src/node/cli/run.js';
import { runConfig, trainRun } from '../../scripts/tune-experiments/trainer.js';
import { parseArgs, runExperiments } from '../../scripts/tune-experiments/run.js';
import type { AshaResult, SamplerResult, TunedResult } from '../../scripts/tune-experiments/experiments.js';
import { shortfall } from '../../scripts/tune-experiments/experiments.js';
import { bestCurve } from '../../scripts/tune-experiments/studies.js';
import type { TrialRecord } from '../../src/tune/index.js';

const quiet = { out: () => {}, err: () => {}, isTTY: false };

test('the experiments\' trainRun gives runTrain\'s metrics when the split seed is the training seed', async () => {
  await selectBackend(null);
  const dir = mkdtempSync(join(tmpdir(), 'neurite-exp-test-'));
  try {
    const set = { data: { dataset: 'iris' }, model: { hidden: [8] }, train: { epochs: 4, seed: 3 } };
    const cli = await runTrain(resolveConfig(null, { ...set, out: join(dir, 'run') }), quiet);
    const mine = await trainRun(runConfig({ data: { dataset: 'iris' }, model: { hidden: [8] }, train: { epochs: 4 } }, {}, 3), 3, { withTest: true });
    assert.deepEqual(mine.validation, cli.metrics.validation);
    assert.deepEqual(mine.test, cli.metrics.test);
    assert.equal(mine.epochs, 4);
    const other = await trainRun(runConfig({ data: { dataset: 'iris' }, model: { hidden: [8] }, train: { epochs: 4 } }, {}, 3), 0);
    assert.equal(other.test, null, 'the test split is scored only when asked for');
    assert.notDeepEqual(other.validation, mine.validation, 'another split seed gives another split');
    const fold = { ...set, data: { dataset: 'iris', cv: { folds: 3, fold: 1 } } };
    const cliFold = await runTrain(resolveConfig(null, { ...fold, out: join(dir, 'fold') }), quiet);
    const mineFold = await trainRun(runConfig({ data: { dataset: 'iris' }, model: { hidden: [8] }, train: { epochs: 4 } }, { 'data.cv': { folds: 3, fold: 1 } }, 3), 3, { withTest: true });
    assert.deepEqual(mineFold.validation, cliFold.metrics.validation, 'a fold of data.cv trains as neurite train does');
    assert.deepEqual(mineFold.test, cliFold.metrics.test);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tune-experiments --quick on iris: tuned vs defaults, TPE vs random, ASHA vs random', async () => {
  await selectBackend(null);
  const report = await runExperiments(parseArgs(['--quick', '--only', 'iris', '--eval-seeds', '1', '--experiments', 'tuned,samplers,asha']), () => {});
  const r = report.results.iris as { tuned: TunedResult; samplers: SamplerResult; asha: AshaResult };
  assert.match(report.markdown[0]!, /^#### iris: tuned vs the CLI defaults/);
  assert.equal(report.markdown.length, 3);
  assert.deepEqual(r.tuned.evalSeeds, [1]);
  assert.deepEqual(r.tuned.defaults.chosen, { epochs: 215, batchSize: 16, lr: 0.001 });
  assert.ok(r.tuned.trialValue.tuned <= Math.min(...r.samplers.tpe[0]!), 'the tuned config is the seed-0 TPE study\'s best');
  assert.equal(r.tuned.cv, 2, 'the quick budget scores each trial by 2-fold CV');
  assert.equal(r.tuned.foldValues.tuned.length, 2);
  assert.ok(Math.abs(r.tuned.trialValue.tuned - (r.tuned.foldValues.tuned[0]! + r.tuned.foldValues.tuned[1]!) / 2) < 1e-12, 'a trial\'s value is the mean over its folds');
  assert.equal(r.tuned.trialValue.tuned, r.samplers.tpe[0]!.at(-1), 'the samplers\' seed-0 TPE study is the tuned study itself');
  for (const curve of [...r.samplers.tpe, ...r.samplers.random]) {
    assert.equal(curve.length, 4);
    curve.slice(1).forEach((v, i) => assert.ok(v <= curve[i]!, 'best-so-far loss never rises'));
  }
  // 4 trials are all start-up trials of TPE (10), drawn from the same streams as random search's.
  assert.deepEqual(r.samplers.tpe, r.samplers.random);
  for (const row of r.asha.rows) {
    assert.equal(row.randomEpochs, 4 * 9, 'random search trains every trial to the fixed epochs');
    assert.ok(row.ashaEpochs < row.randomEpochs && row.pruned > 0);
    assert.ok(row.asha <= row.random, 'ASHA completes a subset of the same configurations');
  }
});

test('bestCurve skips failed trials and shortfall is relative to random search', () => {
  const t = (number: number, state: TrialRecord['state'], value: number | null) => ({ number, state, value }) as TrialRecord;
  assert.deepEqual(bestCurve([t(0, 'complete', 0.9), t(1, 'failed', null), t(2, 'pruned', 0.95), t(3, 'complete', 0.97)], 'maximize'), [0.9, 0.9, 0.97]);
  assert.ok(Math.abs(shortfall('maximize', 0.98, 0.97) - 0.01 / 0.98) < 1e-12);
  assert.equal(shortfall('maximize', 0.97, 0.98), 0);
  assert.ok(Math.abs(shortfall('minimize', 0.2, 0.21) - 0.05) < 1e-12);
});

test('tune-experiments refuses unknown arguments and tasks (exit 2, the usage named)', () => {
  assert.throws(() => parseArgs(['--only', 'mnist']), /--only: unknown task "mnist"; tasks: iris, wine, digits, fashion_mnist/);
  assert.throws(() => parseArgs(['--seeds', '0']), /--seeds 0: expected an integer >= 1/);
  assert.throws(() => parseArgs(['--experiments', 'pbt']), /unknown experiment "pbt"/);
  assert.throws(() => parseArgs(['--cv', '0']), /--cv 0: expected an integer >= 1/);
  assert.equal(parseArgs(['--cv', '1']).cv, 1, '--cv 1 scores the one fixed validation split');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tune-experiments.ts', '--bogus'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /tune-experiments: unknown argument "--bogus"; usage: npx tsx scripts\/tune-experiments.ts/);
});
