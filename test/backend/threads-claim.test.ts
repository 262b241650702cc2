// The two-thread matmul's chunk claiming: results bit-identical to one thread, whoever computes which chunk.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createThreadedWasmBackend, createWasmBackend } from '../../src/backend/wasm/index.js';
import { loadWasmModule } from '../../src/backend/wasm/load.js';
import type { KernelExports } from '../../src/backend/wasm/kernels.js';
import type { Backend } from '../../src/backend/backend.js';

const loaded = await loadWasmModule();
let one: Backend | undefined, two: Backend | undefined, skip: string | false = false;
try {
  if (!('module' in loaded)) throw new Error(loaded.reason);
  one = createWasmBackend((await WebAssembly.instantiate(loaded.module, {})).exports as unknown as KernelExports, { minFlops: 0 });
  const started = await createThreadedWasmBackend(2, { minFlops: 0, threadMinFlops: 0 });
  two = started.backend;
  after(() => started.pool.close());
} catch (err) {
  skip = `threaded wasm backend unavailable: ${err instanceof Error ? err.message : String(err)}`;
}

/** Deterministic values in [-1, 1). */
const values = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (((i * 7919 + seed * 104729) % 2003) / 1001.5) - 1);

test('two-thread matmuls equal one-thread ones bit for bit, back to back, on odd row counts and transposed operands', { skip }, () => {
  // The shapes of the MLP's forward and both gradients, plus row counts that leave a short last chunk.
  const shapes: [number, number, number, boolean, boolean][] = [[128, 784, 256, false, true], [784, 128, 256, true, false], [37, 50, 19, false, false], [61, 33, 70, true, true]];
  for (let round = 0; round < 30; round++) {
    for (const [m, k, n, transA, transB] of shapes) {
      const a = values(m * k, round + m), b = values(k * n, round + n);
      const p = { batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0 };
      const want = new Float32Array(m * n), got = new Float32Array(m * n).fill(12345.5);
      one!.matmul(a, b, want, p);
      two!.matmul(a, b, got, p);
      assert.deepEqual(got, want, `round ${round}, ${m}x${k}x${n} transA=${transA} transB=${transB}`);
    }
  }
});
