// neurite tune end to end (in-process): a small iris study, its table, run folders, report and
// best-config.json (neurite train --config reproduces the best trial), resuming, and bad inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { listRuns } from '../../src/node/board/run-reader.js';

const root = mkdtempSync(join(tmpdir(), 'neurite-tune-cli-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const space = {
  'train.lr': { type: 'float', low: 0.001, high: 0.1, log: true },
  'model.hidden': { type: 'layers', count: { low: 1, high: 2 }, width: { type: 'int', low: 4, high: 32, log: true } },
};
function config(name: string, over: Record<string, unknown> = {}, tune: Record<string, unknown> = { space }): string {
  const path = join(root, `${name}.json`);
  writeFileSync(path, JSON.stringify({ data: { dataset: 'iris', validationSplit: 0.2 }, train: { epochs: 6 }, ...over, tune }));
  return path;
}

test('neurite tune: trials are run folders; --show, report.html and best-config.json; train --config reproduces the best trial; a rerun resumes', async () => {
  const cfg = config('iris'), study = join(root, 'iris');
  const args = ['tune', '--config', cfg, '--study', study, '--trials', '4', '--sampler', 'random', '--seed', '3'];
  const r = await runCli(args);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /trial 0 complete: accuracy \d\.\d{4}/);
  assert.match(r.out, /4 trials: 4 complete, 0 pruned, 0 failed, 0 running, 0 waiting; 24 epochs in all/);
  for (let n = 0; n < 4; n++) assert.equal(JSON.parse(readFileSync(join(study, `trial-000${n}`, 'run.json'), 'utf8')).status, 'completed');
  const best = Number(/best: trial (\d+)/.exec(r.out)![1]);
  const trialMetrics = JSON.parse(readFileSync(join(study, `trial-000${best}`, 'metrics.json'), 'utf8'));
  const html = readFileSync(join(study, 'report.html'), 'utf8');
  for (const part of ['Optimisation history', 'Parallel coordinates', 'Parameter importance', `trial-000${best}/report.html`]) assert.ok(html.includes(part), part);
  const out = join(root, 'best-run');
  const t = await runCli(['train', '--config', join(study, 'best-config.json'), '--out', out, '--json']);
  assert.equal(t.code, 0, t.err);
  assert.deepEqual(JSON.parse(t.out).metrics.validation, trialMetrics.validation, 'the best config trains to the same validation metrics');
  assert.deepEqual(JSON.parse(t.out).metrics.test, trialMetrics.test);
  assert.deepEqual(listRuns(study).map((v) => v.name).sort(), ['trial-0000', 'trial-0001', 'trial-0002', 'trial-0003'], 'neurite board --dir STUDY lists the trials');
  const shown = await runCli(['tune', '--show', study]);
  assert.equal(shown.code, 0, shown.err);
  assert.match(shown.out, /^trial {2}state {7}accuracy {2}epochs {6}time {2}params\n {4}0 {2}complete/);
  const again = await runCli(args);
  assert.equal(again.code, 0, again.err);
  assert.doesNotMatch(again.out, /trial \d complete/, 'a finished study runs no new trials');
  assert.match(again.out, /4 trials: 4 complete/);
});

test('neurite tune --pruner asha: pruned trials stop early and their run folders say why', async () => {
  const cfg = config('asha', { train: { epochs: 9 } }), study = join(root, 'asha');
  const r = await runCli(['tune', '--config', cfg, '--study', study, '--trials', '6', '--sampler', 'random', '--pruner', 'asha']);
  assert.equal(r.code, 0, r.err);
  const pruned = [...r.out.matchAll(/trial (\d) pruned at epoch (\d)/g)];
  assert.ok(pruned.length >= 2, r.out);
  const run = JSON.parse(readFileSync(join(study, `trial-000${pruned[0]![1]}`, 'run.json'), 'utf8'));
  assert.equal(run.status, 'stopped');
  assert.match(run.reason, /^pruned at epoch [13]: validation accuracy/);
});

