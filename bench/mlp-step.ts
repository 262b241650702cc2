// Benchmark: one training step (forward + backward) of a 784-256-10 ReLU MLP through neurite's ops, per backend.
//
// Run: node --import tsx bench/mlp-step.ts [--batch 64] [--reps 7] [--threads N]
// Backends: js, wasm (one thread), wasm on N threads (default: the core count; 0 = skip). Prints steps/s
// and samples/s, then ONE JSON line. Needs `npm run build` for the wasm columns.
import { parseArgs } from 'node:util';
import os from 'node:os';
import { add, matmul, mul, randn, relu, sum, Rng, tensor, type Tensor } from '../src/index.js';
import { logSoftmax } from '../src/nn/functional.js';
import { registerBackend, setBackend } from '../src/backend/registry.js';
import { createThreadedWasmBackend, createWasmBackend } from '../src/backend/wasm/index.js';
import { loadWasmModule } from '../src/backend/wasm/load.js';
import type { KernelExports } from '../src/backend/wasm/kernels.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '64' },
    reps: { type: 'string', default: '7' },
    threads: { type: 'string', default: String(os.availableParallelism()) },
  },
});
const batch = Number(values.batch), reps = Number(values.reps), threads = Number(values.threads);

const rng = new Rng(1);
const w1 = randn([256, 784], { rng, std: 0.05, requiresGrad: true }), b1 = randn([256], { rng, std: 0.05, requiresGrad: true });
const w2 = randn([10, 256], { rng, std: 0.05, requiresGrad: true }), b2 = randn([10], { rng, std: 0.05, requiresGrad: true });
const x = randn([batch, 784], { rng });
const onehot = tensor(Array.from({ length: batch }, (_, i) => Array.from({ length: 10 }, (_, j) => (j === i % 10 ? -1 / batch : 0))));

/** Forward, cross-entropy, backward: the work of one SGD step without the update. */
function step(): void {
  for (const p of [w1, b1, w2, b2]) p.grad = null;
  const h = relu(add(matmul(x, w1, { transB: true }), b1));
  const logits = add(matmul(h, w2, { transB: true }), b2);
  const loss: Tensor = sum(mul(logSoftmax(logits), onehot));
  loss.backward();
}

function stepsPerSecond(): number {
  const t0 = performance.now();
  let warm = 0;
  while (warm < 5 || performance.now() - t0 < 300) { step(); warm++; }
  const inner = Math.max(1, Math.ceil(50 / ((performance.now() - t0) / warm)));
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const s = performance.now();
    for (let i = 0; i < inner; i++) step();
    samples.push((inner * 1000) / (performance.now() - s));
  }
  return samples.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
}

const results: Record<string, number> = {};
setBackend('js');
results.js = stepsPerSecond();
const loaded = await loadWasmModule();
if ('module' in loaded) {
  const single = createWasmBackend((await WebAssembly.instantiate(loaded.module, {})).exports as unknown as KernelExports);
  registerBackend({ ...single, name: 'wasm-1' });
  setBackend('wasm-1');
  results.wasm = stepsPerSecond();
  if (threads > 1) {
    const { backend, pool } = await createThreadedWasmBackend(threads);
    registerBackend({ ...backend, name: 'wasm-mt' });
    setBackend('wasm-mt');
    results[`wasm×${threads}`] = stepsPerSecond();
    await pool.close();
  }
} else console.log(`wasm: not available (${loaded.reason})`);

console.log(`784-256-10 ReLU MLP, batch ${batch}, forward + backward (float32)`);
for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(10)} ${v.toFixed(1).padStart(9)} steps/s ${(v * batch).toFixed(0).padStart(10)} samples/s`);
console.log(JSON.stringify({ bench: 'mlp-step', batch, unit: 'steps/s', nproc: os.availableParallelism(), node: process.version, results }));
