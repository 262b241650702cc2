// HyperNetwork: gradients reach the generator and embeddings, chunk coverage, per-sample = loop, init scale, save/load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, tensor, randn, gradcheck, nn, tree, regressionHead, serializeModel, deserializeModel } from '../../src/index.js';
import { HyperNetwork, predictStochastic, snapshotTaskOutputs, outputRegularizer, DeepEnsemble, meanStd, weightDiversity } from '../../src/hyper/index.js';
import { Rng } from '../../src/core/rng.js';
import { narrow, reshape } from '../../src/ops/movement.js';

const small = (seed = 1): nn.Sequential => nn.mlp({ sizes: [2, 3, 1], activation: 'tanh', seed });

/** Runs gradcheck on hyper.apply with float64 copies of all its parameters as inputs. */
function checkHyperGrads(hyper: HyperNetwork, x: Tensor): void {
  const ents = tree.entries(hyper.params);
  const inputs = ents.map(([, t]) => t.cast('float64').detach().requireGrad());
  const fn = (...ls: Tensor[]): Tensor => hyper.apply(tree.fromEntries(ents.map(([p], i) => [p, ls[i]!])) as nn.Params, x);
  assert.ok(gradcheck(fn, inputs, { atol: 1e-5, rtol: 1e-3 }).ok);
}

test('gradients reach generator, task embeddings and chunk embeddings (gradcheck, chunked)', () => {
  const hyper = new HyperNetwork({ target: small(), condition: { kind: 'task', numTasks: 2, dim: 2 }, hidden: [4], chunkSize: 5, chunkDim: 2, activation: 'tanh', seed: 3 });
  hyper.task = 1;
  checkHyperGrads(hyper, randn([3, 2], { rng: new Rng(4), dtype: 'float64' }));
  const names = tree.entries(hyper.params).map(([p]) => p);
  assert.ok(names.includes('taskEmbeddings') && names.includes('chunkEmbeddings') && names.includes('generator.0.weight'));
});

test('gradients reach an input-conditioned hypernet (gradcheck, per-sample weights)', () => {
  const hyper = new HyperNetwork({ target: small(), condition: { kind: 'input', dim: 2 }, hidden: [3], activation: 'tanh', seed: 5 });
  checkHyperGrads(hyper, randn([3, 4], { rng: new Rng(6), dtype: 'float64' }));
});

test('only the selected task embedding gets a gradient from the task loss', () => {
  const hyper = new HyperNetwork({ target: small(), condition: { kind: 'task', numTasks: 3, dim: 2 }, seed: 2 });
  hyper.task = 2;
  hyper.forward(randn([4, 2], { rng: new Rng(1) })).sum().backward();
  const g = (hyper.params.taskEmbeddings as Tensor).grad!;
  assert.deepEqual([...g.data.slice(0, 4)], [0, 0, 0, 0]);
  assert.ok(Math.abs(g.data[4]!) + Math.abs(g.data[5]!) > 0);
});

test('chunking covers every target weight exactly once', () => {
  const target = nn.mlp({ sizes: [3, 4, 2], seed: 1 });            // 26 parameters
  const hyper = new HyperNetwork({ target, condition: { kind: 'task', numTasks: 1, dim: 2 }, chunkSize: 7, chunkDim: 3, seed: 1 });
  assert.deepEqual({ ...hyper.plan! }, { total: 26, size: 7, chunks: 4, padding: 2 });
  const lastBias = (hyper.generator.layers[2] as nn.Linear).params.bias as Tensor;
  const ce = hyper.params.chunkEmbeddings as Tensor;
  const seen = new Set<string>();
  for (let p = 0; p < 26; p++) {
    tree.leaves(hyper.params).forEach((t) => (t.grad = null));
    narrow(hyper.generate(hyper.params, hyper.condition(hyper.params)), 1, p, 1).sum().backward();
    const slots = [...lastBias.grad!.data].flatMap((v, j) => (v !== 0 ? [j] : []));
    const chunks = [0, 1, 2, 3].filter((c) => [0, 1, 2].some((k) => ce.grad!.data[c * 3 + k] !== 0));
    assert.equal(slots.length, 1, `target ${p} must come from one output slot, got ${slots}`);
    assert.equal(chunks.length, 1, `target ${p} must come from one chunk, got ${chunks}`);
    seen.add(`${chunks[0]}:${slots[0]}`);
  }
  assert.equal(seen.size, 26);
});