test('neurite tune: bad inputs are errors naming the file, the key and what to do', async () => {
  const cases: [string[], RegExp][] = [
    [['--config', config('typo', {}, { space: { 'train.lrr': { type: 'float', low: 0.001, high: 0.1 } } })], /typo\.json: tune\.space\.train\.lrr: unknown config key; did you mean train\.lr\? \(neurite train --help lists the keys\)/],
    [['--config', config('illegal', {}, { space: { 'train.lr': { type: 'float', low: 0, high: 0.1 } } })], /illegal\.json: tune\.space\.train\.lr\.low: 0 is not a legal value of train\.lr \(expected a number > 0, got 0\)/],
    [['--config', config('choice', {}, { space: { 'train.optimizer': { type: 'categorical', choices: ['adam', 'adamm'] } } })], /choice\.json: tune\.space\.train\.optimizer\.choices\[1\]: "adamm" is not a legal value of train\.optimizer/],
    [['--config', config('inttype', {}, { space: { 'train.epochs': { type: 'float', low: 1, high: 5 } } })], /tune\.space\.train\.epochs\.type: train\.epochs takes integers; use "type": "int"/],
    [['--config', config('layers', {}, { space: { 'train.lr': { type: 'layers', count: { low: 1, high: 2 }, width: { low: 1, high: 4 } } } })], /tune\.space\.train\.lr\.type: "layers" needs a key that takes a list of widths \(like model\.hidden\); train\.lr does not/],
    [['--config', config('list', {}, { space: { 'model.hidden': { type: 'int', low: 1, high: 4 } } })], /tune\.space\.model\.hidden\.type: model\.hidden takes a list; use "type": "layers"/],
    [['--config', config('metric', {}, { space, metric: 'acc' })], /metric\.json: tune\.metric: expected one of accuracy, f1/],
    [['--config', config('dir', {}, { space, metric: 'accuracy', direction: 'minimize' })], /tune\.direction: accuracy is better when larger; minimize would search for the worst model/],
    [['--config', config('nosplit', { data: { dataset: 'iris', validationSplit: 0 } })], /nosplit\.json: data\.validationSplit: is 0, but trials are scored on the validation split; set it > 0/],
    [['--config', config('baseerr', { train: { epochs: 0 } })], /baseerr\.json: train\.epochs: expected a positive integer, got 0/],
    [['--trials', '3'], /tune: --config FILE \(a training config with a "tune" block\) or --space FILE \(a tune\.json\) is required/],
    [['--config', config('stor'), '--storage', 'sqlite://x'], /tune: --storage sqlite:\/\/x: expected journal \(a file in the study folder, the default\), memory, or a PostgreSQL URL/],
    [['--config', config('mem'), '--storage', 'memory', '--workers', '2'], /tune: --storage memory lives in one process and cannot be shared by --workers/],
    [['--config', config('hb'), '--pruner', 'hyperband', '--study', join(root, 'hb')].map((a) => (a.endsWith('hb.json') ? config('hb', { train: {} }) : a)), /tune: --pruner hyperband needs a fixed train\.epochs in the config/],
    [['--config', config('grid'), '--sampler', 'grid'], /grid\.json: tune\.space\.train\.lr: grid search needs a finite set of values: give the float range a "step", or use categorical choices/],
    [['--show', root], /tune: .* is not a study folder \(no study\.json\); pass the --study folder neurite tune wrote/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(['tune', ...args]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message, args.join(' '));
  }
  const notice = join(root, 'notune.json');
  writeFileSync(notice, JSON.stringify({ data: { dataset: 'iris' } }));
  assert.match((await runCli(['tune', '--config', notice])).err, /notune\.json: has no "tune" block; add \{"tune": \{"space": \{\.\.\.\}\}\} or pass --space tune\.json/);
  assert.match((await runCli(['tune', '--config', config('w'), '--workers', '0'])).err, /tune: --workers 0: expected an integer >= 1/);
});

test('neurite tune: a study folder rerun with another config is refused, listing what differs', async () => {
  const study = join(root, 'changed');
  const first = await runCli(['tune', '--config', config('c1'), '--study', study, '--trials', '1', '--sampler', 'random']);
  assert.equal(first.code, 0, first.err);
  const r = await runCli(['tune', '--config', config('c1', { train: { epochs: 7 } }), '--study', study, '--trials', '1', '--sampler', 'random']);
  assert.equal(r.code, 1);
  assert.match(r.err, /holds a study started with another setup: config train\.epochs \(6 → 7\); rerun it with the config it started with to resume, or pass another --study/);
  const s = await runCli(['tune', '--config', config('c1'), '--study', study, '--trials', '2', '--sampler', 'random']);
  assert.match(s.err, /study 'changed' exists with a different maxTrials: stored 1, given 2/);
  assert.ok(existsSync(join(study, 'trial-0000', 'run.json')));
});

test('neurite tune --help prints usage, flags and an example; a mistyped flag suggests the nearest (exit 2)', async () => {
  const h = await runCli(['tune', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /^usage: neurite tune --config CFG\.json/);
  assert.match(h.out, /--pruner median\|asha\|hyperband\|none/);
  assert.match(h.out, /\nexample:\n {2}neurite tune --config iris-tune\.json/);
  const r = await runCli(['tune', '--trails', '3']);
  assert.equal(r.code, 2);
  assert.equal(r.err, "neurite tune: unknown option '--trails'; did you mean --trials? (run neurite tune --help)\n");
});

test('neurite tune: a trial of a worker on another machine whose heartbeat stopped is failed after --stale-after and retried', async () => {
  const cfg = config('stale'), first = join(root, 'stale-a'), study = join(root, 'stale-b');
  assert.equal((await runCli(['tune', '--config', cfg, '--study', first, '--trials', '1', '--sampler', 'random'])).code, 0);
  // The same study definition under another name, with trial 0 claimed an hour ago by a machine that went away.
  const def = { ...JSON.parse(readFileSync(join(first, 'journal.jsonl'), 'utf8').split('\n')[0]!).def, name: 'stale-b', maxTrials: 2 };
  const { openJournalStorage } = await import('../../src/node/tune/journal.js');
  const far = await openJournalStorage(study, { clock: () => Date.now() - 3_600_000 });
  await far.openStudy(def);
  await far.claimTrial('stale-b', 'far-away-host:4242', () => ({ 'train.lr': 0.01, 'model.hidden.length': 1, 'model.hidden[0]': 8 }));
  await far.close();
  const r = await runCli(['tune', '--config', cfg, '--study', study, '--trials', '2', '--sampler', 'random', '--stale-after', '60']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /0 {2}failed .*\(worker far-away-host:4242 stopped sending heartbeats \(last 3600 s ago, limit 60 s\)\)/);
  assert.match(r.out, /3 trials: 2 complete, 0 pruned, 1 failed/);
  assert.match(r.out, /1 {2}complete .*train\.lr=0\.01 model\.hidden=\[8\] {2}\(retry of 0\)/);
});
