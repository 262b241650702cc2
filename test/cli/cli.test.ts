// The neurite CLI end to end (through main(), in-process): train/eval/predict/summary/datasets and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/node/cli/main.js';

function cli(args: string[]): { code: Promise<number>; out: () => string; err: () => string } {
  let out = '', err = '';
  const code = main(args, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false });
  return { code, out: () => out, err: () => err };
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = cli(args);
  const code = await r.code;
  return { code, out: r.out(), err: r.err() };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'neurite-cli-'));

test('neurite train with no data flags trains the digits default to >= 0.96 test accuracy', async () => {
  const dir = tmp();
  const r = await run(['train', '--out', dir, '--backend', 'js']);
  assert.equal(r.code, 0, r.err);
  for (const f of ['CURRENT', 'config.json', 'history.json', 'metrics.json', 'run.json', 'report.html']) assert.ok(existsSync(join(dir, f)), f);
  const gen = join(dir, 'checkpoints', readFileSync(join(dir, 'CURRENT'), 'utf8').trim());
  for (const f of ['model.json', 'model.safetensors', 'state.json', 'state.safetensors']) assert.ok(existsSync(join(gen, f)), f);
  const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
  assert.ok(metrics.test.accuracy >= 0.96, `test accuracy ${metrics.test.accuracy}`);
  assert.ok('validation' in metrics && 'f1' in metrics.test);
  const epochs = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).train.epochs;
  assert.match(r.err, new RegExp(`epoch ${epochs}/${epochs}`));
  assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /<svg[\s\S]*Confusion matrix/);
  // eval on the saved run reproduces metrics.json exactly
  const e = await run(['eval', '--model', dir, '--json']);
  assert.equal(e.code, 0, e.err);
  assert.deepEqual(JSON.parse(e.out), metrics);
  const s = await run(['summary', '--model', dir]);
  assert.match(s.out, /Linear\(64→64\)\s+\[N, 64\]\s+4,160/);
  assert.match(s.out, /total parameters: 4,810/);
});

test('CSV training (classification), predict with probabilities, and eval on a CSV', async () => {
  const dir = tmp();
  const rows = ['f1,f2,label'];
  for (let i = 0; i < 120; i++) { const a = (i % 7) / 7, b = (i % 5) / 5; rows.push(`${a},${b},${a + b > 0.8 ? 'big' : 'small'}`); }
  const csv = join(dir, 'train.csv');
  writeFileSync(csv, rows.join('\n') + '\n');
  const r = await run(['train', '--csv', csv, '--target', 'label', '--epochs', '40', '--lr', '0.05', '--out', join(dir, 'run'), '--backend', 'js']);
  assert.equal(r.code, 0, r.err);
  const metrics = JSON.parse(readFileSync(join(dir, 'run', 'metrics.json'), 'utf8'));
  assert.ok(metrics.test.accuracy >= 0.8, `csv accuracy ${metrics.test.accuracy}`);
  assert.ok('roc_auc' in metrics.test);
  writeFileSync(join(dir, 'new.csv'), 'f1,f2\n0.9,0.9\n0.0,0.1\n');
  const p = await run(['predict', '--model', join(dir, 'run'), '--csv', join(dir, 'new.csv')]);
  assert.equal(p.code, 0, p.err);
  const lines = p.out.trim().split('\n');
  assert.equal(lines[0], 'prediction,p_small');
  assert.equal(lines.length, 3);
  const e = await run(['eval', '--model', join(dir, 'run'), '--csv', csv, '--json']);
  assert.equal(e.code, 0, e.err);
  assert.ok(JSON.parse(e.out).test.accuracy >= 0.8);
});

test('CLI errors: one line on stderr, non-zero exit, the field path named', async () => {
  const cfg = join(tmp(), 'bad.json');
  writeFileSync(cfg, JSON.stringify({ model: { hidden: [4, 'x'] } }));
  const a = await run(['train', '--config', cfg]);
  assert.equal(a.code, 1);
  assert.match(a.err, /model\.hidden\[1\]: expected a positive integer, got "x"/);
  assert.equal(a.err.trim().split('\n').length, 1);
  writeFileSync(cfg, JSON.stringify({ train: { epoch: 3 } }));
  assert.match((await run(['train', '--config', cfg])).err, /train\.epoch: unknown key; allowed keys here: epochs/);
  assert.match((await run(['train', '--epochs', 'x'])).err, /train\.epochs: expected a positive integer, got "x"/);
  assert.match((await run(['train', '--optimizer', 'adamz'])).err, /train\.optimizer: expected one of sgd, momentum/);
  assert.match((await run(['train', '--csv', 'nope.csv'])).err, /data\.target: a CSV needs --target COLUMN/);
  assert.match((await run(['train', '--csv', 'nope.csv', '--target', 'y'])).err, /nope\.csv: cannot read the CSV file \(ENOENT\)/);
  assert.match((await run(['eval', '--model', '/nonexistent'])).err, /model\.json: cannot read \(ENOENT\)/);
  assert.equal((await run(['frobnicate'])).code, 2);
  const help = await run(['train', '--help']);
  assert.match(help.out, /train\.batchSize\s+int\|null\s+examples per gradient step/);
  const ds = await run(['datasets']);
  assert.match(ds.out, /digits\s+available/);
  assert.match((await run(['--version'])).out, /^\d+\.\d+\.\d+\n$/);
});

test('a run folder is complete and nothing stray is left behind', async () => {
  const dir = tmp();
  assert.equal((await run(['train', '--dataset', 'iris', '--epochs', '2', '--out', dir, '--backend', 'js'])).code, 0);
  assert.deepEqual(readdirSync(dir).sort(), ['CURRENT', 'checkpoints', 'config.json', 'history.json', 'history.jsonl', 'metrics.json', 'process.json', 'report.html', 'run.json']);
  assert.deepEqual(readdirSync(join(dir, 'checkpoints')), [readFileSync(join(dir, 'CURRENT'), 'utf8').trim()], 'only the current generation is left');
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  assert.equal(cfg.data.dataset, 'iris');
  assert.equal(cfg.train.epochs, 2);
});
