// QDQ ONNX export of int8 models: QuantizeLinear/DequantizeLinear graphs that ONNX Runtime runs to neurite's int8 outputs, accepted by onnx.checker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, Rng, randn, quantize, exportOnnx, type Tensor } from '../../src/index.js';
import { decodeOnnxModel, OnnxDataType } from '../../src/io/onnx/proto.js';
import { noGrad } from '../../src/autograd/graph.js';
import { OnnxGraphBuilder } from '../../src/io/onnx/builder.js';
import type { Module } from '../../src/nn/module.js';
import { runOrt, maxAbsDiff, onnxCheckerFailures, onnxCheckerMissing } from './onnx-export-helpers.js';

const rng = (seed: number): Rng => new Rng(seed);
const img = [2, 8, 8];
const cases: { name: string; inputShape: number[]; model: () => Module }[] = [
  { name: 'MLP relu', inputShape: [6], model: () => nn.mlp({ sizes: [6, 16, 8, 3], activation: 'relu', seed: 1 }) },
  { name: 'MLP tanh', inputShape: [6], model: () => nn.mlp({ sizes: [6, 16, 8, 3], activation: 'tanh', seed: 2 }) },
  { name: 'MLP hardtanh with BatchNorm1d', inputShape: [6], model: () => nn.mlp({ sizes: [6, 10, 3], activation: 'hardtanh', batchNorm: true, seed: 9 }) },
  {
    name: 'MLP relu without bias', inputShape: [6],
    model: () => new nn.Sequential(new nn.Linear(6, 12, { bias: false, rng: rng(3) }), new nn.ReLU(), new nn.Linear(12, 4, { bias: false, rng: rng(4) })),
  },
  {
    name: 'Conv2d → ReLU → MaxPool → Flatten → Linear', inputShape: img,
    model: () => new nn.Sequential(
      new nn.Conv2d(2, 4, 3, { padding: 1, rng: rng(5) }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 4 * 4, 5, { rng: rng(6) }),
    ),
  },
  {
    name: 'Conv2d stride 2, dilation, no bias → Tanh → Flatten → Linear', inputShape: img,
    model: () => new nn.Sequential(
      new nn.Conv2d(2, 3, [3, 2], { stride: 2, dilation: [1, 2], bias: false, rng: rng(7) }), new nn.Tanh(), new nn.Flatten(), new nn.Linear(3 * 3 * 3, 4, { rng: rng(8) }),
    ),
  },
];

const exported: { name: string; bytes: Uint8Array }[] = [];

/** The output range max − min of `y`, the scale the tolerance is relative to. */
function range(y: Tensor): number {
  let lo = Infinity, hi = -Infinity;
  for (const v of y.data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return hi - lo;
}

/** Initializer names of an exported file with their ONNX data types. */
function initializers(bytes: Uint8Array): Map<string, number> {
  const g = decodeOnnxModel(bytes).graph as { initializer: { name: string; data_type: number }[] };
  return new Map(g.initializer.map((t) => [t.name, t.data_type]));
}

// ORT's default graph optimizations fuse the QDQ pattern into integer kernels (QGemm, exact int32 sums);
// with optimizations off it dequantizes and multiplies in float32, whose rounding differs by an ulp or so.
const TOLERANCE = 1e-6;

test('QDQ export of int8 MLPs and conv stacks runs in ONNX Runtime to the int8 model\'s outputs', async () => {
  for (const c of cases) {
    const q = quantize(c.model(), randn([256, ...c.inputShape], { rng: rng(11) }));
    const bytes = exportOnnx(q, { inputShape: c.inputShape, opset: c.inputShape.length === 1 ? 13 : 17 });
    exported.push({ name: c.name, bytes });
    const x = randn([64, ...c.inputShape], { rng: rng(12) }).mul(1.5); // beyond the calibration range too: both clamp
    const want = noGrad(() => q.forward(x));
    for (const graphOptimizationLevel of ['all', 'disabled'] as const) {
      const got = await runOrt(bytes, x, 'input', { graphOptimizationLevel });
      assert.deepEqual([...got.dims], [...want.shape], c.name);
      const d = maxAbsDiff(got.data, want.data), r = range(want);
      assert.ok(d <= TOLERANCE * r, `${c.name} (ORT optimizations ${graphOptimizationLevel}): max abs diff ${d} > ${TOLERANCE} × output range ${r}`);
      if (process.env.NEURITE_QDQ_REPORT) console.log(`${c.name}, ORT ${graphOptimizationLevel}: max abs diff ${d.toExponential(3)}, output range ${r.toFixed(3)}`);
    }
    // The state-dict names, and each int8 layer's input scale/zero point (kept in the layer's JSON) as N.input_scale / N.input_zero_point.
    const inputs = q.steps.flatMap((s, i) => ('quant' in s ? [`${i}.input_scale`, `${i}.input_zero_point`] : []));
    const types = initializers(bytes), state = [...Object.keys(q.stateDict()).filter((k) => !k.endsWith('num_batches_tracked')), ...inputs];
    assert.deepEqual([...types.keys()].filter((n) => !n.startsWith('const:')).sort(), [...state].sort(), `${c.name}: initializers carry the state-dict names`);
    for (const n of state) {
      const int8 = n.endsWith('.weight') && !state.includes(n.replace(/weight$/, 'running_mean')) || n.endsWith('.input_zero_point');
      assert.equal(types.get(n), int8 ? OnnxDataType.INT8 : OnnxDataType.FLOAT, `${c.name}: ${n}`);
    }
  }
});

test('a QDQ file stores the int8 weights exactly and rejects non-int8 values', () => {
  const q = quantize(new nn.Linear(3, 2, { rng: rng(1) }), randn([32, 3], { rng: rng(2) }));
  const g = decodeOnnxModel(exportOnnx(q, { inputShape: [3] })).graph as { initializer: { name: string; raw_data: Uint8Array }[] };
  const w = g.initializer.find((t) => t.name === '0.weight')!;
  assert.deepEqual([...new Int8Array(w.raw_data.buffer, w.raw_data.byteOffset, w.raw_data.byteLength)], [...q.stateDict()['0.weight']!.data]);
  assert.throws(() => new OnnxGraphBuilder(17).int8s('w', [1, 128]), /exportOnnx: initializer "w"\[1\] = 128 is not an int8 value/);
  assert.throws(() => exportOnnx(q, { inputShape: [4] }), /exportOnnx: module \(root\) \(QuantizedSequential\) fails on an input of shape \[N, 4\]/);
});

test('onnx.checker (full_check) accepts every QDQ file', { skip: onnxCheckerMissing }, () => {
  assert.equal(exported.length, cases.length, 'the ONNX Runtime test ran first');
  assert.deepEqual(onnxCheckerFailures(exported), []);
});
