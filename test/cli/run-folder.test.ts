// Run folders through the CLI: non-empty --out, --overwrite, SIGKILL + --resume bit-identical to an
// uninterrupted run, resume mismatches, stale files, divergence (exit 3 with history and report).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { loadModel, resolveModelFolder } from '../../src/node/io/model-files.js';
import { CRASH_CONFIG, runNeurite } from '../../scripts/crash-test.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'neurite-run-'));

function config(dir: string, cfg: unknown = CRASH_CONFIG): string {
  const path = join(dir, 'config-in.json');
  writeFileSync(path, JSON.stringify(cfg));
  return path;
}

const tensorsOf = (dir: string): Buffer => readFileSync(join(resolveModelFolder(dir), 'model.safetensors'));
const historyOf = (dir: string): unknown => JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')).map((h: { ms?: number }) => ({ ...h, ms: 0 }));

test('a non-empty --out is refused unless --overwrite, which replaces only run folders', async () => {
  const root = tmp(), out = join(root, 'run');
  const args = ['train', '--dataset', 'iris', '--epochs', '1', '--out', out, '--backend', 'js'];
  assert.equal((await runCli(args)).code, 0);
  const again = await runCli(args);
  assert.equal(again.code, 1);
  assert.match(again.err, new RegExp(`--out ${out}: the folder is not empty \\(CURRENT, checkpoints, config.json, history.json, …\\); pass --overwrite to replace that run, or --resume ${out} to continue it`));
  assert.equal((await runCli([...args, '--overwrite'])).code, 0);
  writeFileSync(join(out, 'notes.txt'), 'mine');
  assert.match((await runCli([...args, '--overwrite'])).err, /--overwrite only replaces neurite run folders, and this one also holds notes\.txt; choose another --out/);
  assert.ok(existsSync(join(out, 'notes.txt')));
});

test('SIGKILL after epoch 5, then --resume: the final model is bit-identical to an uninterrupted run', async () => {
  const root = tmp(), cfg = config(root);
  const whole = await runNeurite(['train', '--config', cfg, '--out', join(root, 'whole'), '--backend', 'js'], process.env, {});
  assert.equal(whole.code, 0, whole.stderr);
  const killed = await runNeurite(['train', '--config', cfg, '--out', join(root, 'cut'), '--backend', 'js'], process.env, { afterEpoch: 5 });
  assert.ok(killed.killed && killed.reported >= 5 && killed.reported < CRASH_CONFIG.train.epochs, `killed after ${killed.reported} epochs`);
  // No --backend: --resume continues on the backend the run trained on (js here).
  const resumed = await runNeurite(['train', '--resume', join(root, 'cut')], process.env, {});
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming .*cut after epoch \d+/);
  assert.ok(tensorsOf(join(root, 'cut')).equals(tensorsOf(join(root, 'whole'))), 'model.safetensors differs from the uninterrupted run');
  assert.deepEqual(historyOf(join(root, 'cut')), historyOf(join(root, 'whole')));
});

