// importOnnx op semantics beyond ONNX's suite: gradients through imported graphs (float64 gradcheck) and opset-dependent behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOnnx, gradcheck, randn, tensor, Rng, type Tensor } from '../../src/index.js';
import { buildModel, floatInit, intInit, node } from './onnx-build.js';
import { IntValue } from '../../src/io/index.js';

const D = 11; // DOUBLE
const values = (n: number, seed: number): number[] => Array.from(randn([n], { rng: new Rng(seed), dtype: 'float64' }).data, (v) => v * 0.5);

/** gradcheck of the graph's output with respect to every parameter and the input. */
function checkGradients(bytes: Uint8Array, x: Tensor): void {
  const model = importOnnx(bytes);
  const specs = model.paramSpec();
  const leaves = [x.detach().requireGrad(), ...specs.map((s) => (model.stateDict()[s.path] as Tensor).detach().requireGrad())];
  const fn = (xi: Tensor, ...ps: Tensor[]): Tensor => model.apply(Object.fromEntries(specs.map((s, i) => [s.path, ps[i]!])), xi);
  assert.ok(gradcheck(fn, leaves).ok);
}

test('gradients flow through Gemm (alpha, beta, transB), Sigmoid and LogSoftmax to every initializer', () => {
  const bytes = buildModel({
    nodes: [node('Gemm', ['x', 'W', 'B'], ['h'], { alpha: 0.7, beta: 1.3, transB: 1 }, 'fc', ['alpha', 'beta']), node('Sigmoid', ['h'], ['s']),
      node('MatMul', ['s', 'V'], ['z']), node('LogSoftmax', ['z'], ['y'], { axis: 1 })],
    inputs: [['x', ['N', 3], D]], outputs: [['y', ['N', 2], D]],
    initializers: [floatInit('W', [4, 3], values(12, 1), D), floatInit('B', [4], values(4, 2), D), floatInit('V', [4, 2], values(8, 3), D)],
  });
  checkGradients(bytes, randn([2, 3], { rng: new Rng(4), dtype: 'float64' }));
});

test('gradients flow through Conv (asymmetric pads), BatchNormalization, AveragePool and PRelu', () => {
  const bytes = buildModel({
    nodes: [node('Conv', ['x', 'K', 'b'], ['c'], { pads: [0, 1, 1, 0], strides: [1, 1] }), node('BatchNormalization', ['c', 'g', 'be', 'm', 'v'], ['n']),
      node('PRelu', ['n', 'a'], ['p']), node('AveragePool', ['p'], ['y'], { kernel_shape: [2, 2], pads: [1, 1, 0, 0], count_include_pad: 0 })],
    inputs: [['x', [1, 1, 3, 3], D]], outputs: [['y', [1, 2, 2, 2], D]],
    initializers: [floatInit('K', [2, 1, 2, 2], values(8, 5), D), floatInit('b', [2], values(2, 6), D), floatInit('g', [2], [1.5, 0.5], D),
      floatInit('be', [2], [0.1, -0.2], D), floatInit('m', [2], [0.3, -0.1], D), floatInit('v', [2], [2, 0.5], D), floatInit('a', [2, 1, 1], [0.25, 0.1], D)],
  });
  checkGradients(bytes, randn([1, 1, 3, 3], { rng: new Rng(7), dtype: 'float64' }));
});

test('gradients flow through a 3-D Conv (pads, dilation) and 3-D MaxPool/AveragePool', () => {
  const bytes = buildModel({
    nodes: [node('Conv', ['x', 'K', 'b'], ['c'], { pads: [1, 0, 0, 0, 1, 1], dilations: [1, 2, 1] }), node('MaxPool', ['c'], ['m'], { kernel_shape: [2, 1, 2], strides: [1, 1, 1] }),
      node('AveragePool', ['m'], ['y'], { kernel_shape: [1, 2, 1], pads: [0, 1, 0, 0, 0, 0] })],
    inputs: [['x', [1, 2, 3, 4, 3], D]], outputs: [['y', [1, 2, 3, 2, 2], D]],
    initializers: [floatInit('K', [2, 2, 2, 2, 2], values(32, 13), D), floatInit('b', [2], values(2, 14), D)],
  });
  checkGradients(bytes, randn([1, 2, 3, 4, 3], { rng: new Rng(15), dtype: 'float64' }));
});

test('gradients flow through Slice (negative step), Pad (reflect), Expand and ReduceMean', () => {
  const bytes = buildModel({
    nodes: [node('Slice', ['x', 'st', 'en', 'ax', 'sp'], ['s']), node('Pad', ['s', 'pd'], ['p'], { mode: 'reflect' }), node('Mul', ['p', 'w'], ['m']),
      node('Expand', ['m', 'shape'], ['e']), node('ReduceMean', ['e'], ['y'], { axes: [1], keepdims: 0 })],
    inputs: [['x', [2, 5], D]], outputs: [['y', [3, 5], D]],
    initializers: [intInit('st', [1], [-1]), intInit('en', [1], [-6]), intInit('ax', [1], [1]), intInit('sp', [1], [-2]), intInit('pd', [4], [0, 1, 0, 1]),
      floatInit('w', [5], values(5, 16), D), intInit('shape', [3], [3, 2, 1])],
    opset: 17,
  });
  checkGradients(bytes, randn([2, 5], { rng: new Rng(17), dtype: 'float64' }));
});

