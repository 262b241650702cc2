// `neurite export --out DIR --dtype float16|bfloat16|int8`: compact model folders that eval and predict load like any model;
// `--onnx FILE --dtype int8`: QDQ files that ONNX Runtime runs to the int8 model's predictions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { loadModel, resolveModelFolder } from '../../src/node/io/model-files.js';
import { loadBuiltinDataset } from '../../src/node/data/builtin.js';
import { predict } from '../../src/train/evaluate.js';
import { noGrad } from '../../src/autograd/graph.js';
import { maxAbsDiff, runOrt } from '../io/onnx-export-helpers.js';

const accuracy = (evalOut: string): number => Number(/^test: .*accuracy ([\d.]+)/m.exec(evalOut)![1]);

test('neurite export --dtype float16 and int8 write smaller model folders that score like the float32 run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-dtype-')), runDir = join(dir, 'run');
  assert.equal((await runCli(['train', '--dataset', 'digits', '--epochs', '8', '--out', runDir, '--backend', 'js'])).code, 0);
  const base = accuracy((await runCli(['eval', '--model', runDir, '--dataset', 'digits'])).out);
  const size = (d: string): number => statSync(join(resolveModelFolder(d), 'model.safetensors')).size;
  for (const [dtype, maxRatio] of [['float16', 0.52], ['bfloat16', 0.52], ['int8', 1 / 3]] as const) {
    const out = join(dir, dtype);
    const r = await runCli(['export', '--model', runDir, '--out', out, '--dtype', dtype]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^wrote .*${dtype}/model.json and model.safetensors \\(${dtype}`));
    assert.ok(size(out) < maxRatio * size(runDir), `${dtype}: ${size(out)} B vs ${size(runDir)} B`);
    const e = await runCli(['eval', '--model', out, '--dataset', 'digits']);
    assert.equal(e.code, 0, e.err);
    assert.ok(Math.abs(accuracy(e.out) - base) <= 0.01, `${dtype}: test accuracy ${accuracy(e.out)} vs float32 ${base}`);
  }
  const json = JSON.parse(readFileSync(join(dir, 'int8', 'model.json'), 'utf8')) as { module: { type: string }; info: { quantized: unknown } };
  assert.equal(json.module.type, 'QuantizedSequential');
  assert.deepEqual(json.info.quantized, { dtype: 'int8', calibrationRows: 256 });
  await checkQdqExport(dir, runDir, join(dir, 'int8'));
});

/** `--onnx FILE --dtype int8` writes QDQ whose ONNX Runtime probabilities are the int8 folder's predictions; the int8 folder exports the same bytes. */
async function checkQdqExport(dir: string, runDir: string, int8Dir: string): Promise<void> {
  const file = join(dir, 'digits-int8.onnx'), again = join(dir, 'again.onnx');
  const r = await runCli(['export', '--model', runDir, '--onnx', file, '--dtype', 'int8']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^wrote .*digits-int8\.onnx \([\d,]+ bytes, opset 17, input \[batch, 64\], int8 QDQ Linear\/Conv2d layers, feature scaler included, head's output activation\)\n$/);
  assert.equal((await runCli(['export', '--model', int8Dir, '--onnx', again])).code, 0);
  assert.deepEqual(readFileSync(again), readFileSync(file), 'the int8 folder (same calibration rows) exports the same QDQ file');
  const bundle = await loadModel(int8Dir), x = (await loadBuiltinDataset('digits')).x;
  const want = noGrad(() => predict(bundle.module, bundle.head, bundle.scaler ? bundle.scaler.transform(x) : x));
  const got = await runOrt(readFileSync(file), x);
  const d = maxAbsDiff(got.data, want.data);
  if (process.env.NEURITE_QDQ_REPORT) console.log(`digits int8 QDQ in ORT vs neurite predict on ${x.shape[0]} rows: max abs probability diff ${d.toExponential(3)}`);
  assert.ok(d <= 1e-6, `ORT probabilities differ from the int8 model's by up to ${d}`);
}

test('neurite export --dtype: bad combinations are errors that say what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-dtype-')), runDir = join(dir, 'run');
  const csv = join(dir, 'tiny.csv');
  writeFileSync(csv, 'a,b,label\n' + Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2 ? 'x' : 'y'}`).join('\n') + '\n');
  assert.equal((await runCli(['train', '--csv', csv, '--target', 'label', '--epochs', '2', '--out', runDir, '--backend', 'js'])).code, 0);
  const r1 = await runCli(['export', '--model', runDir, '--out', join(dir, 'q'), '--dtype', 'int4']);
  assert.equal(r1.code, 1);
  assert.match(r1.err, /export: --dtype must be one of float32, float16, bfloat16, int8, got "int4"/);
  const r2 = await runCli(['export', '--model', runDir, '--onnx', join(dir, 'q.onnx'), '--dtype', 'float16']);
  assert.match(r2.err, /export: --dtype float16 with --onnx is not supported \(ONNX files are float32, or QDQ int8 with --dtype int8; float16 ONNX export is not built\); use --out DIR for a float16 neurite model folder/);
  const r2b = await runCli(['export', '--model', runDir, '--onnx', join(dir, 'q.onnx'), '--dtype', 'int8']);
  assert.match(r2b.err, /export: --dtype int8 calibrates activation ranges on training rows: this run was trained on the CSV file 'tiny\.csv'; pass --calibration FILE\.csv/);
  assert.equal((await runCli(['export', '--model', runDir, '--onnx', join(dir, 'q.onnx'), '--dtype', 'int8', '--calibration', csv])).code, 0);
  const r3 = await runCli(['export', '--model', runDir, '--out', join(dir, 'q'), '--dtype', 'int8']);
  assert.match(r3.err, /export: --dtype int8 calibrates activation ranges on training rows: this run was trained on the CSV file 'tiny\.csv'; pass --calibration FILE\.csv/);
  const r4 = await runCli(['export', '--model', runDir, '--out', join(dir, 'q'), '--dtype', 'int8', '--calibration', csv]);
  assert.equal(r4.code, 0, r4.err);
  assert.equal((await runCli(['predict', '--model', join(dir, 'q'), '--csv', csv])).code, 0);
  const r4b = await runCli(['export', '--model', join(dir, 'q'), '--onnx', join(dir, 'q2.onnx'), '--dtype', 'int8', '--calibration', csv]);
  assert.match(r4b.err, /export: .*q is int8 already \(quantized when it was exported\); drop --calibration\/--calibration-rows/);
  const r5 = await runCli(['export', '--model', runDir, '--onnx', join(dir, 'a.onnx'), '--out', join(dir, 'b')]);
  assert.match(r5.err, /export: give --onnx FILE or --out DIR, not both/);
});
