// Tests of gradient-flow diagnostics: gradient norms, activation statistics, warnings, the fit callback, the SVG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tensor, randn, Rng } from '../../src/index.js';
import { Linear } from '../../src/nn/linear.js';
import { ReLU, Sigmoid, Tanh } from '../../src/nn/activations.js';
import { Sequential } from '../../src/nn/containers.js';
import { BatchNorm1d } from '../../src/nn/layers.js';
import { Graph } from '../../src/nn/graph.js';
import { mlp } from '../../src/nn/mlp.js';
import { regressionHead } from '../../src/heads/heads.js';
import { Optimizer } from '../../src/optim/optimizer.js';
import { sgd } from '../../src/optim/optimizers.js';
import { fit } from '../../src/train/fit.js';
import { activationStats, checkGradientFlow, firstLastRatio, gradientNormSvg, gradientNorms } from '../../src/train/gradient-flow.js';
import { gradientFlowCallback } from '../../src/train/diagnostics.js';

test('gradientNorms matches hand-computed norms of a linear layer', () => {
  const lin = new Linear(2, 1);
  lin.params = { weight: tensor([[1, 2]], { requiresGrad: true }), bias: tensor([0.5], { requiresGrad: true }) };
  const x = tensor([[3, 4], [1, -1]]);
  lin.forward(x).sum().backward();
  // ∂/∂w = Σ_rows x = [4, 3] (norm 5); ∂/∂b = 2.
  const n = gradientNorms(lin);
  assert.deepEqual(n.parameters.map((p) => [p.name, p.norm]), [['weight', 5], ['bias', 2]]);
  assert.equal(n.layers.length, 1);
  assert.ok(Math.abs(n.total - Math.sqrt(29)) < 1e-6);
});

test('gradientNorms groups by layer and flags parameters without gradients', () => {
  const net = mlp({ sizes: [3, 4, 2], seed: 1 });
  const n0 = gradientNorms(net);
  assert.deepEqual(n0.layers.map((l) => l.layer), ['0', '2']);
  assert.ok(n0.parameters.every((p) => !p.hasGrad && p.norm === 0 && p.paramNorm > 0));
  net.forward(randn([5, 3], { rng: new Rng(1) })).square().mean().backward();
  const n1 = gradientNorms(net);
  const w0 = n1.parameters.find((p) => p.name === '0.weight')!, b0 = n1.parameters.find((p) => p.name === '0.bias')!;
  assert.ok(Math.abs(n1.layers[0]!.norm - Math.hypot(w0.norm, b0.norm)) < 1e-9);
});

test('a deep sigmoid MLP triggers the vanishing warning, a shallow ReLU one does not', () => {
  const x = randn([32, 16], { rng: new Rng(2) });
  const deep = mlp({ sizes: [16, ...Array(12).fill(16), 1], activation: 'sigmoid', seed: 3 });
  deep.forward(x).square().mean().backward();
  const nd = gradientNorms(deep);
  assert.ok(firstLastRatio(nd) < 1e-3, `ratio ${firstLastRatio(nd)}`);
  assert.deepEqual(checkGradientFlow(nd).map((w) => w.kind), ['vanishing']);
  const shallow = mlp({ sizes: [16, 16, 1], activation: 'relu', init: 'he', seed: 3 });
  shallow.forward(x).square().mean().backward();
  assert.deepEqual(checkGradientFlow(gradientNorms(shallow)), []);
  assert.deepEqual(checkGradientFlow(gradientNorms(shallow), { explodeNorm: 1e-9 }).map((w) => w.kind), ['exploding']);
});

