// int8 quantization: the WASM integer kernel equals the exact JS reference, PTQ keeps digits accuracy, files are small and reload exactly.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import {
  nn, Rng, randn, tensor, narrow, fit, adam, Optimizer, predictRaw, multiclassHead, deserializeModel, modelFiles, quantize, prepareQat, QuantizedSequential, type Tensor,
} from '../../src/index.js';
import { parseModelFiles } from '../../src/io/model.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { affineParams, packPanels, roundHalfEven, quantizeWeights } from '../../src/quant/int8.js';
import { int8MatmulJs, int8MatmulPanelsJs, type Int8Act, type Int8ChainLayer } from '../../src/backend/js/quant.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import { hasWasmSimd } from '../../src/backend/wasm/load.js';
import { getBackend, setBackend } from '../../src/backend/registry.js';
import { loadBuiltinDataset } from '../../src/node/data/builtin.js';
import { trainValTestSplit } from '../../src/data/split.js';

const wasm = hasWasmSimd() && (await initWasmBackend({ select: false }));

test('round half to even and the affine/per-channel parameters follow PyTorch qint8 observers', () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven), [0, 2, 2, -0, -2, 2, 3]);
  assert.deepEqual(affineParams(-1, 3), { scale: Math.fround(4 / 255), zeroPoint: -64 });
  assert.deepEqual(affineParams(0.5, 2), { scale: Math.fround(2 / 255), zeroPoint: -128 }, 'the range always includes 0');
  const { q, scale } = quantizeWeights(Float32Array.of(0, 0, 0.2, -0.1), 2, 2);
  assert.deepEqual([...q], [0, 0, 127, -64]);
  assert.deepEqual([...scale], [1, Math.fround(0.2 / 127)]);
});

test('the WASM int8 kernel equals the exact integer reference on every shape remainder', { skip: wasm ? undefined : 'no WASM SIMD here' }, () => {
  const rng = new Rng(1);
  setBackend('wasm');
  try {
    for (const [m, kp, n] of [[1, 8, 1], [2, 8, 4], [3, 16, 5], [7, 792, 13], [64, 64, 256], [33, 200, 10]] as const) {
      const x = Int16Array.from({ length: m * kp }, () => Math.floor(rng.uniform() * 511) - 255);
      const w = Int16Array.from({ length: n * kp }, () => Math.floor(rng.uniform() * 255) - 127);
      const want = new Int32Array(m * n), got = new Int32Array(m * n);
      int8MatmulJs(x, w, want, m, kp, n);
      getBackend().int8Matmul(x, w, got, m, kp, n);
      assert.deepEqual(got, want, `${m}×${kp}×${n}`);
    }
  } finally {
    setBackend('js');
  }
});

/** A random int8 layer of a chain: panel-packed weights of k inputs, n outputs. */
function randomLayer(rng: Rng, k: number, n: number, act: Int8Act): Int8ChainLayer {
  const kp = Math.ceil(k / 8) * 8;
  const q = Int8Array.from({ length: n * k }, () => Math.floor(rng.uniform() * 255) - 127);
  return {
    k, kp, n, w: packPanels(q, n, k, kp), act,
    colScale: Float32Array.from({ length: n }, () => rng.uniform() * 1e-3), bias: Float32Array.from({ length: n }, () => rng.uniform() - 0.5),
    input: { scale: Math.fround(0.01 + rng.uniform() * 0.02), zeroPoint: Math.floor(rng.uniform() * 40) - 20 },
  };
}

test('panel packing holds the same weights: the panel product equals the row-major product', () => {
  const rng = new Rng(3);
  for (const [m, k, n] of [[1, 3, 1], [3, 17, 5], [4, 64, 10]] as const) {
    const kp = Math.ceil(k / 8) * 8;
    const q = Int8Array.from({ length: n * k }, () => Math.floor(rng.uniform() * 255) - 127);
    const rows = new Int16Array(n * kp);
    for (let c = 0; c < n; c++) for (let i = 0; i < k; i++) rows[c * kp + i] = q[c * k + i]!;
    const x = Int16Array.from({ length: m * kp }, (_, i) => (i % kp < k ? Math.floor(rng.uniform() * 511) - 255 : 0));
    const want = new Int32Array(m * n), got = new Int32Array(m * n);
    int8MatmulJs(x, rows, want, m, kp, n);
    int8MatmulPanelsJs(x, packPanels(q, n, k, kp), got, m, kp, n);
    assert.deepEqual(got, want, `${m}×${k}×${n}`);
  }
});

