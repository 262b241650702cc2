// One exportable model per module type and option (shared by the ORT round-trip and checker tests).
import { Rng } from '../../src/core/rng.js';
import { randn } from '../../src/tensor/random.js';
import { noGrad } from '../../src/autograd/graph.js';
import { nn } from '../../src/index.js';
import type { Module } from '../../src/nn/module.js';
import { HyperNetwork } from '../../src/hyper/hypernet.js';

export interface ExportCase { name: string; inputShape: number[]; model: () => Module }

const rng = (): Rng => new Rng(3);

/** Runs a few training-mode batches so BatchNorm's running statistics are not the initial 0 / 1. */
function warmed<M extends Module>(m: M, shape: number[]): M {
  const r = new Rng(11);
  noGrad(() => { for (let i = 0; i < 3; i++) m.train().forward(randn([8, ...shape], { rng: r, std: 2, mean: 0.5 })); });
  return m.eval();
}

const seq = (...layers: Module[]): Module => new nn.Sequential(...layers);
const lin = (i: number, o: number, bias = true): nn.Linear => new nn.Linear(i, o, { rng: rng(), bias });
const img = [2, 7, 7];

export const dense: ExportCase[] = [
  { name: 'Linear', inputShape: [5], model: () => lin(5, 3) },
  { name: 'Linear without bias', inputShape: [5], model: () => lin(5, 3, false) },
  { name: 'IdentityActivation', inputShape: [4], model: () => new nn.IdentityActivation() },
  { name: 'Sigmoid', inputShape: [4], model: () => new nn.Sigmoid() },
  { name: 'Tanh', inputShape: [4], model: () => new nn.Tanh() },
  { name: 'Softsign', inputShape: [4], model: () => new nn.Softsign() },
  { name: 'Hardtanh(-0.5, 1.5)', inputShape: [4], model: () => new nn.Hardtanh(-0.5, 1.5) },
  { name: 'Softplus', inputShape: [4], model: () => new nn.Softplus() },
  { name: 'Softplus beta 2', inputShape: [4], model: () => new nn.Softplus(2) },
  { name: 'ReLU', inputShape: [4], model: () => new nn.ReLU() },
  { name: 'LeakyReLU(0.2)', inputShape: [4], model: () => new nn.LeakyReLU(0.2) },
  { name: 'PReLU', inputShape: [4], model: () => new nn.PReLU(1, 0.3) },
  { name: 'PReLU per channel', inputShape: [4], model: () => { const p = new nn.PReLU(4); (p.params.weight as { data: Float32Array }).data.set([0.1, -0.2, 0.3, 0.5]); return p; } },
  { name: 'Softmax', inputShape: [6], model: () => new nn.Softmax() },
  { name: 'Softmax temperature 0.5', inputShape: [6], model: () => new nn.Softmax(-1, 0.5) },
  { name: 'Softmax learnable temperature', inputShape: [6], model: () => new nn.Softmax(-1, 2, true) },
  { name: 'LogSoftmax', inputShape: [6], model: () => new nn.LogSoftmax() },
  { name: 'LogSoftmax temperature 3 on axis 1 of [N, 3, 4]', inputShape: [3, 4], model: () => new nn.LogSoftmax(1, 3) },
  { name: 'Dropout (identity)', inputShape: [4], model: () => new nn.Dropout(0.5) },
  { name: 'Identity', inputShape: [4], model: () => new nn.Identity() },
  { name: 'Flatten', inputShape: [2, 3, 2], model: () => new nn.Flatten() },
  { name: 'Reshape', inputShape: [12], model: () => new nn.Reshape([3, 4]) },
  { name: 'BatchNorm1d', inputShape: [4], model: () => warmed(new nn.BatchNorm1d(4), [4]) },
  { name: 'BatchNorm1d on [N, C, L] without affine', inputShape: [3, 5], model: () => warmed(new nn.BatchNorm1d(3, { affine: false }), [3, 5]) },
  { name: 'MLP with BatchNorm and Dropout', inputShape: [6], model: () => warmed(nn.mlp({ sizes: [6, 8, 5, 3], activation: 'tanh', batchNorm: true, dropout: 0.2, seed: 2 }), [6]) },
  { name: 'MLP leaky_relu / prelu', inputShape: [6], model: () => seq(nn.mlp({ sizes: [6, 8, 4], activation: 'leaky_relu', alpha: 0.1, seed: 4 }), nn.mlp({ sizes: [4, 5, 2], activation: 'prelu', seed: 5 })) },
  { name: 'Residual', inputShape: [5], model: () => seq(new nn.Residual(seq(lin(5, 5), new nn.ReLU(), lin(5, 5))), lin(5, 2)) },
];

function graph(): Module {
  return new nn.Graph({
    inputs: ['x'], output: 'out', nodes: [
      { name: 'h1', module: lin(4, 6), inputs: ['x'] },
      { name: 'a1', module: new nn.ReLU(), inputs: ['h1'] },
      { name: 'h2', module: lin(4, 6), inputs: ['x'] },
      { name: 'sum', merge: 'add', inputs: ['a1', 'h2', 'h1'] },
      { name: 'prod', merge: 'multiply', inputs: ['sum', 'h2'] },
      { name: 'cat', merge: 'concat', inputs: ['prod', 'x'] },
      { name: 'out', module: lin(10, 3), inputs: ['cat'] },
    ],
  });
}

