// `neurite export` end to end: train small runs, export them, and check that ONNX Runtime gives what
// `neurite predict` gives on raw features (scaler, head activation and target unscaling included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { loadModel } from '../../src/node/io/model-files.js';
import { predict } from '../../src/train/fit.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { decodeOnnxModel } from '../../src/io/onnx/proto.js';
import { maxAbsDiff, runOrt } from '../io/onnx-export-helpers.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'neurite-export-'));
const fixture = (name: string): string => new URL(`../fixtures/${name}`, import.meta.url).pathname;

test('neurite export: an iris run in ONNX Runtime gives the class probabilities neurite predicts', async () => {
  const dir = tmp(), runDir = join(dir, 'run'), file = join(dir, 'iris.onnx');
  assert.equal((await runCli(['train', '--dataset', 'iris', '--epochs', '3', '--out', runDir, '--backend', 'js'])).code, 0);
  const r = await runCli(['export', '--model', runDir, '--onnx', file]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^wrote .*iris\.onnx \([\d,]+ bytes, opset 17, input \[batch, 4\], feature scaler included, head's output activation\)\n$/);
  assert.deepEqual(readdirSync(dir).sort(), ['iris.onnx', 'run'], 'no temp file left behind');
  const bundle = await loadModel(runDir);
  const rows = readFileSync(new URL('../../data/iris.csv', import.meta.url), 'utf8').trim().split('\n').slice(1, 31).map((l) => l.split(',').slice(0, 4).map(Number));
  const x = new Tensor(Float32Array.from(rows.flat()), [rows.length, 4]);
  const want = predict(bundle.module, bundle.head, bundle.scaler ? bundle.scaler.transform(x) : x);
  const got = await runOrt(readFileSync(file), x);
  assert.ok(maxAbsDiff(got.data, want.data) <= 1e-5, `max abs diff ${maxAbsDiff(got.data, want.data)}`);
});

test('neurite export: a regression run predicts prices in dollars as neurite predict does', async () => {
  const dir = tmp(), runDir = join(dir, 'run'), file = join(dir, 'house.onnx'), csv = fixture('house_prices.csv');
  assert.equal((await runCli(['train', '--csv', csv, '--target', 'price', '--epochs', '3', '--out', runDir, '--backend', 'js'])).code, 0);
  assert.equal((await runCli(['export', '--model', runDir, '--onnx', file, '--opset', '15'])).code, 0);
  const lines = readFileSync(csv, 'utf8').trim().split('\n').slice(0, 9);
  writeFileSync(join(dir, 'new.csv'), lines.join('\n') + '\n');
  const p = await runCli(['predict', '--model', runDir, '--csv', join(dir, 'new.csv')]);
  const predicted = p.out.trim().split('\n').slice(1).map(Number);
  // The model's features for these rows: numeric columns, then neighbourhood one-hot, through the saved schema.
  const bundle = await loadModel(runDir);
  const names = bundle.featureNames!;
  const header = lines[0]!.split(',');
  const feats = lines.slice(1).map((l) => { const cells = l.split(','); return names.map((n) => { const [col, cat] = n.split('='); const v = cells[header.indexOf(col!)]!; return cat === undefined ? Number(v) : Number(v === cat); }); });
  const got = await runOrt(readFileSync(file), new Tensor(Float32Array.from(feats.flat()), [feats.length, names.length]));
  assert.equal(got.data.length, predicted.length);
  got.data.forEach((v, i) => assert.ok(Math.abs(v - predicted[i]!) <= 1e-5 * Math.abs(predicted[i]!) + 1e-3, `row ${i}: ONNX ${v} vs predict ${predicted[i]}`));
  assert.equal((decodeOnnxModel(readFileSync(file)).opset_import as { version: number }[])[0]!.version, 15);
});

test('neurite export --output-activation none writes raw outputs; --help documents the flags', async () => {
  const dir = tmp(), runDir = join(dir, 'run'), file = join(dir, 'raw.onnx');
  assert.equal((await runCli(['train', '--dataset', 'iris', '--epochs', '1', '--out', runDir, '--backend', 'js'])).code, 0);
  const r = await runCli(['export', '--model', runDir, '--onnx', file, '--output-activation', 'none']);
  assert.match(r.out, /raw outputs\)/);
  const ops = (decodeOnnxModel(readFileSync(file)).graph as { node: { op_type: string }[] }).node.map((n) => n.op_type);
  assert.ok(!ops.includes('Softmax'), ops.join(' '));
  const h = await runCli(['export', '--help']);
  for (const flag of ['--model DIR', '--onnx FILE', '--opset N', '--output-activation head|none', '--input-shape D,...', '--task T', '--hypernet target|graph']) assert.ok(h.out.includes(flag), flag);
});

test('neurite export refuses bad flags with messages naming them', async () => {
  const dir = tmp(), runDir = join(dir, 'run');
  assert.equal((await runCli(['train', '--dataset', 'iris', '--epochs', '1', '--out', runDir, '--backend', 'js'])).code, 0);
  const cases: [string[], RegExp][] = [
    [['export', '--model', runDir], /neurite: export: --model DIR and --onnx FILE \(or --out DIR for a model folder\) are required/],
    [['export', '--model', runDir, '--onnx', join(dir, 'a.onnx'), '--opset', '12'], /neurite: exportOnnx: opset must be an integer from 13 to 17, got 12/],
    [['export', '--model', runDir, '--onnx', join(dir, 'a.onnx'), '--opset', 'x'], /neurite: export: --opset expects a whole number, got "x"/],
    [['export', '--model', runDir, '--onnx', join(dir, 'a.onnx'), '--output-activation', 'softmax'], /neurite: export: --output-activation must be head or none, got "softmax"/],
    [['export', '--model', runDir, '--onnx', join(dir, 'a.onnx'), '--input-shape', '4,x'], /neurite: export: --input-shape expects positive whole numbers separated by commas \(e\.g\. 1,28,28\), got "4,x"/],
    [['export', '--model', join(dir, 'nope'), '--onnx', join(dir, 'a.onnx')], /model\.json: cannot read \(ENOENT\)/],
    [['export', '--model', runDir, '--onnx', join(dir, 'missing-dir', 'a.onnx')], /writeFileAtomic: .*a\.onnx: no such file or directory/],
    [['export', '--model', runDir, '--onx', 'a.onnx'], /unknown option '--onx'; did you mean --onnx\?/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli(args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err, re, args.join(' '));
  }
  assert.ok(!existsSync(join(dir, 'a.onnx')));
});

test('neurite export: a chunked task hypernet run exports its generated target; --task on a plain run is refused', async () => {
  const dir = tmp(), runDir = join(dir, 'run'), file = join(dir, 'hyper.onnx');
  const cfg = {
    data: { dataset: 'digits', subset: 300, validationSplit: 0.1, scale: 'standard' },
    model: { hidden: [16], activation: 'relu', hypernet: { chunkSize: 100, chunkDim: 4, hidden: [8], condition: 'task', conditionDim: 3 } },
    train: { epochs: 1, batchSize: 32, lr: 0.01, optimizer: 'adam', seed: 0 },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
  assert.equal((await runCli(['train', '--config', join(dir, 'config.json'), '--out', runDir, '--backend', 'js'])).code, 0);
  const bundle = await loadModel(runDir);
  const rows = Array.from({ length: 5 }, (_, i) => Array.from({ length: 64 }, (_, j) => ((i * 64 + j) % 17) / 2));
  const x = new Tensor(Float32Array.from(rows.flat()), [5, 64]);
  const want = predict(bundle.module, bundle.head, bundle.scaler!.transform(x));
  for (const mode of ['target', 'graph']) {
    const r = await runCli(['export', '--model', runDir, '--onnx', file, '--task', '0', '--hypernet', mode]);
    assert.equal(r.code, 0, r.err);
    const got = await runOrt(readFileSync(file), x);
    assert.ok(maxAbsDiff(got.data, want.data) <= 1e-5, `${mode}: max abs diff ${maxAbsDiff(got.data, want.data)}`);
  }
  const plain = join(dir, 'plain');
  assert.equal((await runCli(['train', '--dataset', 'iris', '--epochs', '1', '--out', plain, '--backend', 'js'])).code, 0);
  const t = await runCli(['export', '--model', plain, '--onnx', join(dir, 'p.onnx'), '--task', '1']);
  assert.match(t.err, /neurite: exportOnnx: task 1 was given, but the model holds no task-conditioned HyperNetwork; drop the task option/);
});
