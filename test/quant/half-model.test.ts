// float16 models kept 16-bit in memory (HalfModel): half the parameter bytes, predictions within float16 tolerance of float32.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, Rng, randn, multiclassHead, modelFiles, noGrad, predictRaw, HalfModel, type Tensor } from '../../src/index.js';
import { parseModelFiles } from '../../src/io/model.js';
import { HALF_BLOCK_FLOATS } from '../../src/quant/half-model.js';
import { halfBitsToFloat, unpackHalf } from '../../src/core/half.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import { hasWasmSimd } from '../../src/backend/wasm/load.js';
import { setBackend } from '../../src/backend/registry.js';

const wasm = hasWasmSimd() && (await initWasmBackend({ select: false }));
const head = multiclassHead({ numClasses: 10 });

/** The model saved with 16-bit weights and read back kept 16-bit, and widened. */
function load(module: nn.Module, format: 'float16' | 'bfloat16' = 'float16'): { half: nn.Module; widened: nn.Module } {
  const files = modelFiles({ module, head }, { weightsDType: format });
  const read = (keepHalf: boolean): nn.Module => parseModelFiles(files['model.json'], files['model.safetensors'], 'm', { keepHalf }).module;
  return { half: read(true), widened: read(false) };
}

const maxDiff = (a: Tensor, b: Tensor): number => Array.from(a.data).reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);
const range = (t: Tensor): number => Array.from(t.data).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

test('a float16 MLP kept 16-bit holds 2 bytes a parameter and predicts as the widened model, within float16 tolerance of float32', () => {
  const model = nn.mlp({ sizes: [64, 1100, 10], activation: 'relu', seed: 1 }).eval(); // 70,400 weights: the blocked Linear path
  assert.ok(64 * 1100 > HALF_BLOCK_FLOATS);
  const { half, widened } = load(model);
  assert.ok(half instanceof HalfModel);
  assert.equal(half.parameterBytes(), 2 * model.numParams());
  assert.deepEqual(half.params, {}, 'no float32 parameter tensors are kept');
  const x = randn([257, 64], { rng: new Rng(2) });
  for (const backend of wasm ? ['js', 'wasm'] : ['js']) {
    setBackend(backend);
    try {
      const y32: Tensor = noGrad(() => model.forward(x)), yHalf: Tensor = noGrad(() => half.forward(x)), yWide: Tensor = noGrad(() => widened.forward(x));
      assert.ok(maxDiff(yHalf, yWide) <= 1e-6 * range(yWide), `${backend}: kept-16-bit vs widened ${maxDiff(yHalf, yWide)}`);
      assert.ok(maxDiff(yHalf, y32) <= 4e-3 * range(y32), `${backend}: float16 vs float32 ${maxDiff(yHalf, y32)} for outputs up to ${range(y32)}`);
      assert.deepEqual(predictRaw(half, x).data, yHalf.data, `${backend}: predictRaw runs it eagerly (never captured), twice the same`);
      assert.deepEqual(predictRaw(half, x).data, yHalf.data);
    } finally {
      setBackend('js');
    }
  }
  const back = modelFiles({ module: half, head }, { weightsDType: 'float16' }), again = modelFiles({ module: model, head }, { weightsDType: 'float16' });
  assert.deepEqual(back['model.safetensors'], again['model.safetensors'], 'saved again as float16, the same bytes');
});

test('widening through the float16 table gives every pattern the value of the per-element conversion', () => {
  const all = Uint16Array.from({ length: 65536 }, (_, h) => h);
  const table = unpackHalf(all, 'float16');
  for (let h = 0; h < 65536; h++) {
    const want = halfBitsToFloat(h);
    assert.ok(Number.isNaN(want) ? Number.isNaN(table[h]!) : Object.is(table[h], want), `0x${h.toString(16)}: ${table[h]} vs ${want}`);
  }
  assert.deepEqual(unpackHalf(Uint16Array.of(0x3f80, 0xbf80, 0x7f80), 'bfloat16'), Float32Array.of(1, -1, Infinity));
});

test('bfloat16, a conv stack with BatchNorm, and what stays widened: a non-Sequential model or a float32 file', () => {
  const rng = new Rng(3);
  const conv = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1, rng }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.Flatten(), new nn.Linear(4 * 6 * 6, 10, { rng }),
  ).eval();
  const x = randn([5, 1, 6, 6], { rng: new Rng(4) });
  for (const format of ['float16', 'bfloat16'] as const) {
    const { half, widened } = load(conv, format);
    assert.ok(half instanceof HalfModel && half.format === format);
    const want = noGrad(() => widened.forward(x));
    assert.ok(maxDiff(noGrad(() => half.forward(x)), want) <= 1e-6 * range(want), format);
  }
  assert.ok(!(load(new nn.Linear(4, 3)).half instanceof HalfModel), 'a lone Linear is no Sequential: widened');
  const f32 = modelFiles({ module: conv, head });
  assert.ok(!(parseModelFiles(f32['model.json'], f32['model.safetensors'], 'm', { keepHalf: true }).module instanceof HalfModel));
  const { half } = load(conv);
  assert.throws(() => half.loadStateDict({}), /^ArgumentError: HalfModel: a HalfModel is read from a float16 model file; load new weights into a float32 model/);
});