test('the WASM int8 layer chain (quantize, products, rescale, ReLU/hardtanh, requantize) equals the JS reference bit for bit, NaN/±Infinity/huge inputs too', { skip: wasm ? undefined : 'no WASM SIMD here' }, () => {
  const rng = new Rng(2);
  const relu = { kind: 'relu' } as const, none = { kind: 'none' } as const, hard = { kind: 'hardtanh', lo: -0.3, hi: 0.7 } as const;
  const cases: [number, number[], Int8Act[]][] = [
    [1, [3, 1], [none]], [5, [13, 6], [relu]], [3, [17, 5, 7], [hard, none]], [64, [100, 33, 9, 4], [relu, hard, relu]], [17, [784, 256, 128, 10], [relu, relu, none]],
  ];
  for (const [m, widths, acts] of cases) {
    const layers = acts.map((act, i) => randomLayer(rng, widths[i]!, widths[i + 1]!, act));
    const k = widths[0]!, n = widths[widths.length - 1]!;
    const x = Float32Array.from({ length: m * k }, () => (rng.uniform() - 0.4) * 6);
    x[0] = NaN; x[1 % x.length] = Infinity; if (x.length > 2) x[2] = -1e30; if (x.length > 3) x[3] = 2.5 * 0.02;
    const want = new Float32Array(m * n), got = new Float32Array(m * n);
    setBackend('js');
    getBackend().int8Chain(x, m, layers, want);
    setBackend('wasm');
    try {
      getBackend().int8Chain(x, m, layers, got);
    } finally {
      setBackend('js');
    }
    assert.deepEqual(got, want, `${m}×${widths.join('-')}`);
  }
});

async function digits(): Promise<{ model: nn.Module; split: { xTrain: Tensor; xTest: Tensor; yTest: Tensor } }> {
  const d = await loadBuiltinDataset('digits');
  const { train, test } = trainValTestSplit({ x: d.x.div(16), y: d.y }, { testSize: 0.2, valSize: 0.1, seed: 0 });
  const model = nn.mlp({ sizes: [64, 64, 10], activation: 'relu', seed: 1 }); // the CLI's default digits network
  fit({ model, head: multiclassHead({ numClasses: 10 }), optimizer: new Optimizer(adam({ lr: 0.01 }), model), x: train.x, y: train.y, epochs: 15, batchSize: 32, seed: 2 });
  return { model, split: { xTrain: train.x, xTest: test.x, yTest: test.y } };
}

const accuracy = (logits: Tensor, y: Tensor): number => {
  const pred = logits.argmax(1).data;
  let ok = 0;
  pred.forEach((p, i) => (ok += p === y.data[i] ? 1 : 0));
  return ok / y.size;
};

test('int8 digits MLP: within 1 point of float32 test accuracy, at most 30 % of the weights file, and it reloads bit for bit', async () => {
  const { model, split } = await digits();
  const calibration = narrow(split.xTrain, 0, 0, 300); // training rows only, never test rows
  const q = quantize(model, calibration);
  const a32 = accuracy(model.forward(split.xTest), split.yTest), a8 = accuracy(q.forward(split.xTest), split.yTest);
  assert.ok(a32 > 0.9, `float32 accuracy ${a32}`);
  assert.ok(a8 >= a32 - 0.01, `int8 ${a8} vs float32 ${a32}`);
  const head = multiclassHead({ numClasses: 10 });
  const f32 = modelFiles({ module: model, head }), i8 = modelFiles({ module: q, head });
  // The weights file: three tensors per layer (I8 weights, F32 channel scales and bias); the input's scale and
  // zero point are two numbers in model.json. model.json too is counted in docs/low-precision.md's table.
  const w8 = i8['model.safetensors'].byteLength, w32 = f32['model.safetensors'].byteLength;
  assert.ok(w8 <= 0.3 * w32, `int8 ${w8} B vs float32 ${w32} B`);
  const json = JSON.parse(i8['model.json']);
  assert.deepEqual(Object.keys(json.tensors), ['0.weight', '0.weight_scale', '0.bias', '2.weight', '2.weight_scale', '2.bias']);
  assert.equal(json.tensors['0.weight'].dtype, 'I8');
  assert.deepEqual(json.module.steps[0].quant.input, q.inputOf(0));
  const back = deserializeModel(json, i8['model.safetensors']).module;
  assert.ok(back instanceof QuantizedSequential);
  assert.deepEqual(back.forward(split.xTest).data, q.forward(split.xTest).data);
});

