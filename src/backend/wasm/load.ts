// Finds, feature-probes and compiles the built WASM kernels (dist/wasm/*.wasm) in Node and in browsers.
//
// Where the bytes come from, in order: the caller's `{ bytes }` or `{ url }`; else the host's disk
// (Node, `#wasm-platform`); else the file as bundlers see it (`src/wasm/urls.ts`:
// `new URL('./neurite.wasm', import.meta.url)`, which Vite and webpack copy and rewrite); else the copy embedded in `dist/wasm/embedded.js` (esbuild, which copies no assets, and Vite's
// dev server, whose pre-bundled dependencies lose the relative path).
import { platform } from '#wasm-platform';
import type { SimdKind, WasmSource } from './source.js';
import { neuriteThreadsWasmUrl, neuriteWasmUrl } from '../../wasm/urls.js';

export type { SimdKind, WasmSource } from './source.js';

/** The builds: plain and threaded (imported shared memory), each also with relaxed SIMD. */
export type KernelFile = 'neurite.wasm' | 'neurite-threads.wasm' | 'neurite-relaxed.wasm' | 'neurite-threads-relaxed.wasm';


const RELAXED_TWIN: Partial<Record<KernelFile, KernelFile>> = { 'neurite.wasm': 'neurite-relaxed.wasm', 'neurite-threads.wasm': 'neurite-threads-relaxed.wasm' };

/** The smallest module that uses SIMD (i8x16.splat + i8x16.popcnt): valid only where SIMD is supported. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Whether this engine has WebAssembly with fixed-width SIMD. */
export function hasWasmSimd(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function' && WebAssembly.validate(SIMD_PROBE);
}

/** A module whose one function runs f32x4.relaxed_madd on three v128 constants: valid only where relaxed SIMD is. */
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0,
  ...[0, 1, 2].flatMap(() => [253, 12, ...new Array<number>(16).fill(0)]), 253, 133, 2, 11,
]);

/**
 * Whether this engine validates relaxed SIMD (Chromium does; Node 20 only with
 * `--experimental-wasm-relaxed-simd`).
 * @example if (hasRelaxedSimd()) console.log('the relaxed-SIMD matmul kernel can load');
 */
export function hasRelaxedSimd(): boolean {
  return hasWasmSimd() && WebAssembly.validate(RELAXED_PROBE);
}

/** The relaxed twin of `file` where the engine has relaxed SIMD and NEURITE_SIMD is not `plain`; else null. */
function relaxedTwin(file: KernelFile): KernelFile | null {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.NEURITE_SIMD?.trim().toLowerCase() === 'plain') return null;
  const twin = RELAXED_TWIN[file];
  return twin && hasRelaxedSimd() ? twin : null;
}