test('--resume refuses a different config (naming the keys), a finished run, and cleans stale files', async () => {
  const root = tmp(), cfg = config(root), out = join(root, 'run');
  assert.equal((await runCli(['train', '--config', cfg, '--out', out, '--epochs', '3', '--backend', 'js'])).code, 0);
  assert.match((await runCli(['train', '--resume', out, '--lr', '0.5', '--hidden', '8'])).err,
    /--resume .*run: the config differs from the run's config.json at model.hidden \(\[16\] → \[8\]\), train.lr \(0.001 → 0.5\); resume with the run's settings \(only train.epochs may change\)/);
  assert.match((await runCli(['train', '--resume', out])).err, /the run has already trained 3 of 3 epochs; pass --epochs N with N > 3 to train further/);
  assert.match((await runCli(['train', '--resume', out, '--overwrite'])).err, /--resume .* continues a run and --overwrite replaces it; pass one of them/);
  const early = join(root, 'early');
  mkdirSync(early);
  cpSync(join(out, 'config.json'), join(early, 'config.json'));
  assert.match((await runCli(['train', '--resume', early])).err, /--resume .*early: no checkpoint to resume \(no CURRENT file: the run was stopped before its first epoch was saved, or is a plain model folder\); train it again with --overwrite/);
  const gen = readFileSync(join(out, 'CURRENT'), 'utf8').trim();
  cpSync(join(out, 'checkpoints', gen), join(out, 'checkpoints', 'g000099'), { recursive: true });
  writeFileSync(join(out, '.CURRENT.4242.tmp'), 'g000099\n');
  mkdirSync(join(out, 'checkpoints', '.partial'));
  const more = await runCli(['train', '--resume', out, '--epochs', '5', '--backend', 'js']);
  assert.equal(more.code, 0, more.err);
  assert.ok(!existsSync(join(out, '.CURRENT.4242.tmp')));
  assert.deepEqual(readdirSync(join(out, 'checkpoints')), [readFileSync(join(out, 'CURRENT'), 'utf8').trim()]);
  assert.equal(JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')).length, 5);
});

test('loadModel reads a run folder at every instant while training commits generations', async () => {
  const root = tmp(), out = join(root, 'run');
  const child = runNeurite(['train', '--config', config(root), '--out', out, '--backend', 'js'], { ...process.env, NEURITE_TEST_COMMIT_DELAY_MS: '3' }, {});
  let loads = 0, done = false;
  void child.then(() => (done = true));
  while (!done) {
    if (existsSync(join(out, 'CURRENT'))) { await loadModel(out); loads++; }
    await new Promise((r) => setTimeout(r, 2));
  }
  assert.equal((await child).code, 0);
  assert.ok(loads >= 10, `only ${loads} loads while training`);
});

test('divergence: exit 3, the best epoch kept, history.json and report.html say so; finite and non-finite', async () => {
  const root = tmp();
  const cfgAt = (lr: number): string => config(root, { data: { dataset: 'iris' }, model: { hidden: [16] }, train: { epochs: 8, batchSize: 8, optimizer: 'sgd', lr } });
  const finite = await runCli(['train', '--config', cfgAt(10), '--out', join(root, 'finite'), '--backend', 'js']);
  assert.equal(finite.code, 3);
  assert.match(finite.err, /training diverged at epoch 2, batch 14: the epoch training loss is [\d.e+]+, more than 1000× the best [\d.e+]+ \(epoch 1\)/);
  const status = JSON.parse(readFileSync(join(root, 'finite', 'run.json'), 'utf8'));
  assert.equal(status.status, 'diverged');
  assert.equal(status.bestEpoch, 1);
  assert.equal(JSON.parse(readFileSync(join(root, 'finite', 'history.json'), 'utf8')).length, 2);
  assert.match(readFileSync(join(root, 'finite', 'report.html'), 'utf8'), /Training diverged after 2 epochs: .* The model is the best epoch \(1\)\./);
  await loadModel(join(root, 'finite'));
  assert.match((await runCli(['train', '--resume', join(root, 'finite')])).err, /the run diverged after epoch 2 .*there is nothing to continue/);
  const nan = await runCli(['train', '--config', cfgAt(500), '--out', join(root, 'nan'), '--backend', 'js']);
  assert.equal(nan.code, 3);
  assert.match(nan.err, /training diverged at epoch 1, batch \d+: the loss is (Infinity|NaN)/);
  assert.match(nan.out, /no epoch completed, so no model was kept; history.json and report.html say so/); // the result line is on stdout
  assert.deepEqual(JSON.parse(readFileSync(join(root, 'nan', 'history.json'), 'utf8')), []);
  assert.match(readFileSync(join(root, 'nan', 'report.html'), 'utf8'), /Training diverged after 0 epochs: .*No model was kept\./);
});

test('a CURRENT pointer edited to name another path is refused, never followed', async () => {
  const root = tmp(), out = join(root, 'run');
  assert.equal((await runCli(['train', '--dataset', 'iris', '--epochs', '1', '--out', out, '--backend', 'js'])).code, 0);
  writeFileSync(join(out, 'CURRENT'), '../../../etc\n');
  await assert.rejects(loadModel(out), /CURRENT: names "\.\.\/\.\.\/\.\.\/etc", not a generation like g000001; the run folder was edited by hand — restore CURRENT or train again with --overwrite/);
});