test('an int8 model file of the earlier layout (input scale/zero point as tensors) loads and predicts as when it was saved', () => {
  const dir = new URL('../fixtures/int8-v1/', import.meta.url);
  const { x, shape, y } = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8'));
  const old = parseModelFiles(readFileSync(new URL('model.json', dir), 'utf8'), readFileSync(new URL('model.safetensors', dir)), 'int8-v1');
  const q = old.module as QuantizedSequential;
  assert.ok('0.input_scale' in q.stateDict());
  const input = tensor(Float32Array.from(x), { shape });
  assert.deepEqual([...q.forward(input).data], y);
  const resaved = modelFiles(old); // an earlier file re-saved keeps its layout, and still loads
  assert.deepEqual([...parseModelFiles(resaved['model.json'], resaved['model.safetensors'], 'resaved').module.forward(input).data], y);
});

test('a model.json int8 layer with a bad input scale or zero point is refused naming the field', () => {
  const q = quantize(nn.mlp({ sizes: [3, 2] }), randn([8, 3]));
  const files = modelFiles({ module: q, head: multiclassHead({ numClasses: 2 }) });
  const load = (input: unknown): unknown => {
    const json = JSON.parse(files['model.json']);
    json.module.steps[0].quant.input = input;
    return parseModelFiles(JSON.stringify(json), files['model.safetensors'], 'm');
  };
  assert.throws(() => load({ scale: 0, zeroPoint: 0 }), /^ModelFileError: m\/model\.json: module: moduleFromJSON: QuantizedSequential\.steps\[0\]\.quant\.input\.scale: expected a finite number > 0 \(a float32\), got 0$/);
  assert.throws(() => load({ scale: 0.1, zeroPoint: 128 }), /QuantizedSequential\.steps\[0\]\.quant\.input\.zeroPoint: expected an integer in \[-128, 127\], got 128$/);
  assert.throws(() => load({ scale: 0.1 }), /QuantizedSequential\.steps\[0\]\.quant\.input: expected \{ "scale": number, "zeroPoint": integer \}, got \{"scale":0\.1\}$/);
});

test('int8 predictions are identical on the JS and WASM backends', { skip: wasm ? undefined : 'no WASM SIMD here' }, () => {
  const model = nn.mlp({ sizes: [50, 40, 7], activation: 'relu', seed: 4 });
  const x = randn([64, 50], { rng: new Rng(3) });
  const q = quantize(model, x);
  const js = q.forward(x).data;
  setBackend('wasm');
  try {
    assert.deepEqual(q.forward(x).data, js);
  } finally {
    setBackend('js');
  }
});

test('a Conv2d → ReLU → MaxPool → Flatten → Linear stack quantizes close to float32', () => {
  const rng = new Rng(9);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1, rng }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 4 * 4, 3, { rng }),
  );
  const x = randn([16, 1, 8, 8], { rng: new Rng(2) });
  const q = quantize(model, x);
  const want = model.forward(x), got = q.forward(x);
  assert.deepEqual(got.shape, [16, 3]);
  const err = got.sub(want).abs().max().item(), range = want.abs().max().item();
  assert.ok(err < 0.03 * range, `max error ${err} for outputs up to ${range}`);
});

