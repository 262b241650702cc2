// neurite tune --cv K end to end (in-process): fold run folders inside each trial folder, the trial's
// value the mean of the folds' validation metrics (read back from the run folders), --show and the
// report with mean ± std, a fold reproduced by neurite train --config, and the refused combinations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'neurite-tune-cv-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const space = { 'train.lr': { type: 'float', low: 0.001, high: 0.1, log: true } };
function config(name: string, over: Record<string, unknown> = {}, tune: Record<string, unknown> = { space }): string {
  const path = join(root, `${name}.json`);
  writeFileSync(path, JSON.stringify({ data: { dataset: 'iris' }, model: { hidden: [8] }, train: { epochs: 3 }, ...over, tune }));
  return path;
}
const json = (path: string): Record<string, any> => JSON.parse(readFileSync(path, 'utf8'));

test('neurite tune --cv 3: each trial trains fold-0..2 run folders and its value is the mean of their validation metrics', async () => {
  const study = join(root, 'cv');
  const r = await runCli(['tune', '--config', config('cv', {}, { space, metric: 'loss' }), '--study', study, '--trials', '2', '--sampler', 'random', '--cv', '3']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /trial 0 complete: loss \d\.\d{4} ± \d\.\d{4} over 3 folds {2}\(3\+3\+3 epochs/);
  assert.match(r.out, /2 trials: 2 complete, 0 pruned, 0 failed, 0 running, 0 waiting; 18 epochs in all/);
  const journal = readFileSync(join(study, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const finished = journal.filter((op) => op.op === 'finish');
  assert.equal(finished.length, 2);
  for (const op of finished) {
    const dir = join(study, `trial-000${op.number}`);
    const folds = [0, 1, 2].map((k) => json(join(dir, `fold-${k}`, 'metrics.json')).validation.loss as number);
    assert.ok(Math.abs(op.result.value - folds.reduce((a, b) => a + b, 0) / 3) < 1e-12, 'the trial value is the mean over the folds');
    assert.deepEqual(op.result.attrs.folds, folds, 'the per-fold values are the run folders\' validation losses');
    assert.deepEqual(op.result.attrs.foldEpochs, [3, 3, 3]);
    for (let k = 0; k < 3; k++) {
      const cfg = json(join(dir, `fold-${k}`, 'config.json'));
      assert.deepEqual(cfg.data.cv, { folds: 3, fold: k });
    }
  }
  // One fold is a normal run folder: its config.json trains to the same metrics.
  const fold = join(study, 'trial-0001', 'fold-2');
  const t = await runCli(['train', '--config', join(fold, 'config.json'), '--out', join(root, 'fold-again'), '--json']);
  assert.equal(t.code, 0, t.err);
  assert.deepEqual(JSON.parse(t.out).metrics.validation, json(join(fold, 'metrics.json')).validation);
  assert.deepEqual(JSON.parse(t.out).metrics.test, json(join(fold, 'metrics.json')).test, 'the test split is the same rows in every fold');
  const shown = await runCli(['tune', '--show', study]);
  assert.equal(shown.code, 0, shown.err);
  assert.match(shown.out, /^trial {2}state +loss ± fold std {2}epochs/);
  assert.match(shown.out, /best: trial \d, loss \d\.\d{4} ± \d\.\d{4} \(mean over 3 folds: \d\.\d{4}, \d\.\d{4}, \d\.\d{4}\)/);
  const html = readFileSync(join(study, 'report.html'), 'utf8');
  assert.match(html, /\d\.\d{4} ± \d\.\d{4}/);
  assert.ok(html.includes('trial-0000/fold-1/report.html'), 'the report links every fold\'s run report');
  assert.deepEqual(json(join(study, 'best-config.json')).data, { dataset: 'iris' }, 'best-config.json is the configuration, trained on the standard split');
  assert.equal(json(join(study, 'study.json')).cv, 3);
});

test('neurite tune: tune.cv in the config; a rerun with another --cv, --cv with a pruner and data.cv with --cv are refused', async () => {
  const study = join(root, 'cv-block');
  const cfg = config('cv-block', {}, { space, cv: 2 });
  const r = await runCli(['tune', '--config', cfg, '--study', study, '--trials', '1']);
  assert.equal(r.code, 0, r.err);
  assert.ok(existsSync(join(study, 'trial-0000', 'fold-1', 'metrics.json')));
  const other = await runCli(['tune', '--config', cfg, '--study', study, '--trials', '1', '--cv', '3']);
  assert.equal(other.code, 1);
  assert.match(other.err, /holds a study started with another setup: cv \(2 → 3\)/);
  const pruned = await runCli(['tune', '--config', config('p'), '--study', join(root, 'p'), '--cv', '3', '--pruner', 'asha']);
  assert.equal(pruned.code, 2);
  assert.match(pruned.err, /tune: --cv 3 and --pruner asha cannot be combined: .*drop --pruner \(or --pruner none\) to cross-validate, or drop --cv to prune/);
  assert.ok(!existsSync(join(root, 'p')), 'no study folder is made for a refused command');
  const both = await runCli(['tune', '--config', config('both', { data: { dataset: 'iris', cv: { folds: 5, fold: 1 } } }), '--study', join(root, 'both'), '--cv', '3']);
  assert.equal(both.code, 1);
  assert.match(both.err, /both\.json: data\.cv: is set \(fold 1 of 5\) while --cv 3 gives every trial its own 3 folds; remove data\.cv from the config/);
  const bad = await runCli(['tune', '--config', config('bad', {}, { space, cv: 1 }), '--study', join(root, 'bad')]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /bad\.json: tune\.cv: expected the number of folds, an integer >= 2/);
  const flag = await runCli(['tune', '--config', cfg, '--cv', '1']);
  assert.equal(flag.code, 2);
  assert.match(flag.err, /tune: --cv 1: expected an integer >= 2/);
});

test('neurite tune: when the storage cannot be opened, no empty study folder is left behind', async () => {
  const study = join(root, 'nodb', 'study');
  const r = await runCli(['tune', '--config', config('nodb'), '--study', study, '--storage', 'postgres://nobody@127.0.0.1:1/none']);
  assert.equal(r.code, 1);
  assert.match(r.err, /PostgreSQL/);
  assert.ok(!existsSync(join(root, 'nodb')), 'the folders this command made are removed again');
});
