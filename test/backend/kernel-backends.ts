// The backends a kernel conformance file runs on: the JS reference and the WASM build with every size cut-off at 0.
import type { Backend } from '../../src/backend/backend.js';
import type { Storage } from '../../src/core/dtype.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { createWasmBackend } from '../../src/backend/wasm/index.js';
import { loadWasmModule } from '../../src/backend/wasm/load.js';
import type { KernelExports } from '../../src/backend/wasm/kernels.js';

/** [name, backend, skip reason] for js and wasm (wasm skipped, saying why, where the build is missing). */
export async function kernelBackends(): Promise<[string, Backend | undefined, string | undefined][]> {
  const loaded = await loadWasmModule();
  let wasm: Backend | undefined;
  if ('module' in loaded) {
    const instance = await WebAssembly.instantiate(loaded.module, {});
    wasm = createWasmBackend(instance.exports as unknown as KernelExports, { minFlops: 0, elementwiseMin: 0 });
  }
  return [['js', jsBackend, undefined], ['wasm', wasm, 'reason' in loaded ? `wasm backend unavailable: ${loaded.reason}` : undefined]];
}

/** Storage of `dtype` holding `values`. */
export const store = (dtype: 'float32' | 'float64', values: ArrayLike<number>): Storage => (dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values));
