// Picks the compute backend for a CLI command: a --backend flag, else NEURITE_BACKEND, else wasm where it works.
import { setBackend } from '../../backend/registry.js';
import { backendFromEnv } from '../../backend/wasm/index.js';

/** Selects 'js' or 'wasm' (null: from the environment, defaulting to wasm when available). */
export async function selectBackend(flag: string | null): Promise<void> {
  if (flag === 'js') return setBackend('js');
  if (flag !== null && flag !== 'wasm') throw new Error(`--backend must be js or wasm, got "${flag}"`);
  await backendFromEnv(flag ? { ...process.env, NEURITE_BACKEND: flag } : process.env);
}