export const structural: ExportCase[] = [
  { name: 'Graph with add, multiply and concat merges', inputShape: [4], model: graph },
  { name: 'Conv2d', inputShape: img, model: () => new nn.Conv2d(2, 4, 3, { rng: rng() }) },
  { name: 'Conv2d stride 2, padding 1, no bias', inputShape: img, model: () => new nn.Conv2d(2, 3, [3, 2], { stride: 2, padding: [1, 0], bias: false, rng: rng() }) },
  { name: 'Conv2d dilation 2, groups 2', inputShape: img, model: () => new nn.Conv2d(2, 4, 3, { dilation: 2, groups: 2, rng: rng() }) },
  { name: "Conv2d padding 'same' with an even kernel", inputShape: img, model: () => new nn.Conv2d(2, 3, [4, 3], { padding: 'same', dilation: [1, 2], rng: rng() }) },
  { name: 'MaxPool2d', inputShape: img, model: () => new nn.MaxPool2d(2) },
  { name: 'MaxPool2d stride 1, padding 1, dilation 2', inputShape: img, model: () => new nn.MaxPool2d(3, { stride: 1, padding: 1, dilation: 2 }) },
  { name: 'MaxPool2d ceilMode', inputShape: img, model: () => new nn.MaxPool2d(2, { ceilMode: true }) },
  { name: 'MaxPool2d ceilMode, stride 2, padding 1', inputShape: [2, 8, 6], model: () => new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }) },
  { name: 'AvgPool2d', inputShape: img, model: () => new nn.AvgPool2d(2) },
  { name: 'AvgPool2d padding 1 countIncludePad', inputShape: img, model: () => new nn.AvgPool2d(3, { stride: 2, padding: 1 }) },
  { name: 'AvgPool2d padding 1 countIncludePad false', inputShape: img, model: () => new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }) },
  { name: 'AvgPool2d ceilMode', inputShape: img, model: () => new nn.AvgPool2d(2, { ceilMode: true }) },
  { name: 'AvgPool2d ceilMode, padding 1, countIncludePad false', inputShape: [2, 8, 6], model: () => new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }) },
  { name: 'AvgPool2d divisorOverride', inputShape: img, model: () => new nn.AvgPool2d(2, { padding: 1, divisorOverride: 3 }) },
  { name: 'GlobalAvgPool2d', inputShape: img, model: () => new nn.GlobalAvgPool2d() },
  { name: 'GlobalAvgPool2d keepdims', inputShape: img, model: () => new nn.GlobalAvgPool2d(true) },
  { name: 'BatchNorm2d', inputShape: img, model: () => warmed(new nn.BatchNorm2d(2), img) },
  { name: 'PReLU per channel on images', inputShape: img, model: () => { const p = new nn.PReLU(2); (p.params.weight as { data: Float32Array }).data.set([0.1, -0.4]); return p; } },
  {
    name: 'CNN (Reshape, Conv2d, BatchNorm2d, ReLU, MaxPool2d, Flatten, Linear)', inputShape: [64],
    model: () => warmed(seq(new nn.Reshape([1, 8, 8]), new nn.Conv2d(1, 4, 3, { padding: 1, rng: rng() }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), lin(64, 3)), [64]),
  },
];

export const recurrent: ExportCase[] = [
  { name: 'RNN', inputShape: [5, 3], model: () => new nn.RNN(3, 4, { rng: rng() }) },
  { name: 'RNN relu, 2 layers, time-major', inputShape: [5, 3], model: () => new nn.RNN(3, 4, { nonlinearity: 'relu', numLayers: 2, batchFirst: false, rng: rng() }) },
  { name: 'LSTM', inputShape: [6, 3], model: () => new nn.LSTM(3, 5, { rng: rng() }) },
  { name: 'LSTM 2 layers without bias', inputShape: [6, 3], model: () => new nn.LSTM(3, 5, { numLayers: 2, bias: false, rng: rng() }) },
  { name: 'GRU', inputShape: [6, 3], model: () => new nn.GRU(3, 5, { rng: rng() }) },
  { name: 'GRU 2 layers, time-major', inputShape: [6, 3], model: () => new nn.GRU(3, 5, { numLayers: 2, batchFirst: false, rng: rng() }) },
  { name: 'LSTM → LastStep → Linear', inputShape: [6, 2], model: () => seq(new nn.LSTM(2, 4, { rng: rng() }), new nn.LastStep(), lin(4, 1)) },
  { name: 'GRU → Linear on every step', inputShape: [4, 2], model: () => seq(new nn.GRU(2, 4, { rng: rng() }), lin(4, 2)) },
];

export const hyper: ExportCase[] = [
  { name: 'HyperNetwork task 1 target', inputShape: [3], model: () => { const h = new HyperNetwork({ target: nn.mlp({ sizes: [3, 6, 2], seed: 1 }), condition: { kind: 'task', numTasks: 3, dim: 2 }, seed: 1 }); h.task = 1; return h; } },
  { name: 'HyperNetwork chunked, noise z = 0', inputShape: [3], model: () => new HyperNetwork({ target: nn.mlp({ sizes: [3, 5, 2], activation: 'tanh', seed: 1 }), condition: { kind: 'noise', dim: 3 }, chunkSize: 8, seed: 2 }) },
];

export const allCases: ExportCase[] = [...dense, ...structural, ...recurrent, ...hyper];
