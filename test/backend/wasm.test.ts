// The wasm backend's loading, feature probe, registration, env selection and use through the public ops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backendFromEnv, createWasmBackend, initWasmBackend, wasmUnavailableReason } from '../../src/backend/wasm/index.js';
import type { KernelExports } from '../../src/backend/wasm/kernels.js';
import type { UnaryOp } from '../../src/backend/backend.js';
import { hasWasmSimd, loadWasmModule } from '../../src/backend/wasm/load.js';
import { getBackend, listBackends, setBackend } from '../../src/backend/registry.js';
import { matmul, randn, Rng } from '../../src/index.js';

const built = await loadWasmModule();
const skip = 'reason' in built ? `wasm backend unavailable: ${built.reason}` : undefined;

test('Node 20 has WebAssembly SIMD, and a missing or invalid module is explained, not thrown', async () => {
  assert.equal(hasWasmSimd(), true);
  const missing = await loadWasmModule('neurite.wasm', { url: new URL('file:///nonexistent/neurite.wasm') });
  assert.ok('reason' in missing && /not found .*npm run build/.test(missing.reason), JSON.stringify(missing));
  const invalid = await loadWasmModule('neurite.wasm', { bytes: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]) });
  assert.ok('reason' in invalid && /does not validate/.test(invalid.reason), JSON.stringify(invalid));
});

test('backendFromEnv rejects unknown names and bad thread counts, and honours NEURITE_BACKEND=js', async () => {
  await assert.rejects(backendFromEnv({ NEURITE_BACKEND: 'cuda' }), /NEURITE_BACKEND="cuda": unknown backend; use 'js' or 'wasm'/);
  await assert.rejects(backendFromEnv({ NEURITE_BACKEND: 'wasm', NEURITE_THREADS: '0' }), /NEURITE_THREADS="0": expected a positive integer/);
  assert.equal(await backendFromEnv({ NEURITE_BACKEND: 'js' }), 'js');
  assert.equal(getBackend().name, 'js');
});

test('initWasmBackend({ select: false }) registers wasm without switching to it', { skip }, async () => {
  assert.equal(await initWasmBackend({ select: false }), true);
  assert.equal(wasmUnavailableReason(), null);
  assert.ok(listBackends().includes('wasm'));
  assert.equal(getBackend().name, 'js');
});

test('NEURITE_BACKEND=wasm (or unset) selects wasm; matmul through the ops agrees with js', { skip }, async () => {
  assert.equal(await backendFromEnv({ NEURITE_BACKEND: 'wasm' }), 'wasm');
  assert.equal(await backendFromEnv({}), 'wasm');
  const rng = new Rng(7);
  const x = randn([2, 33, 65], { rng }), w = randn([17, 65], { rng });
  for (const dtype of ['float32', 'float64'] as const) {
    const xd = x.cast(dtype), wd = w.cast(dtype);
    setBackend('wasm');
    const got = matmul(xd, wd, { transB: true });
    setBackend('js');
    const want = matmul(xd, wd, { transB: true });
    assert.deepEqual(got.shape, [2, 33, 17]);
    assert.equal(got.dtype, dtype);
    const worst = Array.from(got.data).reduce((acc, v, i) => Math.max(acc, Math.abs(v - want.data[i]!)), 0);
    assert.ok(worst < (dtype === 'float32' ? 1e-4 : 1e-12), `${dtype}: worst difference ${worst}`);
  }
});

test('WASM exp, sigmoid and tanh are accurate to a few float32 ulps over a dense sweep', { skip }, async () => {
  if (!('module' in built)) return;
  const instance = await WebAssembly.instantiate(built.module, {});
  const wasm = createWasmBackend(instance.exports as unknown as KernelExports, { elementwiseMin: 0 });
  const sweep = (lo: number, hi: number): Float32Array => Float32Array.from({ length: 40001 }, (_, i) => lo + ((hi - lo) * i) / 40000);
  const cases: [UnaryOp, Float32Array, (x: number) => number, number][] = [
    ['exp', sweep(-87, 88), Math.exp, 1e-6],
    ['sigmoid', sweep(-30, 30), (x) => 1 / (1 + Math.exp(-x)), 1e-6],
    ['tanh', sweep(-10, 10), Math.tanh, 1e-6],
    ['tanh', sweep(-0.7, 0.7), Math.tanh, 1e-6],
  ];
  for (const [op, x, f, rtol] of cases) {
    const out = new Float32Array(x.length);
    wasm.unary(op, x, out);
    let worst = 0, at = 0;
    for (let i = 0; i < x.length; i++) {
      const want = f(x[i]!), err = Math.abs(out[i]! - want) / Math.max(Math.abs(want), 1e-30);
      if (err > worst) { worst = err; at = x[i]!; }
    }
    assert.ok(worst <= rtol, `${op}: worst relative error ${worst.toExponential(2)} at x=${at}`);
  }
});
