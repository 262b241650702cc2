// importOnnx on models made by PyTorch's exporter (test/fixtures/onnx, from scripts/make-onnx-fixtures.py): predictions and fine-tuning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importOnnx, Optimizer, adam, fit, multiclassHead, regressionHead, randn, tensor, argmax, noGrad, Rng, io, type Tensor } from '../../src/index.js';

const fixture = (name: string): { bytes: Uint8Array; x: Tensor; y: Tensor } => {
  const j = JSON.parse(readFileSync(new URL(`../fixtures/onnx/${name}.json`, import.meta.url), 'utf8')) as { input: { shape: number[]; data: number[] }; output: { shape: number[]; data: number[] } };
  return {
    bytes: readFileSync(new URL(`../fixtures/onnx/${name}.onnx`, import.meta.url)),
    x: tensor(j.input.data).reshape(j.input.shape), y: tensor(j.output.data).reshape(j.output.shape),
  };
};

const maxAbsDiff = (a: Tensor, b: Tensor): number => {
  assert.deepEqual(a.shape, b.shape);
  let d = 0;
  for (let i = 0; i < a.size; i++) d = Math.max(d, Math.abs(a.data[i]! - b.data[i]!));
  return d;
};

for (const name of ['mlp', 'cnn', 'lstm', 'gru', 'lstm2bi', 'rnnrelu']) {
  test(`${name}.onnx (torch.onnx.export) predicts what PyTorch computed, within 1e-5`, () => {
    const { bytes, x, y } = fixture(name);
    const model = importOnnx(bytes);
    const d = maxAbsDiff(noGrad(() => model.forward(x)), y);
    assert.ok(d <= 1e-5, `max |neurite − torch| = ${d}`);
  });
}

test('the MLP keeps PyTorch\'s state-dict names and shapes as its parameters', () => {
  const model = importOnnx(fixture('mlp').bytes);
  assert.deepEqual(model.paramSpec().map((s) => `${s.path} [${s.shape}]`), [
    'fc1.weight [16,4]', 'fc1.bias [16]', 'fc2.weight [8,16]', 'fc2.bias [8]', 'out.weight [3,8]', 'out.bias [3]',
  ]);
});

test('the CNN\'s BatchNorm running statistics are buffers (in the state dict, not trained)', () => {
  const model = importOnnx(fixture('cnn').bytes);
  assert.deepEqual(Object.keys(model.buffers()), ['bn.running_mean', 'bn.running_var']);
  assert.ok(!model.paramSpec().some((s) => s.path.startsWith('bn.running')));
  assert.ok('bn.running_var' in model.stateDict());
});

/** Labels from a fixed random linear map of the inputs: learnable, not what the imported weights predict. */
function classificationSet(xShape: number[], seed: number): { x: Tensor; y: Tensor } {
  const x = randn(xShape, { rng: new Rng(seed) });
  const flat = x.reshape([xShape[0]!, -1]);
  const w = randn([flat.shape[1]!, 3], { rng: new Rng(seed + 1) });
  return { x, y: argmax(flat.matmul(w), 1) };
}

for (const [name, shape] of [['mlp', [64, 4]], ['cnn', [48, 1, 8, 8]]] as const) {
  test(`${name}.onnx fine-tunes with fit: the loss falls over a few epochs`, () => {
    const model = importOnnx(fixture(name).bytes);
    const { x, y } = classificationSet([...shape], 7);
    const before = model.stateDict()[name === 'mlp' ? 'fc1.weight' : 'conv.weight']!.toFlat();
    const { history } = fit({ model, head: multiclassHead({ numClasses: 3 }), optimizer: new Optimizer(adam({ lr: 0.02 }), model), x, y, epochs: 8, batchSize: 16, seed: 1 });
    assert.ok(history.at(-1)!.loss < 0.8 * history[0]!.loss, `loss ${history[0]!.loss} → ${history.at(-1)!.loss}`);
    const after = model.stateDict()[name === 'mlp' ? 'fc1.weight' : 'conv.weight']!.toFlat();
    assert.notDeepEqual(after, before, 'the first layer\'s weights were trained');
  });
}

for (const name of ['lstm', 'gru']) {
  test(`${name}.onnx fine-tunes with fit on a sequence regression: the loss falls`, () => {
    const model = importOnnx(fixture(name).bytes);
    const x = randn([32, 6, 3], { rng: new Rng(3) });
    const y = x.sum([1, 2]).mul(0.2); // a target the recurrent weights must learn
    const { history } = fit({ model, head: regressionHead(), optimizer: new Optimizer(adam({ lr: 0.02 }), model), x, y, epochs: 8, batchSize: 8, seed: 1 });
    assert.ok(history.at(-1)!.loss < 0.8 * history[0]!.loss, `loss ${history[0]!.loss} → ${history.at(-1)!.loss}`);
  });
}

test('fine-tuned weights round-trip through safetensors into a fresh import (identical outputs)', () => {
  const { bytes, x } = fixture('cnn');
  const tuned = importOnnx(bytes);
  const { x: tx, y: ty } = classificationSet([16, 1, 8, 8], 3);
  fit({ model: tuned, head: multiclassHead({ numClasses: 3 }), optimizer: new Optimizer(adam({ lr: 0.02 }), tuned), x: tx, y: ty, epochs: 2, batchSize: 8, seed: 1 });
  const fresh = importOnnx(bytes);
  fresh.loadStateDict(io.decodeSafetensors(io.encodeSafetensors(tuned.stateDict())).tensors);
  assert.deepEqual(noGrad(() => fresh.forward(x)).toFlat(), noGrad(() => tuned.forward(x)).toFlat());
});
