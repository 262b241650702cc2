// The backend conformance suite in headless Chromium: js, wasm and wasm-threads (COOP/COEP) pass; without isolation threads are refused with a clear note.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromiumMissing, collectPageErrors, launchChromium, serveStatic } from '../helpers/chromium.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const skip = chromiumMissing() ?? (existsSync(join(root, 'dist/wasm/embedded.js')) ? undefined : 'dist/ is not built: run `npm run build`');
const site = mkdtempSync(join(tmpdir(), 'neurite-conformance-'));
let browser: Browser;

interface Outcome { name: string; status: 'pass' | 'fail' | 'skip'; detail?: string }
interface PageResult {
  isolated: boolean; outcomes?: Outcome[]; error?: string;
  init?: boolean; missing?: { reason?: string }; threads?: { threads: number; note: string | null }; ready?: { backend: string; threads: number; threadsNote: string | null };
}

before(async () => {
  if (skip) return;
  const { build } = await import('esbuild');
  const shim = (name: string): string => join(root, 'test/browser/page', name);
  await build({
    entryPoints: [join(root, 'test/browser/page/conformance-page.ts')],
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: join(site, 'app/conformance.js'), logLevel: 'error',
    plugins: [{
      name: 'node-shims',
      setup(b) {
        b.onResolve({ filter: /^node:test$/ }, () => ({ path: shim('node-test-shim.ts') }));
        b.onResolve({ filter: /^node:assert\/strict$/ }, () => ({ path: shim('assert-shim.ts') }));
        // The sources import dist's generated embedded copy by its place relative to dist/backend/wasm/.
        b.onResolve({ filter: /wasm\/embedded\.js$/ }, () => ({ path: join(root, 'dist/wasm/embedded.js') }));
      },
    }],
  });
  writeFileSync(join(site, 'app/index.html'), '<!doctype html><meta charset="utf-8"><title>conformance</title><script type="module" src="conformance.js"></script>');
  // Next to the bundle, where src/wasm/urls.ts's new URL('./neurite.wasm', import.meta.url) points.
  for (const f of ['neurite.wasm', 'neurite-threads.wasm']) copyFileSync(join(root, 'dist/wasm', f), join(site, 'app', f));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  rmSync(site, { recursive: true, force: true });
});

async function runPage(isolated: boolean, query: string): Promise<{ result: PageResult; errors: string[] }> {
  const server = await serveStatic(site, { isolated });
  try {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${server.url}app/index.html${query}`);
    await page.waitForFunction(() => (globalThis as { conformance?: unknown }).conformance !== undefined, null, { timeout: 180_000 });
    const result = (await page.evaluate(() => (globalThis as { conformance?: unknown }).conformance)) as PageResult;
    await page.close();
    return { result, errors };
  } finally {
    await server.close();
  }
}

test('in a crossOriginIsolated page every conformance test passes on js, wasm and wasm-threads (module Workers), none skipped', { skip }, async () => {
  const { result, errors } = await runPage(true, '?threads=2');
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.isolated, true);
  const outcomes = result.outcomes!;
  for (const prefix of ['js ', 'wasm ', 'wasm-threads ']) {
    const mine = outcomes.filter((o) => o.name.startsWith(prefix));
    assert.ok(mine.length >= 10, `${prefix}: only ${mine.length} tests`);
  }
  const bad = outcomes.filter((o) => o.status !== 'pass');
  assert.deepEqual(bad, [], `${bad.length} of ${outcomes.length} did not pass`);
  console.log(`# chromium conformance: ${outcomes.length} tests passed (js, wasm, wasm-threads)`);
  assert.equal(result.init, true);
  assert.deepEqual(result.threads, { threads: 2, note: null });
  assert.equal(result.ready!.backend, 'wasm');
  assert.equal(result.ready!.threads, 2);
  assert.deepEqual(errors, []);
});

test('without COOP/COEP the threaded tests skip, initWasmBackend({ threads: 2 }) stays on one thread saying why; a 404 wasm URL is named', { skip }, async () => {
  const { result, errors } = await runPage(false, '?only=^wasm-threads float32: matmul&threads=2&missing=/missing/neurite.wasm');
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.isolated, false);
  assert.ok(result.outcomes!.length > 0 && result.outcomes!.every((o) => o.status === 'skip'), JSON.stringify(result.outcomes));
  const note = 'single-threaded (2 asked): this page is not crossOriginIsolated: serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (docs/browser.md › Threads)';
  assert.equal(result.outcomes![0]!.detail, `threaded wasm backend unavailable: ${note.replace(/^single-threaded \(2 asked\): /, '')}`);
  assert.equal(result.init, true);
  assert.deepEqual(result.threads, { threads: 1, note });
  assert.deepEqual({ backend: result.ready!.backend, threads: result.ready!.threads, threadsNote: result.ready!.threadsNote }, { backend: 'wasm', threads: 1, threadsNote: note });
  const origin = new URL(result.missing!.reason!.match(/http:\/\/[^/]+/)![0]).origin;
  assert.equal(result.missing!.reason, `neurite.wasm not found (tried ${origin}/missing/neurite.wasm (HTTP 404)); serve the file and pass its URL: initWasmBackend({ url: '/neurite.wasm' }) (docs/browser.md › Serving the wasm yourself)`);
  assert.deepEqual(errors, ['console.error: Failed to load resource: the server responded with a status of 404 (Not Found)']);
});
