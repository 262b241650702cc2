// Model files: save/load round trip (bit-identical predictions), PyTorch weights, and corrupt/mismatched files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nn, multiclassHead, data, randn, Rng, noGrad, io } from '../../src/index.js';
import { saveModel, loadModel } from '../../src/node/io/model-files.js';
import { fixture, toTensor, assertClose, type FixtureTensor } from '../helpers/fixtures.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'neurite-model-'));

async function saved(): Promise<{ dir: string; model: nn.Sequential }> {
  const dir = tmp();
  const model = nn.mlp({ sizes: [4, 6, 3], activation: 'tanh', batchNorm: true, seed: 3 });
  const scaler = new data.StandardScaler();
  scaler.fit(randn([10, 4], { rng: new Rng(1) }));
  model.forward(randn([8, 4])); // moves BatchNorm running statistics away from their defaults
  await saveModel(dir, { module: model, head: multiclassHead({ numClasses: 3 }), scaler, classNames: ['a', 'b', 'c'] });
  return { dir, model };
}

test('a saved model reloads and predicts bit-identically, with head, scaler and class names', async () => {
  const { dir, model } = await saved();
  const b = await loadModel(dir);
  const x = randn([5, 4], { rng: new Rng(2) });
  model.eval();
  assert.deepEqual(noGrad(() => b.module.forward(x)).toFlat(), noGrad(() => model.forward(x)).toFlat());
  assert.deepEqual(b.classNames, ['a', 'b', 'c']);
  assert.equal(b.head.toJSON().kind, 'multiclass');
  assert.deepEqual(b.scaler!.transform(x).toFlat(), b.scaler!.transform(x).toFlat());
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  assert.deepEqual(Object.keys(json.tensors).slice(0, 2), ['0.weight', '0.bias']);
  assert.deepEqual(json.tensors['0.weight'].shape, [6, 4]);
});

test('corrupt or mismatched files fail with the file and the problem named', async () => {
  const { dir } = await saved();
  const weights = readFileSync(join(dir, 'model.safetensors'));
  const json = readFileSync(join(dir, 'model.json'), 'utf8');
  const flipped = Buffer.from(weights); flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 0xff;
  writeFileSync(join(dir, 'model.safetensors'), flipped);
  await assert.rejects(loadModel(dir), /model\.safetensors: checksum does not match model\.json/);
  writeFileSync(join(dir, 'model.safetensors'), weights.subarray(0, 20));
  const j = JSON.parse(json); delete j.weightsChecksum; writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
  await assert.rejects(loadModel(dir), /safetensors/i);
  writeFileSync(join(dir, 'model.safetensors'), weights);
  j.module.layers[0].out = 7; writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
  await assert.rejects(loadModel(dir), /tensor "0\.weight" has shape \[6,4\], the architecture needs \[7,4\]/);
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'something-else' }));
  await assert.rejects(loadModel(dir), /model\.json: not a neurite model/);
  writeFileSync(join(dir, 'model.json'), '{ nope');
  await assert.rejects(loadModel(dir), /model\.json: not valid JSON/);
});

test("PyTorch's safetensors state dict loads into the same architecture and reproduces its outputs", () => {
  const bytes = new Uint8Array(readFileSync(new URL('../fixtures/mlp_4_5_3.safetensors', import.meta.url)));
  const { tensors } = io.decodeSafetensors(bytes);
  const net = new nn.Sequential(new nn.Linear(4, 5), new nn.Tanh(), new nn.Linear(5, 3));
  net.loadStateDict(tensors);
  const c = fixture<{ cases: { x: FixtureTensor; y: FixtureTensor }[] }>('safetensors_mlp.json').cases[0]!;
  assertClose(net.forward(toTensor(c.x, 'float32')), c.y, 'y');
});

test('checkpoints survive a crash mid-training: the run folder holds the last committed epoch', async () => {
  const { modelCheckpoint } = await import('../../src/node/io/checkpoint.js');
  const { fit, Optimizer, sgd } = await import('../../src/index.js');
  const { readdirSync } = await import('node:fs');
  const dir = tmp();
  const { x, y } = data.makeSpiral({ n: 60, k: 3, seed: 1 });
  const model = nn.mlp({ sizes: [2, 8, 3], seed: 1 });
  const head = multiclassHead({ numClasses: 3 });
  let afterEpoch1: number[] = [];
  const ckpt = modelCheckpoint(dir, () => ({ module: model, head }));
  const crash = { onEpochEnd: (ctx: { epoch: number }) => { if (ctx.epoch === 1) afterEpoch1 = model.forward(x).toFlat(); if (ctx.epoch === 2) throw new Error('simulated crash'); } };
  const opt = new Optimizer(sgd({ lr: 0.1 }), model);
  // Order: checkpoint after epoch 1, then the crash callback throws during epoch 2's end, before its checkpoint.
  assert.throws(() => fit({ model, head, optimizer: opt, x, y, epochs: 5, callbacks: [crash, ckpt] }), /simulated crash/);
  assert.equal(ckpt.saves, 1);
  assert.deepEqual(readdirSync(dir).sort(), ['CURRENT', 'checkpoints']);
  assert.deepEqual(readdirSync(join(dir, 'checkpoints')), ['g000001']);
  const b = await loadModel(dir);
  assert.deepEqual(noGrad(() => b.module.forward(x)).toFlat(), afterEpoch1);
});

test('the library path: modelCheckpoint, a crash, fit({ resume: loadTrainState(dir) }) ends as the uninterrupted run', async () => {
  const { modelCheckpoint, loadTrainState } = await import('../../src/node/io/checkpoint.js');
  const { fit, Optimizer, adam } = await import('../../src/index.js');
  const { x, y } = data.makeSpiral({ n: 60, k: 3, seed: 2 });
  const head = multiclassHead({ numClasses: 3 });
  const build = () => { const model = nn.mlp({ sizes: [2, 8, 3], dropout: 0.2, seed: 4 }); return { model, optimizer: new Optimizer(adam({ lr: 0.02 }), model) }; };
  const a = build();
  fit({ model: a.model, head, optimizer: a.optimizer, x, y, epochs: 6, seed: 3 });
  const dir = tmp(), b = build();
  const crash = { onEpochEnd: (ctx: { epoch: number }) => { if (ctx.epoch === 4) throw new Error('simulated crash'); } };
  assert.throws(() => fit({ model: b.model, head, optimizer: b.optimizer, x, y, epochs: 6, seed: 3, callbacks: [modelCheckpoint(dir, () => ({ module: b.model, head })), crash] }), /simulated crash/);
  const c = build();
  const state = loadTrainState(dir);
  assert.equal(state.epoch, 4);
  fit({ model: c.model, head, optimizer: c.optimizer, x, y, epochs: 6, seed: 3, callbacks: [modelCheckpoint(dir, () => ({ module: c.model, head })), { onEpochEnd: () => {} }], resume: state });
  assert.deepEqual(c.model.stateDict()['0.weight']!.toFlat(), a.model.stateDict()['0.weight']!.toFlat());
  assert.deepEqual(Object.values(c.model.stateDict()).map((t) => [...t.data]), Object.values(a.model.stateDict()).map((t) => [...t.data]));
});