test('what int8 cannot do is an error naming the module, and a corrupt int8 file is refused', () => {
  const inside = new nn.Sequential(new nn.Residual(new nn.Linear(4, 4)), new nn.Linear(4, 2));
  assert.throws(() => quantize(inside, randn([8, 4])), /^ArgumentError: quantize: module 0\.body \(Linear\(4→4\)\) sits inside Residual\(Linear\(4→4\)\); int8 quantization supports a flat Sequential/);
  assert.throws(() => quantize(new nn.Sequential(new nn.Conv2d(2, 2, 3, { groups: 2 })), randn([1, 2, 5, 5])), /layer 0: Conv2d with groups=2 is not supported/);
  assert.throws(() => quantize(nn.mlp({ sizes: [3, 2] }), randn([0, 3])), /the calibration tensor has no rows/);
  assert.throws(() => quantize(nn.mlp({ sizes: [3, 2] }), tensor([[1, NaN, 0]])), /quantize: calibration activations hold NaN \(value 1 of a layer's input\)/);
  const q = quantize(nn.mlp({ sizes: [3, 2] }), randn([4, 3]));
  const state = q.stateDict(); // unpacked copies: editing them leaves the model as it is
  state['0.weight']!.data[1] = 0.5;
  assert.notEqual(q.stateDict()['0.weight']!.data[1], 0.5);
  assert.throws(() => encodeSafetensors(state, undefined, { dtypes: q.storageDTypes() }), /'0\.weight'\[1\] = 0\.5 is not an int8 value/);
  assert.throws(() => q.loadStateDict(state), /^ArgumentError: QuantizedSequential: "0\.weight"\[1\] = 0\.5 is not an int8 value$/);
});

test('quantization-aware training: gradients pass the fake quantizers, the shared layers learn, and the int8 model follows', async () => {
  const d = await loadBuiltinDataset('digits');
  const { train, test: held } = trainValTestSplit({ x: d.x.div(16), y: d.y }, { testSize: 0.2, valSize: 0.1, seed: 0 });
  const model = nn.mlp({ sizes: [64, 32, 10], activation: 'tanh', seed: 5 });
  const qat = prepareQat(model, narrow(train.x, 0, 0, 256));
  assert.deepEqual(Object.keys(qat.stateDict()), ['0.layer.weight', '0.layer.bias', '2.layer.weight', '2.layer.bias']);
  const head = multiclassHead({ numClasses: 10 });
  const before = (model.params['0'] as { weight: Tensor }).weight.data.slice();
  const res = fit({ model: qat, head, optimizer: new Optimizer(adam({ lr: 0.01 }), qat), x: train.x, y: train.y, epochs: 8, batchSize: 32, seed: 3 });
  assert.ok(res.history.at(-1)!.loss < 0.5 * res.history[0]!.loss, `QAT loss ${res.history.map((h) => h.loss.toFixed(3)).join(' → ')}`);
  assert.notDeepEqual((model.params['0'] as { weight: Tensor }).weight.data, before, 'the layers of the original model trained');
  const int8 = quantize(model, narrow(train.x, 0, 0, 256));
  const aQat = accuracy(qat.eval().forward(held.x), held.y), a8 = accuracy(int8.forward(held.x), held.y);
  assert.ok(Math.abs(aQat - a8) <= 0.02, `fake-quantized ${aQat} vs int8 ${a8}`);
  assert.throws(() => qat.toJSON(), /FakeQuant: a quantization-aware training wrapper is not saved/);
});

test('predictRaw of an int8 model gives the same bits with the captured step as without (JS and WASM)', () => {
  const model = nn.mlp({ sizes: [40, 32, 5], activation: 'relu', seed: 8 });
  const x = randn([70, 40], { rng: new Rng(4) });
  const q = quantize(model, x);
  for (const backend of wasm ? ['js', 'wasm'] : ['js']) {
    setBackend(backend);
    try {
      const eager = predictRaw(q, x, 1024, false).data;
      for (let i = 0; i < 4; i++) assert.deepEqual(predictRaw(q, x).data, eager, `${backend}, call ${i + 1}`);
    } finally {
      setBackend('js');
    }
  }
});
