// `--help` on every subcommand, nearest-flag suggestions, --set, negative values, train --json, stdout vs stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { defaultConfig } from '../../src/node/cli/config.js';
import { parseTrainArgs } from '../../src/node/cli/flags.js';
import { progressCallback } from '../../src/node/cli/progress.js';
import type { TrainContext } from '../../src/train/callbacks.js';

for (const cmd of ['train', 'eval', 'predict', 'summary', 'explain', 'datasets', 'export', 'board']) {
  for (const flag of ['--help', '-h']) {
    test(`neurite ${cmd} ${flag} prints usage, flags and an example on stdout and exits 0`, async () => {
      const r = await runCli([cmd, flag]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, '');
      assert.match(r.out, new RegExp(`^usage: neurite ${cmd}`));
      assert.match(r.out, /\nflags:\n/);
      assert.match(r.out, /-h, --help/);
      assert.match(r.out, new RegExp(`\\nexample:\\n  neurite ${cmd}`));
    });
  }
}

test('train --help shows each config default beside its doc, read from defaultConfig()', async () => {
  const { out } = await runCli(['train', '--help']);
  const d = defaultConfig();
  assert.match(out, new RegExp(`train\\.optimizer .*\\(default: "${d.train.optimizer}"\\)`));
  for (const key of ['epochs', 'lr', 'batchSize']) assert.match(out, new RegExp(`train\\.${key} .*\\(null: chosen from the data by the default rule, docs/cli.md\\) \\(default: null\\)`));
  assert.match(out, /--epochs N +training epochs \(default: chosen from the data \(docs\/cli.md\)\)/);
  assert.match(out, /model\.hidden .*\(default: \[64\]\)/);
});

test('an unknown flag suggests the nearest known one and exits 2 with the usage hint', async () => {
  const r = await runCli(['train', '--epoch', '3']);
  assert.equal(r.code, 2);
  assert.equal(r.err, "neurite train: unknown option '--epoch'; did you mean --epochs? (run neurite train --help)\n");
  const e = await runCli(['eval', '--modle', 'x']);
  assert.equal(e.code, 2);
  assert.match(e.err, /eval: unknown option '--modle'; did you mean --model\?/);
  assert.match((await runCli(['datasets', '--zzzzzz'])).err, /datasets: unknown option '--zzzzzz' \(run neurite datasets --help\)/);
});

test('a flag missing its value says so (exit 2)', async () => {
  const r = await runCli(['train', '--epochs']);
  assert.equal(r.code, 2);
  assert.equal(r.err, 'neurite train: --epochs needs a value (N) (run neurite train --help)\n');
});

test('--set sets any config key, typed by the schema, and validates with path messages', () => {
  const a = parseTrainArgs(['--set', 'train.weightDecay=0.01', '--set', 'model.hidden=64,32', '--set', 'data.stratify=false', '--set', 'train.clipNorm=null', '--set', 'data.categorical=a,b']);
  assert.deepEqual(a.overrides, { train: { weightDecay: 0.01, clipNorm: null }, model: { hidden: [64, 32] }, data: { stratify: false, categorical: ['a', 'b'] } });
});

test('--set errors: unknown key suggests the nearest; a bad value names the path', async () => {
  const u = await runCli(['train', '--set', 'train.epoch=3']);
  assert.equal(u.code, 1);
  assert.equal(u.err, 'neurite: config error: train.epoch: unknown key; did you mean train.epochs? (neurite train --help lists every key)\n');
  assert.match((await runCli(['train', '--set', 'model.hidden=64,x'])).err, /model\.hidden\[1\]: expected a positive integer, got "x"/);
  assert.match((await runCli(['train', '--set', 'data.stratify=maybe'])).err, /data\.stratify: expected true or false, got "maybe"/);
  assert.match((await runCli(['train', '--set', 'epochs'])).err, /--set: expected key\.path=value/);
});

test('a negative value after its flag (--target -1) parses like --target=-1', () => {
  assert.deepEqual(parseTrainArgs(['--target', '-1', '--csv', 'f.csv']).overrides, { data: { target: '-1', csv: 'f.csv' } });
  assert.deepEqual(parseTrainArgs(['--target=-1']).overrides, { data: { target: '-1' } });
});

test('train --json prints one JSON object naming the folder; without it the result line is on stdout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-json-'));
  try {
    const csv = join('test', 'fixtures', 'house_prices.csv');
    const j = await runCli(['train', '--csv', csv, '--target', '-1', '--epochs', '1', '--json', '--out', join(dir, 'a')]);
    assert.equal(j.code, 0, j.err);
    const summary = JSON.parse(j.out) as { folder: string; status: string; exitCode: number; metrics: { test: Record<string, number> } };
    assert.equal(summary.folder, join(dir, 'a'));
    assert.equal(summary.status, 'completed');
    assert.equal(summary.exitCode, 0);
    assert.ok(Number.isFinite(summary.metrics.test.mse));
    const p = await runCli(['train', '--csv', csv, '--target', '-1', '--epochs', '1', '--out', join(dir, 'b')]);
    assert.match(p.out, new RegExp(`^test mse [0-9.]+ +\\([0-9.]+ s\\) +→ ${join(dir, 'b').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
    assert.match(p.err, /epoch 1\/1/);
    assert.doesNotMatch(p.err, /→/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('the progress bar shows the running mean of the epoch batch losses', () => {
  let shown = '';
  const cb = progressCallback((s) => (shown = s), true, 'accuracy');
  const ctx = { epoch: 1, epochs: 1, batch: 0, batches: 3, batchLoss: NaN } as unknown as TrainContext;
  cb.onEpochBegin?.(ctx);
  for (const [i, loss] of [3, 1, 5].entries()) { ctx.batch = i + 1; ctx.batchLoss = loss; cb.onBatchEnd?.(ctx); }
  assert.match(shown, /3\/3 loss 3\.0000 /);
});
