// The browser benchmark's workload, the same code in Chromium and in Node: epochs of a 64-256-256-10 MLP (Adam, batch 128).
import { fit, multiclassHead, nn, Optimizer, adam, randn, Rng, setBackend, tensor, registerBackend } from '../../src/index.js';
import { createThreadedWasmBackend, createWasmBackend } from '../../src/backend/wasm/index.js';
import { loadWasmModule } from '../../src/backend/wasm/load.js';
import type { KernelExports } from '../../src/backend/wasm/kernels.js';

/** Samples per epoch and the batch size. */
export const SAMPLES = 4096, BATCH = 128;

/** One backend's figures: milliseconds per epoch (median of the timed epochs, after one warm-up epoch). */
export interface EpochFigure { backend: string; medianMs: number; epochsMs: number[] }

/**
 * Registers 'wasm' and (where shared memory and workers exist) 'wasm×2'; resolves to the names usable here
 * and why any is missing.
 * @example const { names } = await prepareBackends();
 */
export async function prepareBackends(): Promise<{ names: string[]; missing: string[] }> {
  const names = ['js'], missing: string[] = [];
  const loaded = await loadWasmModule();
  if ('reason' in loaded) return { names, missing: [`wasm: ${loaded.reason}`] };
  const instance = await WebAssembly.instantiate(loaded.module, {});
  registerBackend(createWasmBackend(instance.exports as unknown as KernelExports));
  names.push('wasm');
  try {
    const { backend } = await createThreadedWasmBackend(2);
    registerBackend({ ...backend, name: 'wasm×2' });
    names.push('wasm×2');
  } catch (err) {
    missing.push(`wasm×2: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { names, missing };
}

/**
 * Trains a fresh seeded 64-256-256-10 MLP on `backend` for 1 + `epochs` epochs of SAMPLES random
 * samples; the first epoch warms the JIT and buffers and is not counted.
 * @example const fig = timeEpochs('wasm', 3, () => performance.now());
 */
export function timeEpochs(backend: string, epochs: number, now: () => number): EpochFigure {
  setBackend(backend);
  const rng = new Rng(1);
  const x = randn([SAMPLES, 64], { rng });
  const y = tensor(Array.from({ length: SAMPLES }, () => Math.floor(rng.uniform() * 10)));
  const model = nn.mlp({ sizes: [64, 256, 256, 10], activation: 'relu', seed: 1 });
  const head = multiclassHead({ numClasses: 10 });
  const optimizer = new Optimizer(adam({ lr: 1e-3 }), model);
  const epochsMs: number[] = [];
  for (let e = 0; e <= epochs; e++) {
    const t0 = now();
    const { history } = fit({ model, head, optimizer, x, y, epochs: 1, batchSize: BATCH, seed: e + 1 });
    if (!Number.isFinite(history[0]!.loss)) throw new Error(`${backend}: the loss is ${history[0]!.loss} in epoch ${e + 1}`);
    if (e > 0) epochsMs.push(now() - t0);
  }
  const sorted = [...epochsMs].sort((a, b) => a - b);
  return { backend, medianMs: sorted[Math.floor(sorted.length / 2)]!, epochsMs };
}