test('per-sample generated networks equal a loop over examples', () => {
  const target = nn.mlp({ sizes: [3, 5, 2], activation: 'relu', seed: 2 });
  const hyper = new HyperNetwork({ target, condition: { kind: 'input', dim: 2 }, hidden: [8], seed: 7 });
  const x = randn([6, 5], { rng: new Rng(8) });
  const batched = hyper.forward(x);
  for (let i = 0; i < 6; i++) {
    const row = narrow(x, 0, i, 1);
    const w = hyper.generate(hyper.params, narrow(row, 1, 0, 2));
    const one = target.apply(tree.unflatten(hyper.targetSpec, reshape(w, [w.size])) as nn.Params, narrow(row, 1, 2, 3));
    for (let j = 0; j < 2; j++) assert.ok(Math.abs(one.data[j]! - batched.data[i * 2 + j]!) < 1e-5);
  }
});

test('compression ratio counts own parameters over generated ones', () => {
  const target = nn.mlp({ sizes: [784, 100, 10] });
  const hyper = new HyperNetwork({ target, condition: { kind: 'task', numTasks: 1, dim: 4 }, hidden: [16], chunkSize: 1000, chunkDim: 8, seed: 1 });
  const own = 4 + 80 * 8 + (12 * 16 + 16) + (16 * 1000 + 1000);
  assert.equal(hyper.targetCount(), 79510);
  assert.equal(hyper.numParams(), own);
  assert.ok(Math.abs(hyper.compressionRatio() - own / 79510) < 1e-12);
});

test('hyperfan init: generated weights start near gain/sqrt(fan_in)', () => {
  const target = nn.mlp({ sizes: [64, 32, 10] });
  const hyper = new HyperNetwork({ target, condition: { kind: 'task', numTasks: 4, dim: 8 }, hidden: [32], seed: 11 });
  const t = hyper.targetParams(hyper.params);
  const w0 = (t['0'] as nn.Params).weight as Tensor, w2 = (t['2'] as nn.Params).weight as Tensor;
  const std = (w: Tensor): number => Math.sqrt([...w.data].reduce((s, v) => s + v * v, 0) / w.size);
  assert.ok(Math.abs(std(w0) * 8 - 1) < 0.35, `first layer std ${std(w0)} vs 1/8`);
  assert.ok(Math.abs(std(w2) * Math.sqrt(32) - 1) < 0.35, `second layer std ${std(w2)} vs 1/sqrt(32)`);
  const off = new HyperNetwork({ target, condition: { kind: 'task', numTasks: 4, dim: 8 }, hidden: [32], seed: 11, hyperfan: false });
  assert.ok(std((off.targetParams(off.params)['0'] as nn.Params).weight as Tensor) * 8 > 1.5, 'without hyperfan the scale is not fan-in aware');
});

test('a hypernetwork saves and loads like any model', () => {
  const hyper = new HyperNetwork({ target: small(), condition: { kind: 'task', numTasks: 2, dim: 3 }, chunkSize: 4, seed: 9 });
  hyper.task = 1;
  const x = randn([5, 2], { rng: new Rng(2) });
  const { json, weights } = serializeModel({ module: hyper, head: regressionHead() });
  const back = deserializeModel(JSON.parse(JSON.stringify(json)), weights).module as HyperNetwork;
  back.task = 1;
  assert.deepEqual([...back.forward(x).data], [...hyper.forward(x).data]);
});

