// importOnnx refuses what it cannot run faithfully (ops, attributes, types, opsets, files, shapes) with errors naming the culprit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importOnnx, OnnxImportError, tensor, randn } from '../../src/index.js';
import { IntValue } from '../../src/io/index.js';
import { buildModel, floatInit, node } from './onnx-build.js';


const mlpBytes = (): Uint8Array => readFileSync(new URL('../fixtures/onnx/mlp.onnx', import.meta.url));
const reluModel = (extra: Partial<Parameters<typeof buildModel>[0]> = {}): Uint8Array =>
  buildModel({ nodes: [node('Relu', ['x'], ['y'])], inputs: [['x', ['N', 4]]], outputs: [['y', ['N', 4]]], ...extra });

test('unknown ops: one error listing every unsupported op with counts and node names, before running', () => {
  const bytes = buildModel({
    nodes: [node('Foo', ['x'], ['a'], {}, 'foo1'), node('Relu', ['a'], ['b']), node('Foo', ['b'], ['c'], {}, 'foo2'), node('Bar', ['c'], ['d']),
      { ...node('FusedGemm', ['d'], ['y'], {}, 'fg'), domain: 'com.microsoft' }],
    inputs: [['x', ['N', 4]]], outputs: [['y', ['N', 4]]],
  });
  assert.throws(() => importOnnx(bytes), (e: Error) => e instanceof OnnxImportError
    && e.message.includes('the model uses 3 op types neurite does not support: Foo ×2 ("foo1", "foo2"); Bar ×1 (#3); com.microsoft.FusedGemm ×1 ("fg")')
    && /Supported: .*Conv.*LSTM/.test(e.message));
});

test('a truncated .onnx file is an error saying so', () => {
  const bytes = mlpBytes();
  assert.throws(() => importOnnx(bytes.subarray(0, Math.floor(bytes.length / 2))), /importOnnx: .*truncated/);
  assert.throws(() => importOnnx(new Uint8Array(0)), /importOnnx: the file is empty/);
  assert.throws(() => importOnnx(new TextEncoder().encode('not a model at all')), /importOnnx: .*(truncated|not an .onnx model)/);
});

