// Hypernetworks through the CLI: model.hypernet trains, saves, and eval/predict/summary reload it; config errors name the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { resolveModelFolder } from '../../src/node/io/model-files.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'neurite-hyper-cli-'));

/** A tiny digits config: target MLP 64-16-10 (1,210 weights) generated in chunks of 100. */
function tinyConfig(dir: string, hypernet: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const cfg = {
    data: { dataset: 'digits', subset: 600, validationSplit: 0.1, scale: 'standard' },
    model: { hidden: [16], activation: 'relu', hypernet },
    train: { epochs: 2, batchSize: 32, lr: 0.01, optimizer: 'adam', seed: 0 },
    ...extra,
  };
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(cfg));
  return path;
}

test('a chunked hypernet trains from a config; eval reproduces metrics.json; summary prints the ratio; predict runs', async () => {
  const dir = tmp();
  const cfg = tinyConfig(dir, { chunkSize: 100, chunkDim: 4, hidden: [8], condition: 'task', conditionDim: 3 });
  const r = await runCli(['train', '--config', cfg, '--out', join(dir, 'run'), '--backend', 'js']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /1019 trainable parameters for 1210 generated \(ratio 0\.842\)/);
  const metrics = JSON.parse(readFileSync(join(dir, 'run', 'metrics.json'), 'utf8'));
  const history = JSON.parse(readFileSync(join(dir, 'run', 'history.json'), 'utf8')) as { loss: number }[];
  assert.ok(history[1]!.loss < history[0]!.loss, `loss must fall: ${history.map((h) => h.loss)}`);
  assert.ok(metrics.test.accuracy > 0.4, `2 epochs on digits should beat chance clearly, got ${metrics.test.accuracy}`);
  // The model file holds the hypernet (target architecture + options) and only its own weights.
  const model = JSON.parse(readFileSync(join(resolveModelFolder(join(dir, 'run')), 'model.json'), 'utf8'));
  assert.equal(model.module.type, 'HyperNetwork');
  assert.equal(model.module.chunkSize, 100);
  const e = await runCli(['eval', '--model', join(dir, 'run'), '--json']);
  assert.equal(e.code, 0, e.err);
  assert.deepEqual(JSON.parse(e.out), metrics);
  const s = await runCli(['summary', '--model', join(dir, 'run')]);
  assert.equal(s.code, 0, s.err);
  // generator (3 + 4)·8 + 8 + 8·100 + 100 = 964, task embedding 3, 13 chunk embeddings of 4 = 52
  assert.match(s.out, /13 chunks of 100 \(last 90 dropped\)/);
  assert.match(s.out, /chunk embeddings\s+\[13, 4\]\s+52/);
  assert.match(s.out, /Linear\(64→16\)\s+\[N, 16\]\s+1,040/);
  assert.match(s.out, /compression ratio: 0\.842 \(1,019 trainable \/ 1,210 generated\)/);
  writeFileSync(join(dir, 'new.csv'), `${Array(64).fill(0).join(',')}\n${Array(64).fill(8).join(',')}\n`);
  // A bare file says so (--no-header): a header is never guessed from a numeric look.
  const p = await runCli(['predict', '--model', join(dir, 'run'), '--csv', join(dir, 'new.csv'), '--no-header']);
  assert.equal(p.code, 0, p.err);
  assert.equal(p.out.trim().split('\n').length, 3);
  assert.match(p.out.split('\n')[0]!, /^prediction,p_0,/);
});

test('noise conditioning evaluates the z = 0 net (eval reproduces metrics); input conditioning runs one net per example', async () => {
  const dir = tmp();
  const noise = await runCli(['train', '--config', tinyConfig(dir, { condition: 'noise', conditionDim: 4, chunkSize: 200, hidden: [8] }), '--out', join(dir, 'noise'), '--backend', 'js']);
  assert.equal(noise.code, 0, noise.err);
  const e = await runCli(['eval', '--model', join(dir, 'noise'), '--json']);
  assert.deepEqual(JSON.parse(e.out), JSON.parse(readFileSync(join(dir, 'noise', 'metrics.json'), 'utf8')));
  const input = await runCli(['train', '--config', tinyConfig(dir, { condition: 'input', conditionDim: 8, hidden: [8], chunkSize: 100 }), '--out', join(dir, 'input'), '--backend', 'js']);
  assert.equal(input.code, 0, input.err);
  assert.match(input.err, /HyperNetwork\(input, .*\[56-16-10\]/);             // the first 8 columns condition, 56 feed the target
  const s = await runCli(['summary', '--model', join(dir, 'input')]);
  assert.match(s.out, /target \(generated per example\)\n\s+input\s+\[N, 56\]/);
});

test('hypernet config errors name the field and say what to do', async () => {
  const dir = tmp();
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ condition: 'input' }, /model\.hypernet\.conditionDim: input conditioning needs conditionDim/],
    [{ condition: 'input', conditionDim: 64 }, /model\.hypernet\.conditionDim: .*first 64 of the data's 64 feature columns.*below 64/],
    [{ chunkSize: 5000 }, /model\.hypernet\.chunkSize: 5000 is more than the target's 1210 weights/],
    [{ chunks: 4 }, /model\.hypernet\.chunks: unknown key; allowed keys here: chunkSize, chunkDim/],
    [{ condition: 'tasks' }, /model\.hypernet\.condition: expected one of task, noise, input, got "tasks"/],
  ];
  for (const [hn, re] of cases) {
    const r = await runCli(['train', '--config', tinyConfig(dir, hn), '--out', join(dir, 'bad'), '--backend', 'js']);
    assert.equal(r.code, 1, `${JSON.stringify(hn)} should fail`);
    assert.match(r.err, re);
  }
  const help = await runCli(['train', '--help']);
  assert.match(help.out, /model\.hypernet\.chunkSize/);
});
