// exportOnnx options and refusals: head output activations, opsets 13–17, and one clear error
// naming every unsupported module (path and type) or bad option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mul } from '../../src/ops/elementwise.js';
import { type Tensor, tensor } from '../../src/tensor/tensor.js';
import { data, nn } from '../../src/index.js';
import { randn } from '../../src/tensor/random.js';
import { Rng } from '../../src/core/rng.js';
import { exportOnnx } from '../../src/io/onnx/export.js';
import { decodeOnnxModel } from '../../src/io/onnx/proto.js';
import { HyperNetwork } from '../../src/hyper/hypernet.js';
import { AdaptiveDepthNet } from '../../src/hyper/adaptive.js';
import { checkAgainstOrt, maxAbsDiff, runOrt } from './onnx-export-helpers.js';

const heads: [string, nn.Head, number][] = [
  ['multiclass cross-entropy → Softmax', nn.multiclassHead({ numClasses: 3 }), 3],
  ['multiclass multi-margin → raw scores', nn.multiclassHead({ numClasses: 3, loss: 'multi_margin' }), 3],
  ['binary BCE → Sigmoid', nn.binaryHead(), 1],
  ['binary hinge → raw scores', nn.binaryHead({ loss: 'hinge', margin: 1 }), 1],
  ['regression tanh range [2, 7]', nn.regressionHead({ activation: 'tanh', range: [2, 7] }), 1],
  ['regression relu', nn.regressionHead({ activation: 'relu' }), 1],
  ['regression softplus', nn.regressionHead({ activation: 'softplus' }), 1],
  ['vector regression → raw outputs', nn.vectorRegressionHead(2), 2],
];

for (const [name, head, k] of heads) {
  test(`outputActivation: ${name}`, async () => {
    const net = nn.mlp({ sizes: [4, 6, k], seed: 3 });
    const bytes = exportOnnx(net, { inputShape: [4], outputActivation: head });
    await checkAgainstOrt(bytes, net, [4], { expected: (x) => head.activate(net.forward(x)) });
  });
}

for (const opset of [13, 15, 17]) {
  test(`opset ${opset}: an LSTM classifier and a CNN run in ONNX Runtime`, async () => {
    const lstm = new nn.Sequential(new nn.LSTM(2, 4), new nn.LastStep(), new nn.Linear(4, 3), new nn.Softmax());
    const cnn = new nn.Sequential(new nn.Conv2d(1, 2, 3, { padding: 1 }), new nn.BatchNorm2d(2), new nn.AvgPool2d(2, { ceilMode: true }), new nn.Flatten(), new nn.Linear(18, 2));
    for (const [m, shape] of [[lstm, [5, 2]], [cnn, [1, 5, 5]]] as const) {
      const bytes = exportOnnx(m, { inputShape: shape, opset });
      assert.deepEqual(decodeOnnxModel(bytes).opset_import, [{ domain: '', version: opset }]);
      await checkAgainstOrt(bytes, m, shape);
    }
  });
}

class Square extends nn.Stateless {
  call(x: Tensor): Tensor { return mul(x, x); }
  describe(): string { return 'Square'; }
  toJSON(): nn.ModuleJSON { return { type: 'Square' }; }
}

test('unsupported modules: one error naming each by path and type', () => {
  const model = new nn.Sequential(new nn.Linear(3, 3), new Square(), new nn.Residual(new nn.Sequential(new nn.Linear(3, 3), new Square())));
  assert.throws(() => exportOnnx(model, { inputShape: [3] }), (e: Error) => {
    assert.match(e.message, /^exportOnnx: cannot export 2 modules: "1" Square: no ONNX export rule for this module type; "2\.body\.1" Square: no ONNX export rule for this module type\. Supported module types: .*Linear/);
    return true;
  });
});

test('a subclass of a supported layer is not exported as its parent', () => {
  class ScaledTanh extends nn.Tanh {}
  assert.throws(() => exportOnnx(new ScaledTanh(), { inputShape: [2] }), /cannot export 1 module: \(root\) Tanh: no ONNX export rule/);
});

test('an input-conditioned hypernetwork has no single target to export', () => {
  const h = new HyperNetwork({ target: nn.mlp({ sizes: [2, 3, 1], seed: 1 }), condition: { kind: 'input', dim: 1 } });
  assert.throws(() => exportOnnx(h, { inputShape: [3] }), /\(root\) HyperNetwork: 'input' conditioning generates one network per example; there is no single target network to export/);
});

