// The backend conformance suite (test/backend/conformance.test.ts, unchanged) in a page: js, wasm and wasm on 2 threads.
//
// Bundled by test/browser/conformance.test.ts with node:test and node:assert/strict mapped to the
// shims beside this file. `?only=<regexp>` runs a subset; `?threads=2` also reports what
// initWasmBackend({ threads: 2 }) and ready() say on this page (the note without isolation);
// `?missing=<url>` reports loading the kernels from a URL that answers 404.
import { runRecorded } from './node-test-shim.js';
import { initWasmBackend, ready, wasmThreads } from '../../../src/index.js';
import { loadWasmModule } from '../../../src/backend/wasm/load.js';

const params = new URL(location.href).searchParams;
const out: Record<string, unknown> = { isolated: globalThis.crossOriginIsolated };
try {
  await import('../../backend/conformance.test.js');
  out.outcomes = await runRecorded(new RegExp(params.get('only') ?? '.'));
  if (params.has('threads')) {
    out.init = await initWasmBackend({ threads: Number(params.get('threads')) });
    out.threads = wasmThreads();
    out.ready = await ready();
  }
  if (params.has('missing')) out.missing = await loadWasmModule('neurite.wasm', { url: params.get('missing')! });
} catch (err) {
  out.error = err instanceof Error ? `${err.message}\n${err.stack}` : String(err);
}
(globalThis as { conformance?: unknown }).conformance = out;