test('output regulariser is 0 at the snapshot and grows when outputs move', () => {
  const hyper = new HyperNetwork({ target: small(), condition: { kind: 'task', numTasks: 3, dim: 2 }, seed: 4 });
  const snap = snapshotTaskOutputs(hyper, [0, 1]);
  assert.equal(outputRegularizer(hyper, hyper.params, snap).item(), 0);
  (hyper.params.taskEmbeddings as Tensor).data[0]! += 0.5;
  assert.ok(outputRegularizer(hyper, hyper.params, snap).item() > 0);
  assert.throws(() => outputRegularizer(hyper, hyper.params, new Map()), /snapshot is empty/);
});

test('stochastic hypernet: std > 0 with noise, exactly 0 with noise off', () => {
  const hyper = new HyperNetwork({ target: nn.mlp({ sizes: [1, 8, 1], seed: 1 }), condition: { kind: 'noise', dim: 3 }, seed: 1 });
  const x = tensor([[-1], [0], [2]]);
  assert.ok(Math.min(...predictStochastic(hyper, x, 10).std.data) > 0);
  hyper.noise = false;
  assert.deepEqual([...predictStochastic(hyper, x, 10).std.data], [0, 0, 0]);
  assert.ok(weightDiversity(hyper.generate(hyper.params, randn([3, 3], { rng: new Rng(1) }))).item() < weightDiversity(hyper.generate(hyper.params, randn([3, 3], { rng: new Rng(1), std: 0.01 }))).item());
});

test('meanStd and DeepEnsemble give the per-output mean and population std', () => {
  const { mean, std } = meanStd(tensor([[[1], [2]], [[3], [6]]]));
  assert.deepEqual([...mean.data], [2, 4]);
  assert.deepEqual([...std.data], [1, 2]);
  const ens = new DeepEnsemble([1, 2, 3].map((s) => nn.mlp({ sizes: [1, 4, 1], seed: s })));
  const x = tensor([[0.5]]);
  const outs = ens.members.map((m) => m.forward(x).data[0]!);
  const mu = outs.reduce((a, b) => a + b) / 3;
  assert.ok(Math.abs(ens.predict(x).mean.data[0]! - mu) < 1e-6);
  assert.equal(ens.numParams(), 3 * 13);
});

test('train/eval reach the target; its BatchNorm statistics save and load; noise uses z = 0 in eval mode', () => {
  const target = nn.mlp({ sizes: [2, 4, 1], batchNorm: true, dropout: 0.5, seed: 1 });
  const hyper = new HyperNetwork({ target, condition: { kind: 'noise', dim: 3 }, seed: 2 });
  const x = randn([8, 2], { rng: new Rng(7) });
  hyper.forward(x);                                                // training: BatchNorm updates its running statistics
  assert.ok(Object.keys(hyper.buffers()).includes('target.1.running_mean'));
  const rm = hyper.buffers()['target.1.running_mean']!;
  assert.ok([...rm.data].some((v) => v !== 0), 'running mean must have moved');
  hyper.eval();
  assert.equal(target.training, false);
  assert.ok(target.layers.every((l) => !l.training));
  const a = hyper.forward(x), b = hyper.forward(x);
  assert.deepEqual([...a.data], [...b.data]);                      // deterministic: z = 0, no dropout
  const { json, weights } = serializeModel({ module: hyper, head: regressionHead() });
  const back = deserializeModel(JSON.parse(JSON.stringify(json)), weights).module as HyperNetwork;
  assert.deepEqual([...back.buffers()['target.1.running_mean']!.data], [...rm.data]);
  assert.deepEqual([...back.eval().forward(x).data], [...a.data]);
  hyper.train();
  assert.notDeepEqual([...hyper.forward(x).data], [...hyper.forward(x).data]);   // a sampled net per call
});
