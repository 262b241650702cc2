// Loads, registers and selects the WASM backend: once it succeeds (a failed load can be retried), threads on request, env selection.
import { registerBackend, setBackend } from '../registry.js';
import { loadWasmModule, loadWasmModuleSync } from './load.js';
import type { SimdKind, WasmSource } from './source.js';
import { createThreadedWasmBackend, createWasmBackend } from './create.js';
import type { KernelExports } from './kernels.js';
import type { MatmulThreadPool } from './threads.js';

let unavailable: string | null = 'initWasmBackend() has not run';
let loaded = false;
let inflight: Promise<boolean> | null = null;
let threadCount = 1;
let threadsNote: string | null = null;
let activePool: MatmulThreadPool | undefined;
let simdKind: SimdKind | null = null;

/**
 * Why the wasm backend is not available (null once it is registered).
 * @example if (!(await initWasmBackend())) console.warn(wasmUnavailableReason());
 */
export function wasmUnavailableReason(): string | null {
  return unavailable;
}

/** Options of {@link initWasmBackend}. */
export interface WasmInitOptions extends WasmSource {
  /** Make 'wasm' the current backend once registered (default true). */
  readonly select?: boolean;
  /**
   * Threads for large matmuls, the calling one included (default 1). Above 1, workers (Node
   * worker_threads; module Workers in a `crossOriginIsolated` page) share one WebAssembly.Memory;
   * where that is impossible the backend stays on fewer threads and {@link wasmThreads} says why.
   * A later call may ask for more threads; {@link closeWasmThreads} goes back to one.
   */
  readonly threads?: number;
}

/**
 * Which build runs (null before one loaded): 'relaxed' — the matmul micro-kernel with
 * f32x4.relaxed_madd (fused multiply-adds where the hardware has them: products rounded once, so
 * float32 results differ from 'plain' in the last bits; picked automatically where the engine
 * validates relaxed SIMD, unless NEURITE_SIMD=plain), 'plain', or 'supplied' (bytes/URL given).
 * @example if (wasmSimd() === 'relaxed') console.log('FMA matmul kernel');
 */
export function wasmSimd(): SimdKind | null {
  return simdKind;
}

/**
 * Threads the wasm matmul uses (1 = the calling thread only), and why fewer than asked where so.
 * @example const { threads, note } = wasmThreads();
 */
export function wasmThreads(): { threads: number; note: string | null } {
  return { threads: threadCount, note: threadsNote };
}

/**
 * Stops the worker threads, if any; the backend goes on single-threaded. Optional: idle workers never
 * keep the process alive.
 * @example await closeWasmThreads();
 */
export async function closeWasmThreads(): Promise<void> {
  const pool = activePool;
  activePool = undefined;
  threadCount = 1;
  if (pool) await pool.close();
}

function register(exports: unknown, simd: SimdKind): void {
  registerBackend(createWasmBackend(exports as KernelExports));
  simdKind = simd;
  loaded = true;
  unavailable = null;
}

/**
 * The synchronous load where the host has a disk (the Node entry uses it): registers 'wasm' without
 * selecting it; false, with {@link wasmUnavailableReason} saying why, where it cannot.
 * @example if (initWasmBackendSync()) setBackend('wasm');
 */
export function initWasmBackendSync(): boolean {
  if (loaded) return true;
  const r = loadWasmModuleSync();
  if ('reason' in r) {
    unavailable = r.reason;
    return false;
  }
  register(new WebAssembly.Instance(r.module, {}).exports, r.simd);
  return true;
}

async function loadOnce(source: WasmSource): Promise<boolean> {
  const r = await loadWasmModule('neurite.wasm', source);
  if ('reason' in r) {
    unavailable = r.reason;
    return false;
  }
  try {
    register((await WebAssembly.instantiate(r.module, {})).exports, r.simd);
  } catch (err) {
    unavailable = `neurite.wasm compiled but did not instantiate: ${err instanceof Error ? err.message : String(err)}`;
    return false;
  }
  return true;
}

async function startThreads(threads: number): Promise<void> {
  if (threads <= threadCount) return;
  try {
    const started = await createThreadedWasmBackend(threads);
    const old = activePool;
    registerBackend(started.backend); // the registry switches to it where 'wasm' is in use
    activePool = started.pool;
    threadCount = threads;
    threadsNote = null;
    await old?.close();
  } catch (err) {
    threadsNote = `${threadCount === 1 ? 'single-threaded' : `${threadCount} threads`} (${threads} asked): ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Probes WebAssembly SIMD, instantiates the built kernels and registers (and by default selects) the
 * backend named 'wasm'. Resolves false, leaving the current backend in place, where that cannot be
 * done; {@link wasmUnavailableReason} then says why, and a later call (e.g. with `{ url }`) tries again.
 * Once loaded, later calls only add threads.
 * @example
 * if (!(await initWasmBackend())) console.warn('wasm backend unavailable:', wasmUnavailableReason());
 */
export async function initWasmBackend(options: WasmInitOptions = {}): Promise<boolean> {
  while (inflight) await inflight;
  const run = (async () => {
    if (!loaded && !(await loadOnce(options))) return false;
    await startThreads(Math.max(1, Math.floor(options.threads ?? 1)));
    return true;
  })();
  inflight = run;
  let ok: boolean;
  try {
    ok = await run;
  } finally {
    if (inflight === run) inflight = null;
  }
  if (ok && options.select !== false) setBackend('wasm');
  return ok;
}

/**
 * Selects the backend named by the environment variable NEURITE_BACKEND (`js` or `wasm`); with it
 * unset, tries wasm and keeps JS if that fails. NEURITE_THREADS=n gives wasm's matmul n threads.
 * Resolves to the name of the backend now in use.
 * Throws on an unknown name, or when `wasm` is asked for explicitly and cannot be used.
 * @example const name = await backendFromEnv(); // 'wasm' where supported and built
 */
export async function backendFromEnv(env: Record<string, string | undefined> = processEnv()): Promise<string> {
  const wanted = wantedBackend(env);
  if (wanted === 'js') {
    setBackend('js');
    return 'js';
  }
  const threadsVar = env.NEURITE_THREADS?.trim();
  const threads = threadsVar ? Number(threadsVar) : 1;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`NEURITE_THREADS=${JSON.stringify(threadsVar)}: expected a positive integer`);
  if (await initWasmBackend({ threads })) return 'wasm';
  if (wanted === 'wasm') throw new Error(`NEURITE_BACKEND=wasm: the wasm backend is unavailable: ${unavailable}`);
  return 'js';
}

/**
 * NEURITE_BACKEND as 'js', 'wasm' or undefined (unset); throws on any other value.
 * @example wantedBackend({ NEURITE_BACKEND: 'JS' }) // 'js'
 */
export function wantedBackend(env: Record<string, string | undefined>): 'js' | 'wasm' | undefined {
  const wanted = env.NEURITE_BACKEND?.trim().toLowerCase() || undefined;
  if (wanted !== undefined && wanted !== 'js' && wanted !== 'wasm') {
    throw new Error(`NEURITE_BACKEND=${JSON.stringify(env.NEURITE_BACKEND)}: unknown backend; use 'js' or 'wasm'`);
  }
  return wanted;
}

/** `process.env` where there is one (Node), an empty object in browsers. */
export function processEnv(): Record<string, string | undefined> {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env ?? {};
}
