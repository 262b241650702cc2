// The ONNX protobuf layer round-trips models and tensors, reads ONNX's own test data, and rejects non-ONNX bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { decodeOnnxModel, decodeOnnxTensor, encodeOnnxModel, encodeOnnxTensor } from '../../src/io/onnx/proto.js';

const reluDir = '/usr/share/libonnx-testdata/data/node/test_relu';

test('a ModelProto survives encode → decode', () => {
  const model = {
    ir_version: 8,
    producer_name: 'neurite',
    opset_import: [{ domain: '', version: 17 }],
    graph: { name: 'g', node: [{ op_type: 'Relu', input: ['x'], output: ['y'] }] },
  };
  const back = decodeOnnxModel(encodeOnnxModel(model));
  assert.equal(back.ir_version, 8);
  assert.equal(back.producer_name, 'neurite');
  assert.deepEqual(back.opset_import, model.opset_import);
  const graph = back.graph as { name: string; node: { op_type: string; input: string[]; output: string[] }[]; initializer: unknown[] };
  assert.equal(graph.name, 'g');
  assert.deepEqual([graph.node[0]?.op_type, graph.node[0]?.input, graph.node[0]?.output], ['Relu', ['x'], ['y']]);
  assert.deepEqual(graph.initializer, [], 'repeated fields absent on the wire decode as empty arrays');
});

test('a float TensorProto survives encode → decode', () => {
  const t = { dims: [2], data_type: 1, float_data: [1.5, -2] };
  const back = decodeOnnxTensor(encodeOnnxTensor(t));
  assert.deepEqual([back.dims, back.data_type, back.float_data], [t.dims, t.data_type, t.float_data]);
});

test('bytes that are not a ModelProto are an error saying so', () => {
  assert.throws(() => decodeOnnxModel(new Uint8Array([0xff, 0xff, 0xff, 0xff])), /not an ONNX ModelProto/);
});

test('ONNX backend test data (libonnx-testdata test_relu) decodes', { skip: existsSync(reluDir) ? undefined : `no ${reluDir}: apt-get install -y libonnx-testdata` }, () => {
  const model = decodeOnnxModel(readFileSync(`${reluDir}/model.onnx`));
  const graph = model.graph as { node: { op_type: string }[] };
  assert.equal(graph.node[0]?.op_type, 'Relu');
  const input = decodeOnnxTensor(readFileSync(`${reluDir}/test_data_set_0/input_0.pb`));
  assert.ok(input.raw_data instanceof Uint8Array);
});