for (const [op, gates, extra] of [['LSTM', 4, {}], ['GRU', 3, { linear_before_reset: 0 }], ['RNN', 1, { direction: 'bidirectional' }]] as const) {
  test(`gradients flow through ${op} (${JSON.stringify(extra)}) to W, R and B over three steps`, () => {
    const dirs = 'direction' in extra ? 2 : 1, h = 2;
    const bytes = buildModel({
      nodes: [node(op, ['x', 'W', 'R', 'B'], ['y'], { hidden_size: h, ...extra })],
      inputs: [['x', [3, 1, 2], D]], outputs: [['y', [3, dirs, 1, h], D]],
      initializers: [floatInit('W', [dirs, gates * h, 2], values(dirs * gates * h * 2, 8), D), floatInit('R', [dirs, gates * h, h], values(dirs * gates * h * h, 9), D),
        floatInit('B', [dirs, 2 * gates * h], values(dirs * 2 * gates * h, 10), D)],
    });
    checkGradients(bytes, randn([3, 1, 2], { rng: new Rng(11), dtype: 'float64' }));
  });
}

test('Softmax: opset < 13 normalises the flattened trailing dims from axis, opset ≥ 13 one axis', () => {
  const x = randn([2, 3, 4], { rng: new Rng(12) });
  const run = (opset: number): Tensor => importOnnx(buildModel({
    nodes: [node('Softmax', ['x'], ['y'], { axis: 1 })], inputs: [['x', [2, 3, 4]]], outputs: [['y', [2, 3, 4]]], opset,
  })).forward(x);
  const old = run(11), now = run(13);
  assert.ok(Math.abs(old.sum([1, 2]).data[0]! - 1) < 1e-5, 'opset 11: each batch row (3·4 entries) sums to 1');
  now.sum(1).toFlat().forEach((s) => assert.ok(Math.abs(s - 1) < 1e-5, 'opset 13: each column along axis 1 sums to 1'));
});

test('Clip reads min/max from attributes before opset 11 and from inputs from 11 on', () => {
  const x = tensor([-3, 0.5, 3]);
  const legacy = buildModel({ nodes: [node('Clip', ['x'], ['y'], { min: -1, max: 2 }, 'c', ['min', 'max'])], inputs: [['x', [3]]], outputs: [['y', [3]]], opset: 6 });
  assert.deepEqual(importOnnx(legacy).forward(x).toFlat(), [-1, 0.5, 2]);
  const modern = buildModel({
    nodes: [node('Clip', ['x', 'lo', ''], ['y'])], inputs: [['x', [3]]], outputs: [['y', [3]]], initializers: [floatInit('lo', [], [0])], opset: 13,
  });
  const model = importOnnx(modern);
  assert.deepEqual(model.forward(x).toFlat(), [0, 0.5, 3]);
  assert.equal(model.paramSpec().length, 0, 'Clip bounds stay constants, not parameters');
});

test('Cast: float → integer truncates toward zero and wraps, integers → float, → BOOL is non-zero; FLOAT16 targets are refused', () => {
  const model = (to: number, inType = 1): Uint8Array => buildModel({ nodes: [node('Cast', ['x'], ['y'], { to }, 'cast')], inputs: [['x', [4], inType]], outputs: [['y', [4], to]], opset: 13 });
  const y = importOnnx(model(2)).runGraph({ x: tensor([-1.7, 2.9, 300, 0]) }).y as IntValue;
  assert.deepEqual([y.dtype, y.data], ['uint8', [255, 2, 44, 0]]);
  assert.deepEqual((importOnnx(model(9)).runGraph({ x: tensor([-1.7, 0, 0.5, 0]) }).y as IntValue).data, [1, 0, 1, 0]);
  assert.deepEqual(importOnnx(model(11, 7)).runGraph({ x: new IntValue('int64', [4], [1, -2, 3, 4]) }).y!.data, Float64Array.of(1, -2, 3, 4));
  assert.throws(() => importOnnx(model(10)).runGraph({ x: tensor([1, 2, 3, 4]) }), /node "cast" \(Cast\): attribute "to" is FLOAT16; neurite casts to FLOAT, DOUBLE and the integer and bool types/);
});

test('integer ReduceSum keeps its axes input as integers (opset 13)', () => {
  const bytes = buildModel({ nodes: [node('ReduceSum', ['x', 'axes'], ['y'], { keepdims: 0 })], inputs: [['x', [2, 2], 7]], outputs: [['y', [2], 7]], initializers: [intInit('axes', [1], [1])], opset: 13 });
  const y = importOnnx(bytes).runGraph({ x: new IntValue('int64', [2, 2], [1, 2, 3, 4]) }).y as IntValue;
  assert.deepEqual([y.dtype, y.shape, y.data], ['int64', [2], [3, 7]]);
});
