// Unknown option keys of every layer, head, optimizer and module JSON are errors naming the key and the allowed ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, optim, zeros, maxPool2d, avgPool2d, conv2d, fit, evaluate, regressionHead, Optimizer, sgd } from '../../src/index.js';
import { HyperNetwork, AdaptiveDepthNet } from '../../src/hyper/index.js';
import { checkOptions } from '../../src/core/options.js';
import { resolveConfig } from '../../src/node/cli/config.js';
import { buildModel } from '../../src/node/cli/build.js';

const unknown = (where: string, key: string): RegExp => new RegExp(`${where}: unknown option "${key}"[^;]*; known options are `);

test('checkOptions names the key, suggests the near one, and lists the allowed keys', () => {
  assert.throws(() => checkOptions('Linear', { bais: false }, ['bias', 'init']), {
    message: 'Linear: unknown option "bais" (did you mean "bias"?); known options are bias, init',
  });
  assert.throws(() => checkOptions('x', { a: 1, zzz: 2, qqq: 3 }, ['a']), /x: unknown options "zzz", "qqq"; known options are a/);
  assert.throws(() => checkOptions('x', JSON.parse('{"__proto__": 1}'), ['a']), /unknown option "__proto__"/);
  assert.throws(() => checkOptions('x', 3, ['a']), /x: options must be an object, got 3/);
  checkOptions('x', { a: 1, b: undefined }, ['a']);
});

test('MaxPool2d(2, { ceilMode }) is supported; a torch option neurite lacks is an error, not ignored', () => {
  assert.deepEqual(new nn.MaxPool2d(2, { ceilMode: true }).forward(zeros([1, 1, 5, 5])).shape, [1, 1, 3, 3]);
  assert.throws(() => new nn.MaxPool2d(2, { returnIndices: true } as never), {
    message: 'MaxPool2d: unknown option "returnIndices"; known options are stride, padding, dilation, ceilMode',
  });
  assert.throws(() => new nn.AvgPool2d(2, { dilation: 2 } as never), unknown('AvgPool2d', 'dilation'));
  assert.throws(() => new nn.Conv2d(1, 1, 3, { paddingMode: 'reflect' } as never), unknown('Conv2d', 'paddingMode'));
  const x = zeros([1, 1, 4, 4]);
  assert.throws(() => maxPool2d(x, 2, { ceil_mode: true } as never), unknown('maxPool2d', 'ceil_mode'));
  assert.throws(() => avgPool2d(x, 2, { count_include_pad: false } as never), unknown('avgPool2d', 'count_include_pad'));
  assert.throws(() => conv2d(x, zeros([1, 1, 3, 3]), undefined, { pad: 1 } as never), unknown('conv2d', 'pad'));
});

test('every layer constructor with options rejects an unknown key', () => {
  const cases: [string, () => unknown][] = [
    ['Linear', () => new nn.Linear(2, 1, { bais: false } as never)],
    ['Dropout', () => new nn.Dropout(0.5, { sed: 1 } as never)],
    ['BatchNorm1d', () => new nn.BatchNorm1d(3, { trackRunningStats: false } as never)],
    ['BatchNorm2d', () => new nn.BatchNorm2d(3, { moment: 0.1 } as never)],
    ['LSTM', () => new nn.LSTM(2, 3, { bidirectional: true } as never)],
    ['GRU', () => new nn.GRU(2, 3, { dropout: 0.1 } as never)],
    ['RNN', () => new nn.RNN(2, 3, { nonlinearty: 'relu' } as never)],
    ['mlp', () => nn.mlp({ sizes: [2, 1], activaton: 'tanh' } as never)],
    ['activation', () => nn.activation('leaky_relu', { negativeSlope: 0.2 } as never)],
    ['HyperNetwork', () => new HyperNetwork({ target: nn.mlp({ sizes: [1, 1] }), condition: { kind: 'noise', dim: 2 }, hiden: [4] } as never)],
    ['AdaptiveDepthNet', () => new AdaptiveDepthNet({ inputs: 2, outputs: 1, depth: 3 } as never)],
  ];
  for (const [where, make] of cases) assert.throws(make, new RegExp(`${where}: unknown option`), where);
  assert.throws(() => new nn.LSTM(2, 3, { nonlinearity: 'relu' }), /LSTM: nonlinearity is an RNN option/);
});