/** Whether shared WebAssembly memories can be created (browsers: only when `crossOriginIsolated`). */
export function hasSharedMemory(): boolean {
  try {
    const m = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return m.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

type Bytes = Uint8Array<ArrayBuffer>;
type Attempt = { bytes: Bytes } | { failed: string };

async function fetchBytes(url: URL): Promise<Attempt> {
  const local = platform.readFileUrl(url);
  if (local) return { bytes: local };
  if (url.protocol === 'file:' && platform.name === 'node') return { failed: `${url.href} (no such file)` };
  try {
    const res = await fetch(url);
    if (!res.ok) return { failed: `${url.href} (HTTP ${res.status})` };
    return { bytes: new Uint8Array(await res.arrayBuffer()) };
  } catch (err) {
    return { failed: `${url.href} (${err instanceof Error ? err.message : String(err)})` };
  }
}

async function embeddedBytes(file: KernelFile): Promise<Attempt> {
  try {
    const embedded = await import('../../wasm/embedded.js');
    const b64 = file === 'neurite.wasm' ? embedded.neuriteWasm : embedded.neuriteThreadsWasm;
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return { bytes };
  } catch (err) {
    return { failed: `the embedded copy (${err instanceof Error ? err.message : String(err)})` };
  }
}

/** The bytes from the first source that has them, or every source tried and why it failed. */
async function findBytes(file: KernelFile, source: WasmSource): Promise<Bytes | string[]> {
  if (source.bytes) return toBytes(source.bytes);
  if (source.url !== undefined) {
    const href = typeof source.url === 'string' ? source.url : source.url.href;
    const got = await fetchBytes(new URL(href, globalThis.location?.href ?? import.meta.url));
    return 'bytes' in got ? got.bytes : [got.failed];
  }
  const disk = platform.readBuiltFile(file);
  if (disk) return disk;
  const tried: string[] = [];
  if (platform.name === 'node') tried.push(`dist/wasm/${file} (no such file)`);
  let url: URL | null = null;
  try {
    url = file === 'neurite.wasm' ? neuriteWasmUrl() : neuriteThreadsWasmUrl();
  } catch {
    tried.push(`new URL('./${file}', import.meta.url) (import.meta.url is empty in this bundle)`);
  }
  for (const attempt of [url && platform.name !== 'node' ? () => fetchBytes(url) : null, () => embeddedBytes(file)]) {
    if (!attempt) continue;
    const got = await attempt();
    if ('bytes' in got) return got.bytes;
    tried.push(got.failed);
  }
  return tried;
}

function toBytes(b: ArrayBuffer | ArrayBufferView): Bytes {
  return b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
}

/**
 * Compiles the kernels module `file` (default `neurite.wasm`), or explains why it cannot.
 * @example const r = await loadWasmModule(); if ('module' in r) WebAssembly.instantiate(r.module);
 */
export async function loadWasmModule(file: KernelFile = 'neurite.wasm', source: WasmSource = {}): Promise<{ module: WebAssembly.Module; simd: SimdKind } | { reason: string }> {
  if (!hasWasmSimd()) return { reason: 'this engine has no WebAssembly SIMD' };
  const supplied = source.bytes !== undefined || source.url !== undefined;
  // The relaxed build only from the host's disk (Node): a browser would have to guess a URL (and log a
  // 404 where the page serves only the plain file); pass `{ url }` of neurite-relaxed.wasm there.
  const twin = supplied ? null : relaxedTwin(file);
  const relaxed = twin ? platform.readBuiltFile(twin) : null;
  if (relaxed && WebAssembly.validate(relaxed)) return { module: await WebAssembly.compile(relaxed), simd: 'relaxed' };
  const found = await findBytes(file, source);
  if (Array.isArray(found)) return { reason: notFound(file, found) };
  if (!WebAssembly.validate(found)) return { reason: `${file} does not validate on this engine (a truncated or foreign file?)` };
  return { module: await WebAssembly.compile(found), simd: supplied ? 'supplied' : 'plain' };
}

/**
 * The synchronous path where the host has a disk (Node): reads the built file and compiles it.
 * @example const r = loadWasmModuleSync(); if ('module' in r) new WebAssembly.Instance(r.module, {});
 */
export function loadWasmModuleSync(file: KernelFile = 'neurite.wasm'): { module: WebAssembly.Module; simd: SimdKind } | { reason: string } {
  if (!hasWasmSimd()) return { reason: 'this engine has no WebAssembly SIMD' };
  const twin = relaxedTwin(file);
  const relaxed = twin ? platform.readBuiltFile(twin) : null;
  if (relaxed && WebAssembly.validate(relaxed)) return { module: new WebAssembly.Module(relaxed), simd: 'relaxed' };
  const bytes = platform.readBuiltFile(file);
  if (!bytes) return { reason: platform.name === 'node' ? notFound(file, [`dist/wasm/${file} (no such file)`]) : `${file}: no synchronous source in a browser` };
  if (!WebAssembly.validate(bytes)) return { reason: `${file} does not validate on this engine (a truncated or foreign file?)` };
  return { module: new WebAssembly.Module(bytes), simd: 'plain' };
}

function notFound(file: KernelFile, tried: string[]): string {
  const fix = platform.name === 'node'
    ? 'run `npm run build` in the neurite package'
    : "serve the file and pass its URL: initWasmBackend({ url: '/neurite.wasm' }) (docs/browser.md › Serving the wasm yourself)";
  return `${file} not found (tried ${tried.join('; ')}); ${fix}`;
}