test('activationStats counts dead ReLUs and saturated sigmoids/tanh', () => {
  const lin = new Linear(2, 3);
  // unit 0 always > 0, unit 1 always 0 (dead), unit 2 sometimes.
  lin.params = { weight: tensor([[1, 0], [-1, 0], [0, 1]], { requiresGrad: true }), bias: tensor([0, 0, 0], { requiresGrad: true }) };
  const x = tensor([[1, 1], [2, -1]]);
  const stats = activationStats(new Sequential(lin, new ReLU()), x);
  assert.equal(stats[1]!.kind, 'ReLU');
  assert.ok(Math.abs(stats[1]!.deadFraction! - 1 / 3) < 1e-12);
  const h = [1, 0, 1, 2, 0, 0];
  const mean = h.reduce((a, b) => a + b) / 6;
  assert.ok(Math.abs(stats[1]!.mean - mean) < 1e-6);
  assert.ok(Math.abs(stats[1]!.std - Math.sqrt(h.reduce((a, v) => a + (v - mean) ** 2, 0) / 6)) < 1e-6);
  const big = tensor([[10, -10, 0.1, 0]]);
  const sat = activationStats(new Sequential(new Sigmoid()), big)[0]!;
  assert.equal(sat.saturatedFraction, 0.5);
  assert.equal(activationStats(new Sequential(new Tanh()), big)[0]!.saturatedFraction, 0.5);
  assert.equal(sat.deadFraction, undefined);
});

test('activationStats works on graphs and leaves BatchNorm running statistics unchanged', () => {
  const bn = new BatchNorm1d(3);
  const g = new Graph({ inputs: ['x'], output: 's', nodes: [
    { name: 'h', module: new Linear(3, 3), inputs: ['x'] }, { name: 'bn', module: bn, inputs: ['h'] },
    { name: 'r', module: new ReLU(), inputs: ['bn'] }, { name: 's', merge: 'add', inputs: ['r', 'x'] }] });
  const before = [...bn.runningMean.data];
  const stats = activationStats(g, randn([8, 3], { rng: new Rng(4) }).add(5));
  assert.deepEqual(stats.map((s) => s.kind), ['Linear(3→3)', 'BatchNorm1d(3)', 'ReLU', 'add']);
  assert.ok(Math.abs(stats[1]!.mean) < 1e-5, 'batch-normalised mean ≈ 0');
  assert.deepEqual([...bn.runningMean.data], before);
  assert.throws(() => activationStats(new Linear(2, 2) as never, tensor([[1, 2]])), /Sequential or Graph/);
});

test('gradientFlowCallback records per-epoch norms, warns, and the SVG shows every layer', () => {
  const rng = new Rng(5);
  const x = randn([64, 8], { rng }), y = x.sum(1, true);
  const model = mlp({ sizes: [8, ...Array(10).fill(8), 1], activation: 'sigmoid', seed: 6 });
  const seen: string[] = [];
  const flow = gradientFlowCallback(model, { every: 2, onWarning: (w) => seen.push(w.kind), probe: x });
  fit({ model, head: regressionHead(), optimizer: new Optimizer(sgd({ lr: 0.01 }), model), x, y, epochs: 3, batchSize: 16, callbacks: [flow] });
  assert.equal(flow.records.length, 3);
  assert.equal(flow.records[0]!.layers.length, 11);
  assert.ok(flow.records.every((r) => r.norms.every((v) => v > 0 && Number.isFinite(v))));
  assert.deepEqual(seen, ['vanishing', 'vanishing', 'vanishing']);
  assert.equal(flow.activations.length, 3);
  assert.ok(flow.activations[0]!.stats.some((s) => s.saturatedFraction !== undefined));
  const svg = gradientNormSvg(flow.records);
  assert.ok(svg.startsWith('<svg'));
  assert.equal((svg.match(/<rect [^>]*><title>/g) ?? []).length, 3 * 11, 'one cell per layer and epoch');
  assert.throws(() => gradientNormSvg([]), /no records/);
});

/** Runs an example with --quick and parses the JSON line it ends with. */
function runExample(name: string): Record<string, unknown> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', `examples/${name}`, '--quick'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${name} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

test('examples/vanishing-gradients.ts --quick: sigmoid ratio vanishes, ReLU+He does not', () => {
  const out = runExample('vanishing-gradients.ts');
  const ratios = out.ratios as Record<string, number>;
  assert.equal(out.depth, 20);
  assert.ok(ratios.sigmoid_uniform! < 1e-3, `sigmoid ratio ${ratios.sigmoid_uniform}`);
  assert.ok(ratios.relu_he! > 0.1 && ratios.relu_he! < 10, `relu+he ratio ${ratios.relu_he}`);
});

test('examples/exploding-gradients.ts --quick: SGD diverges without clipping and converges with it', () => {
  const out = runExample('exploding-gradients.ts');
  assert.equal(out.divergedWithoutClipping, true);
  assert.equal(out.convergedWithClipping, true);
});
