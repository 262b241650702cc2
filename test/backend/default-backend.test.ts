// The default backend: WASM at `import 'neurite'` in Node (synchronously), ready()'s report, NEURITE_BACKEND, retrying a failed load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initWasmBackend, ready, setBackend, getBackend, wasmUnavailableReason } from '../../src/index.js';
import { hasRelaxedSimd, loadWasmModule } from '../../src/backend/wasm/load.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const built = await loadWasmModule();
const skip = 'reason' in built ? `wasm backend unavailable: ${built.reason}` : undefined;

/** Runs a module script that imports the built package by name, in a fresh Node process. */
function node(script: string, env: Record<string, string> = {}): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  return { status: r.status, out: r.stdout.trim(), err: r.stderr };
}

test("import 'neurite' in Node selects WASM synchronously; await ready() says so", { skip }, () => {
  const r = node("import { getBackend, ready } from 'neurite'; const now = getBackend().name; const s = await ready(); console.log(JSON.stringify({ now, s }));", { NEURITE_BACKEND: '' });
  assert.equal(r.status, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), {
    now: 'wasm',
    s: { backend: 'wasm', reason: 'the WebAssembly SIMD kernels loaded (the default)', wasmError: null, threads: 1, threadsNote: null, simd: 'plain' },
  });
});

test('with relaxed SIMD in the engine the relaxed build loads (NEURITE_SIMD=plain keeps the plain one), on one thread and two', { skip }, () => {
  // A CommonJS -e script (worker_threads' eval workers do not start from an ES-module -e script).
  const script = "(async () => { const { ready, initWasmBackend } = await import('neurite'); await initWasmBackend({ threads: 2 }); const s = await ready(); console.log(s.simd, s.threads); })()";
  const run = (env: Record<string, string>): { status: number | null; out: string; err: string } => {
    const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
    return { status: r.status, out: r.stdout.trim(), err: r.stderr };
  };
  const relaxed = run({ NEURITE_BACKEND: '' });
  assert.equal(relaxed.status, 0, relaxed.err);
  assert.equal(relaxed.out, 'relaxed 2');
  const plain = run({ NEURITE_BACKEND: '', NEURITE_SIMD: 'plain' });
  assert.equal(plain.status, 0, plain.err);
  assert.equal(plain.out, 'plain 2');
});

test('NEURITE_BACKEND=js keeps the JS reference at import; an unknown name fails the import naming it', () => {
  const js = node("import { getBackend, ready } from 'neurite'; console.log(getBackend().name, (await ready()).reason);", { NEURITE_BACKEND: 'js' });
  assert.equal(js.status, 0, js.err);
  assert.equal(js.out, 'js NEURITE_BACKEND=js');
  const bad = node("await import('neurite');", { NEURITE_BACKEND: 'cuda' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.err, /NEURITE_BACKEND="cuda": unknown backend; use 'js' or 'wasm'/);
});

test('a failed load says what it tried and can be retried; ready() then reports wasm, and never overrides setBackend', { skip }, async () => {
  assert.equal(getBackend().name, 'js', 'src/index.ts (the side-effect-free API) starts on js');
  assert.equal(await initWasmBackend({ url: 'file:///nonexistent/neurite.wasm', select: false }), false);
  assert.equal(wasmUnavailableReason(), 'neurite.wasm not found (tried file:///nonexistent/neurite.wasm (no such file)); run `npm run build` in the neurite package');
  assert.equal(await initWasmBackend({ bytes: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]), select: false }), false);
  assert.equal(wasmUnavailableReason(), 'neurite.wasm does not validate on this engine (a truncated or foreign file?)');
  assert.equal(await initWasmBackend({ select: false }), true, 'the retry loads');
  assert.equal(wasmUnavailableReason(), null);
  assert.equal(getBackend().name, 'js');
  const s = await ready();
  assert.deepEqual(s, { backend: 'wasm', reason: 'the WebAssembly SIMD kernels loaded (the default)', wasmError: null, threads: 1, threadsNote: null, simd: hasRelaxedSimd() ? 'relaxed' : 'plain' });
  setBackend('js');
  assert.deepEqual({ ...(await ready()) }, { backend: 'js', reason: "chosen with setBackend('js') or initWasmBackend()", wasmError: null, threads: 1, threadsNote: null, simd: null });
});

test("the README's example (examples/quickstart.ts) trains on WASM with no initWasmBackend call", { skip }, () => {
  const source = readFileSync(join(root, 'examples/quickstart.ts'), 'utf8');
  assert.doesNotMatch(source, /initWasmBackend|backendFromEnv|setBackend/);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/quickstart.ts'], { cwd: root, encoding: 'utf8', env: { ...process.env, NEURITE_BACKEND: '' }, timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const line = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { backend: string; finalLoss: number };
  assert.equal(line.backend, 'wasm');
  assert.ok(line.finalLoss < 0.1, `final loss ${line.finalLoss}`);
});
