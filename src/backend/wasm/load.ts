// Finds, feature-probes and compiles the built WASM kernels (dist/wasm/*.wasm) in Node and in browsers.

/** What a caller may pass instead of letting the loader find the built file next to the package. */
export interface WasmSource {
  /** The module's bytes (e.g. embedded by a bundler). */
  readonly bytes?: BufferSource;
  /** Where to read or fetch it from (a `file:` URL is read from disk in Node, anything else is fetched). */
  readonly url?: string | URL;
}

/** The smallest module that uses SIMD (i8x16.splat + i8x16.popcnt): valid only where SIMD is supported. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Whether this engine has WebAssembly with fixed-width SIMD. */
export function hasWasmSimd(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function' && WebAssembly.validate(SIMD_PROBE);
}

/** Whether shared WebAssembly memories and worker threads can be used (browsers need cross-origin isolation). */
export function hasSharedMemory(): boolean {
  try {
    const m = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return m.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/**
 * Where the built file can be: `dist/wasm/` seen from `dist/backend/wasm/load.js` (the published
 * package) and from `src/backend/wasm/load.ts` (running the sources under tsx).
 */
function candidateUrls(file: string): URL[] {
  return [new URL(`../../wasm/${file}`, import.meta.url), new URL(`../../../dist/wasm/${file}`, import.meta.url)];
}

async function readUrl(url: URL): Promise<Uint8Array<ArrayBuffer> | null> {
  if (url.protocol === 'file:') {
    const fs = await import('node:fs/promises');
    try {
      return new Uint8Array(await fs.readFile(url));
    } catch {
      return null;
    }
  }
  try {
    const res = await fetch(url);
    return res.ok ? new Uint8Array(await res.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

/**
 * Compiles the kernels module `file` (default `neurite.wasm`), or explains why it cannot.
 * @example const r = await loadWasmModule(); if ('module' in r) WebAssembly.instantiate(r.module);
 */
export async function loadWasmModule(file = 'neurite.wasm', source: WasmSource = {}): Promise<{ module: WebAssembly.Module } | { reason: string }> {
  if (!hasWasmSimd()) return { reason: 'this engine has no WebAssembly SIMD' };
  let bytes: BufferSource | null = source.bytes ?? null;
  const tried: string[] = [];
  if (!bytes) {
    const urls = source.url !== undefined ? [new URL(source.url, import.meta.url)] : candidateUrls(file);
    for (const url of urls) {
      tried.push(url.href);
      bytes = await readUrl(url);
      if (bytes) break;
    }
  }
  if (!bytes) return { reason: `${file} not found (tried ${tried.join(', ')}); run \`npm run build\`` };
  if (!WebAssembly.validate(bytes)) return { reason: `${file} does not validate on this engine` };
  return { module: await WebAssembly.compile(bytes) };
}
