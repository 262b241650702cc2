// exportOnnx: every module type runs in ONNX Runtime with outputs within 1e-5 of neurite's (batch 1 and 3:
// the batch dim is dynamic), initializers carry state-dict names, and onnx.checker accepts every file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn } from '../../src/index.js';
import { exportOnnx } from '../../src/io/onnx/export.js';
import { decodeOnnxModel } from '../../src/io/onnx/proto.js';
import { HyperNetwork } from '../../src/hyper/hypernet.js';
import { checkAgainstOrt, onnxCheckerFailures, onnxCheckerMissing } from './onnx-export-helpers.js';
import { allCases } from './onnx-export-cases.js';

const exported: { name: string; bytes: Uint8Array }[] = [];

for (const c of allCases) {
  test(`ONNX Runtime matches neurite: ${c.name}`, async () => {
    const model = c.model();
    const bytes = exportOnnx(model, { inputShape: c.inputShape });
    exported.push({ name: c.name, bytes });
    await checkAgainstOrt(bytes, model, c.inputShape);
  });
}

test('initializers are named by state-dict keys (constants aside)', () => {
  const model = nn.mlp({ sizes: [4, 6, 2], batchNorm: true, seed: 1 });
  const graph = decodeOnnxModel(exportOnnx(model, { inputShape: [4] })).graph as { initializer: { name: string }[]; input: { name: string }[] };
  const names = graph.initializer.map((i) => i.name).filter((n) => !n.startsWith('const:'));
  assert.deepEqual(names.sort(), Object.keys(model.stateDict()).filter((k) => !k.endsWith('num_batches_tracked')).sort());
  assert.deepEqual(graph.input.map((i) => i.name), ['input']);
});

test('the batch dim is dynamic (dim_param "batch") and the rest fixed', () => {
  const g = decodeOnnxModel(exportOnnx(nn.mlp({ sizes: [4, 2], seed: 1 }), { inputShape: [4] })).graph as { input: { type: { tensor_type: { shape: { dim: unknown[] } } } }[]; output: { type: { tensor_type: { shape: { dim: unknown[] } } } }[] };
  assert.deepEqual(g.input[0]!.type.tensor_type.shape.dim, [{ dim_param: 'batch' }, { dim_value: 4 }]);
  assert.deepEqual(g.output[0]!.type.tensor_type.shape.dim, [{ dim_param: 'batch' }, { dim_value: 2 }]);
});

test('a hypernetwork exports the target generated for the chosen task', async () => {
  const h = new HyperNetwork({ target: nn.mlp({ sizes: [3, 4, 2], seed: 1 }), condition: { kind: 'task', numTasks: 3, dim: 2 }, seed: 5 });
  const bytes = exportOnnx(h, { inputShape: [3], task: 2 });
  const tree = h.targetParams(h.params, { task: 2 });
  await checkAgainstOrt(bytes, h, [3], { expected: (x) => h.target.apply(tree, x) });
  assert.equal(h.task, 0, 'the hypernet itself is left as it was');
  const names = (decodeOnnxModel(bytes).graph as { initializer: { name: string }[] }).initializer.map((i) => i.name).filter((n) => !n.startsWith('const:'));
  assert.deepEqual(names.sort(), Object.keys(h.target.stateDict()).sort(), 'the plain target\'s state-dict names');
});

test('export leaves the model in training mode if it was', () => {
  const m = nn.mlp({ sizes: [3, 4, 2], dropout: 0.5, seed: 1 });
  m.train();
  exportOnnx(m, { inputShape: [3] });
  assert.ok(m.training && (m.layers[2] as nn.Dropout).training);
});

test("hypernet: 'graph' exports generator, embeddings and target together, named by the hypernet's state dict", async () => {
  const cases: HyperNetwork[] = [
    new HyperNetwork({ target: nn.mlp({ sizes: [3, 4, 2], seed: 1 }), condition: { kind: 'task', numTasks: 3, dim: 2 }, seed: 5 }),
    new HyperNetwork({ target: nn.mlp({ sizes: [3, 5, 2], batchNorm: true, seed: 1 }), condition: { kind: 'task', numTasks: 2, dim: 3 }, chunkSize: 7, chunkDim: 2, seed: 6 }),
    new HyperNetwork({ target: nn.mlp({ sizes: [3, 5, 2], activation: 'tanh', seed: 1 }), condition: { kind: 'noise', dim: 3 }, chunkSize: 8, seed: 2 }),
  ];
  for (const h of cases) {
    const task = h.opts.condition.kind === 'task' ? 1 : undefined;
    const bytes = exportOnnx(h, { inputShape: [3], hypernet: 'graph', ...(task === undefined ? {} : { task }) });
    exported.push({ name: `hypernet graph ${h.describe()}`, bytes });
    if (task !== undefined) h.task = task;
    await checkAgainstOrt(bytes, h, [3]);
    const names = (decodeOnnxModel(bytes).graph as { initializer: { name: string }[] }).initializer.map((i) => i.name).filter((n) => !n.startsWith('const:'));
    assert.deepEqual(names.sort(), Object.keys(h.stateDict()).filter((k) => !k.endsWith('num_batches_tracked')).sort());
  }
  assert.throws(() => exportOnnx(cases[0]!, { inputShape: [3], hypernet: 'all' as never }), /exportOnnx: hypernet must be 'target' or 'graph', got "all"/);
});

test('onnx.checker (full_check) accepts every exported file', { skip: onnxCheckerMissing }, () => {
  assert.ok(exported.length >= allCases.length + 3, 'the round-trip tests ran first');
  assert.deepEqual(onnxCheckerFailures(exported), []);
});
