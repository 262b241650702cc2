// The package entry's default backend: WASM wherever it loads, the JS reference otherwise; `ready()` says which and why.
import { backendChosenByProgram, getBackend, listBackends, selectDefaultBackend } from './registry.js';
import { initWasmBackend, initWasmBackendSync, processEnv, wantedBackend, wasmSimd, wasmThreads, wasmUnavailableReason } from './wasm/init.js';

/** What {@link ready} resolves to. */
export interface BackendStatus {
  /** The backend in use now ('wasm' or 'js'). */
  readonly backend: string;
  /** Why it is that one, in words (e.g. the load error that left the JS reference in place). */
  readonly reason: string;
  /** Why the wasm backend could not be loaded; null when it is loaded. */
  readonly wasmError: string | null;
  /** Threads the wasm matmul uses (1 = the calling thread only). */
  readonly threads: number;
  /** Why fewer threads than asked run (e.g. a page that is not crossOriginIsolated); null otherwise. */
  readonly threadsNote: string | null;
  /** The wasm build in use: 'relaxed' (FMA matmul kernel), 'plain' or 'supplied' (see wasmSimd); null on the JS backend. */
  readonly simd: 'relaxed' | 'plain' | 'supplied' | null;
}

let pending: Promise<void> | null = null;
let envChoice: 'js' | 'wasm' | undefined;

/**
 * Starts the default selection (the package entry calls it on import): NEURITE_BACKEND=js keeps JS;
 * otherwise WASM, synchronously where the host has a disk (Node: `import 'neurite'` returns with WASM
 * in use), else loaded in the background (browsers: {@link ready} awaits it). Never overrides a
 * `setBackend` call. Throws on an unknown NEURITE_BACKEND, and when NEURITE_BACKEND=wasm cannot load.
 * @example startDefaultBackend(); const { backend } = await ready();
 */
export function startDefaultBackend(env: Record<string, string | undefined> = processEnv()): void {
  if (pending) return;
  envChoice = wantedBackend(env);
  if (envChoice === 'js') {
    pending = Promise.resolve();
    return;
  }
  if (initWasmBackendSync()) {
    selectDefaultBackend('wasm');
    pending = Promise.resolve();
    return;
  }
  if (envChoice === 'wasm') throw new Error(`NEURITE_BACKEND=wasm: the wasm backend is unavailable: ${wasmUnavailableReason()}`);
  pending = initWasmBackend({ select: false }).then((ok) => {
    if (ok) selectDefaultBackend('wasm');
  });
}

/**
 * Waits for the default backend selection (starting it if the entry has not) and reports which
 * backend is in use and why. Ops run before it resolves use the JS reference.
 * @example
 * const { backend, reason } = await ready();   // 'wasm', or 'js' with the load error in `reason`
 */
export async function ready(): Promise<BackendStatus> {
  if (!pending) startDefaultBackend();
  await pending;
  return backendStatus();
}

function backendStatus(): BackendStatus {
  const backend = getBackend().name;
  const wasmError = listBackends().includes('wasm') ? null : wasmUnavailableReason();
  const { threads, note } = wasmThreads();
  let reason: string;
  if (backendChosenByProgram()) reason = `chosen with setBackend('${backend}') or initWasmBackend()`;
  else if (envChoice === 'js') reason = 'NEURITE_BACKEND=js';
  else if (backend === 'wasm') reason = 'the WebAssembly SIMD kernels loaded (the default)';
  else reason = `the WebAssembly kernels did not load, so the JS reference runs: ${wasmError}`;
  return { backend, reason, wasmError, threads: backend === 'wasm' ? threads : 1, threadsNote: note, simd: backend === 'wasm' ? wasmSimd() : null };
}
