// Where the built kernels sit as bundlers see them: compiled to dist/wasm/urls.js, next to dist/wasm/*.wasm.
//
// Each URL is a literal `new URL('./….wasm', import.meta.url)`, the pattern Vite and webpack find,
// copy and rewrite; in an esbuild ESM bundle it means "next to the bundle". Where `import.meta.url`
// is empty (an esbuild IIFE) these throw, and the loader moves on to the embedded copy.

/**
 * The URL of the plain build.
 * @example await fetch(neuriteWasmUrl());
 */
export function neuriteWasmUrl(): URL {
  return new URL('./neurite.wasm', import.meta.url);
}

/**
 * The URL of the threaded build (imported shared memory).
 * @example await fetch(neuriteThreadsWasmUrl());
 */
export function neuriteThreadsWasmUrl(): URL {
  return new URL('./neurite-threads.wasm', import.meta.url);
}