test('heads and optimizers reject unknown keys', () => {
  assert.throws(() => nn.regressionHead({ los: 'mae' } as never), unknown('regressionHead', 'los'));
  assert.throws(() => nn.binaryHead({ loss: 'bce', margin: 2 } as never), unknown('binaryHead', 'margin'));
  assert.throws(() => nn.multiclassHead({ numClasses: 3, smoothing: 0.1 } as never), unknown('multiclassHead', 'smoothing'));
  assert.throws(() => nn.headFromJSON({ kind: 'binary', loss: 'bce', pos_weight: 2 }), unknown('headFromJSON: binary', 'pos_weight'));
  assert.throws(() => optim.adam({ lr: 1e-3, weight_decay: 0.1 } as never), unknown('adam', 'weight_decay'));
  assert.throws(() => optim.optimizerByName('sgd', { lr: 0.1, betas: [0.9, 0.99] } as never), unknown('sgd', 'betas'));
  assert.throws(() => optim.scaleByAdam({ beta1: 0.9 } as never), unknown('scaleByAdam', 'beta1'));
  assert.throws(() => optim.scaleByRms({ decay: 0.9 } as never), unknown('scaleByRms', 'decay'));
  assert.throws(() => new optim.ReduceLROnPlateau({ lr: 1 }, { patiense: 3 } as never), unknown('ReduceLROnPlateau', 'patiense'));
});

test('module JSON with an unknown or mistyped key is refused (a config "bais": false does not train with a bias)', () => {
  assert.throws(() => nn.moduleFromJSON({ type: 'Linear', in: 2, out: 1, bais: false }), {
    message: 'moduleFromJSON: Linear: unknown option "bais" (did you mean "bias"?); known options are type, in, out, bias',
  });
  assert.throws(() => nn.moduleFromJSON({ type: 'Linear', in: 2, out: 1, bias: 'false' }), /moduleFromJSON: Linear.bias: expected true or false, got "false"/);
  assert.throws(() => nn.moduleFromJSON({ type: 'MaxPool2d', kernel: 2, ceil_mode: true }), unknown('moduleFromJSON: MaxPool2d', 'ceil_mode'));
  assert.throws(() => nn.moduleFromJSON({ type: 'Sequential', layers: [{ type: 'ReLU', inplace: true }] }), unknown('moduleFromJSON: ReLU', 'inplace'));
  assert.throws(() => nn.moduleFromJSON({ type: 'Graph', inputs: ['x'], output: 'x', nodes: [], outputs: ['x'] }), unknown('moduleFromJSON: Graph', 'outputs'));
  const cfg = resolveConfig({ model: { layers: [{ type: 'Linear', in: 4, out: 1, bais: false }] } }, {});
  assert.throws(() => buildModel(cfg, zeros([2, 4]), nn.regressionHead()), /^ConfigError: model\.layers: moduleFromJSON: Linear: unknown option "bais" \(did you mean "bias"\?\)/);
});

test('every registered layer type round-trips its own JSON through the key check', () => {
  const layers: nn.Module[] = [
    new nn.Linear(2, 3, { bias: false }), new nn.Conv2d(1, 2, 3, { padding: 1, groups: 1 }), new nn.MaxPool2d(2), new nn.AvgPool2d(2, { countIncludePad: false }),
    new nn.GlobalAvgPool2d(true), new nn.BatchNorm1d(3), new nn.BatchNorm2d(2), new nn.RNN(2, 3, { nonlinearity: 'relu' }), new nn.LSTM(2, 3), new nn.GRU(2, 3),
    new nn.LastStep(), new nn.Flatten(), new nn.Reshape([1, 2]), new nn.Dropout(0.2), new nn.Hardtanh(), new nn.Softplus(), new nn.LeakyReLU(), new nn.PReLU(),
    new nn.Softmax(), new nn.Sequential(new nn.ReLU(), new nn.Tanh()), new nn.Residual(new nn.Identity()),
    new HyperNetwork({ target: nn.mlp({ sizes: [1, 2] }), condition: { kind: 'task', numTasks: 2, dim: 2 } }),
    new AdaptiveDepthNet({ inputs: 2, outputs: 1 }),
  ];
  for (const l of layers) assert.deepEqual(nn.moduleFromJSON(JSON.parse(JSON.stringify(l.toJSON()))).toJSON(), l.toJSON(), l.describe());
});

test('fit and evaluate reject unknown option keys (a misspelt batch size is not silently 32)', () => {
  const model = nn.mlp({ sizes: [2, 3, 1], seed: 1 });
  const head = regressionHead();
  const optimizer = new Optimizer(sgd({ lr: 0.1 }), model);
  const x = [[0, 1], [1, 0]], y = [[1], [0]];
  assert.throws(() => fit({ model, head, optimizer, x, y, batch_size: 8 } as never), /fit: unknown option "batch_size" \(did you mean "batchSize"\?\); known options are model, head, optimizer/);
  assert.throws(() => fit({ model, head, optimizer, x, y, validation: { x, y, w: 1 } } as never), /fit: validation: unknown option "w"/);
  assert.throws(() => evaluate(model, head, x, y, { metric: () => ({}) } as never), /evaluate: unknown option "metric" \(did you mean "metrics"\?\)/);
});