test('an input of the wrong shape is an error naming the input and the declared dims', () => {
  const model = importOnnx(mlpBytes());
  assert.throws(() => model.forward(randn([2, 5])), /importOnnx: input "x" has shape \[2,5\]; the model declares \[batch,4\]/);
  assert.throws(() => model.applyInputs(model.params, {}), /input "x" was not given; the model's inputs are "x"/);
  assert.throws(() => model.runGraph({ x: randn([2, 4]), z: randn([2, 4]) }), /importOnnx: "z" is not an input of this model; its inputs are "x"/);
});

test('an unsupported attribute names the node and the attribute', () => {
  const bytes = buildModel({ nodes: [node('Relu', ['x'], ['y'], { fancy: 1 }, 'r1')], inputs: [['x', [2]]], outputs: [['y', [2]]] });
  assert.throws(() => importOnnx(bytes), /unsupported attributes .*node "r1" \(Relu\): attribute "fancy"/);
  const lstm = buildModel({
    nodes: [node('LSTM', ['x', 'W', 'R'], ['y'], { hidden_size: 1, clip: 3 }, 'cell', ['clip'])],
    inputs: [['x', [1, 1, 1]]], outputs: [['y', [1, 1, 1, 1]]],
    initializers: [floatInit('W', [1, 4, 1], [1, 1, 1, 1]), floatInit('R', [1, 4, 1], [1, 1, 1, 1])],
  });
  assert.throws(() => importOnnx(lstm).forward(tensor([[[1]]])), /node "cell" \(LSTM\): attribute "clip" is not supported/);
});

test('an unsupported element type names the initializer and the type', () => {
  const bytes = buildModel({
    nodes: [node('Add', ['x', 'w'], ['y'])], inputs: [['x', [2]]], outputs: [['y', [2]]],
    initializers: [{ name: 'w', dims: [2], data_type: 10, int32_data: [15360, 15360] }],
  });
  assert.throws(() => importOnnx(bytes), /initializer "w": element type FLOAT16 is not supported/);
  const half = buildModel({ nodes: [node('Relu', ['x'], ['y'])], inputs: [['x', [2], 10]], outputs: [['y', [2], 10]] });
  assert.throws(() => importOnnx(half), /importOnnx: graph input "x" has element type FLOAT16; neurite runs FLOAT, DOUBLE and integer\/bool inputs \(convert the model to float32\)/);
});

test('an opset newer than neurite knows, and a node reading an undefined name, are errors', () => {
  assert.throws(() => importOnnx(reluModel({ opset: 21 })), /opset 21; neurite knows the semantics of opsets up to 18/);
  const bytes = buildModel({ nodes: [node('Add', ['x', 'ghost'], ['y'], {}, 'add')], inputs: [['x', [2]]], outputs: [['y', [2]]] });
  assert.throws(() => importOnnx(bytes), /node "add" \(Add\) reads "ghost", which no earlier node, input or initializer defines/);
});

test('every prefix of a .onnx file is refused with an OnnxImportError (never a partial model)', () => {
  const bytes = mlpBytes(), x = randn([2, 4]);
  for (let n = 0; n < bytes.length; n++) {
    assert.throws(() => importOnnx(bytes.subarray(0, n)).forward(x), (e: Error) => e instanceof OnnxImportError, `prefix of ${n} bytes`);
  }
});

test('integer tensors: exact arithmetic with wrap-around; float-only ops and shape errors name the node and the inputs', () => {
  const add = buildModel({ nodes: [node('Add', ['a', 'b'], ['y'])], inputs: [['a', [2], 2], ['b', [2], 2]], outputs: [['y', [2], 2]] });
  const y = importOnnx(add).runGraph({ a: new IntValue('uint8', [2], [200, 3]), b: new IntValue('uint8', [2], [100, 4]) }).y as IntValue;
  assert.deepEqual([y.dtype, y.data], ['uint8', [44, 7]], 'uint8 wraps as numpy does');
  const ints = buildModel({ nodes: [node('Relu', ['x'], ['y'], {}, 'act')], inputs: [['x', [2], 7]], outputs: [['y', [2], 7]] });
  assert.throws(() => importOnnx(ints).runGraph({ x: tensor([1, 2]) }), /node "act" \(Relu\): input 0 \("x"\) is an integer tensor \(int64 \[2\]\); neurite runs this op on FLOAT\/DOUBLE tensors only/);
  const mm = buildModel({ nodes: [node('MatMul', ['x', 'w'], ['y'], {}, 'mm')], inputs: [['x', ['N', 4]]], outputs: [['y', ['N', 2]]], initializers: [floatInit('w', [3, 2], [1, 2, 3, 4, 5, 6])] });
  assert.throws(() => importOnnx(mm).forward(randn([2, 4])), /node "mm" \(MatMul\) on x \[2,4\], w \[3,2\]: matmul: .*inner dimensions 4 and 3 differ/);
});

test('unknown options are refused; trainable: false keeps every initializer constant', () => {
  assert.throws(() => importOnnx(mlpBytes(), { trainabel: false } as never), /trainabel/);
  const frozen = importOnnx(mlpBytes(), { trainable: false });
  assert.equal(frozen.paramSpec().length, 0);
  assert.equal(frozen.forward(randn([1, 4])).shape[1], 3);
});

test('initializer names become parameter paths; clashing names fall back to one key, a prototype name is refused', () => {
  const model = (names: string[]): Uint8Array => buildModel({
    nodes: names.map((n, i) => node('Add', [i === 0 ? 'x' : `s${i - 1}`, n], [i === names.length - 1 ? 'y' : `s${i}`])),
    inputs: [['x', [1]]], outputs: [['y', [1]]], initializers: names.map((n) => floatInit(n, [1], [1])),
  });
  const spec = importOnnx(model(['fc.weight', 'fc.weight.x', 'a..b'])).paramSpec();
  assert.deepEqual(spec.map((s) => s.path), ['fc.weight', 'fc_weight_x', 'a__b']);
  assert.throws(() => importOnnx(model(['fc.weight', 'fc'])), /initializer "fc": no parameter name is free for it/);
  assert.throws(() => importOnnx(model(['__proto__'])), /initializer "__proto__": no parameter name is free for it/);
});