test('AdaptiveDepthNet (data-dependent depth) is unsupported', () => {
  assert.throws(() => exportOnnx(new AdaptiveDepthNet({ inputs: 2, outputs: 2, maxDepth: 2 }), { inputShape: [2] }), /\(root\) AdaptiveDepthNet: no ONNX export rule/);
});

test('a multi-input Graph is refused by name', () => {
  const g = new nn.Graph({ inputs: ['a', 'b'], output: 's', nodes: [{ name: 's', merge: 'add', inputs: ['a', 'b'] }] });
  assert.throws(() => exportOnnx(g, { inputShape: [2] }), /exportOnnx: module \(root\) \(Graph\) fails on an input of shape \[N, 2\]: Graph: this graph has 2 inputs \(a, b\)/);
});

test('bad options are errors naming the option', () => {
  const net = nn.mlp({ sizes: [2, 1], seed: 1 });
  assert.throws(() => exportOnnx(net, { inputShape: [2], opset: 12 }), /exportOnnx: opset must be an integer from 13 to 17, got 12/);
  assert.throws(() => exportOnnx(net, { inputShape: [2], opset: 18 }), /opset must be an integer from 13 to 17, got 18/);
  assert.throws(() => exportOnnx(net, { inputShape: [] }), /exportOnnx: inputShape must list the positive integer dims of one example \(no batch dim\), e\.g\. \[784\] or \[1, 28, 28\]; got \[\]/);
  assert.throws(() => exportOnnx(net, { inputShape: [2], opsett: 17 } as never), /exportOnnx.*opsett/);
  assert.throws(() => exportOnnx(net, { inputShape: [3] }), /exportOnnx: module \(root\) \(Sequential\) fails on an input of shape \[N, 3\]: .*Linear/);
});

test('a task out of range, or a task for a model without a task-conditioned hypernetwork, is an error', () => {
  const h = new HyperNetwork({ target: nn.mlp({ sizes: [2, 3, 1], seed: 1 }), condition: { kind: 'task', numTasks: 2, dim: 2 } });
  assert.throws(() => exportOnnx(h, { inputShape: [2], task: 5 }), /task 5 is out of range 0\.\.1/);
  assert.throws(() => exportOnnx(nn.mlp({ sizes: [2, 1], seed: 1 }), { inputShape: [2], task: 1 }), /exportOnnx: task 1 was given, but the model holds no task-conditioned HyperNetwork; drop the task option/);
});

test('inputTransform / outputTransform: a fitted scaler and target unscaling are baked in', async () => {
  const x = randn([20, 3], { rng: new Rng(1), std: 5, mean: 2 });
  for (const scaler of [new data.StandardScaler().fit(x), new data.MinMaxScaler({ featureRange: [-1, 1] }).fit(x)]) {
    const net = nn.mlp({ sizes: [3, 4, 1], seed: 2 });
    const unscale = (y: Tensor): Tensor => mul(y, 3);
    const bytes = exportOnnx(net, { inputShape: [3], inputTransform: (v) => scaler.transform(v), outputTransform: unscale });
    await checkAgainstOrt(bytes, net, [3], { expected: (v) => unscale(net.forward(scaler.transform(v))) });
  }
});

test('a transform that is not per-feature affine is refused', () => {
  const net = nn.mlp({ sizes: [2, 1], seed: 1 });
  assert.throws(() => exportOnnx(net, { inputShape: [2], inputTransform: (v) => mul(v, v) }), /exportOnnx: inputTransform is not a per-feature affine map \(feature 0: .*\); only such maps \(feature scalers\) export as ONNX/);
  assert.throws(() => exportOnnx(new nn.Flatten(), { inputShape: [2, 2], inputTransform: (v) => v }), /inputTransform needs a flat input \(inputShape \[features\]\), got inputShape \[2, 2\]/);
});

test('activations stay within 1e-5 on inputs of magnitude up to 100 (no overflow in either runtime)', async () => {
  const x = tensor([[100, -100, 50, 89, -89, 0.5, -30, 30]]);
  for (const m of [new nn.Softplus(), new nn.Softplus(2), new nn.Sigmoid(), new nn.Tanh(), new nn.Softsign(), new nn.Softmax(), new nn.LogSoftmax(), new nn.LeakyReLU(0.1)]) {
    const got = await runOrt(exportOnnx(m, { inputShape: [8] }), x);
    assert.ok(maxAbsDiff(got.data, m.forward(x).data) <= 1e-5, m.describe());
  }
});

test('a float64 model exports in float32 and agrees within 1e-5', async () => {
  const net = nn.mlp({ sizes: [4, 6, 2], dtype: 'float64', seed: 1 });
  await checkAgainstOrt(exportOnnx(net, { inputShape: [4] }), net, [4]);
});
