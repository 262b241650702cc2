// The relaxed-SIMD build (FMA matmul micro-kernel): the backend conformance suite and the inference fast path's bit-identity run on it too.
// Node 20 validates relaxed SIMD only with --experimental-wasm-relaxed-simd, so these run in a child process with the flag;
// the loader then picks dist/wasm/neurite-relaxed.wasm (test/backend/default-backend.test.ts checks that choice).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWasmModule } from '../../src/backend/wasm/load.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const built = await loadWasmModule();
const skip = 'reason' in built ? `wasm backend unavailable: ${built.reason}` : undefined;

test('on the relaxed-SIMD build every backend kernel stays within the conformance bounds and the fast path is bit-identical to eager', { skip }, () => {
  const files = ['test/backend/conformance.test.ts', 'test/nn/infer.test.ts'];
  // Without NODE_TEST_CONTEXT (set by the outer runner) the child prints its own TAP summary.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', '--test', ...files], { cwd: root, encoding: 'utf8', env: { ...env, NEURITE_BACKEND: '' }, timeout: 120_000 });
  assert.equal(r.status, 0, r.stdout.split('\n').filter((l) => l.startsWith('not ok') || l.includes('rror')).join('\n') + r.stderr);
  assert.match(r.stdout, /# fail 0/);
});
