// `npm pack` → a fresh project → esbuild, Vite (build and dev server) and webpack 5 bundle `import … from 'neurite'` unconfigured; each trains on WASM in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromiumMissing, collectPageErrors, launchChromium, serveStatic } from '../helpers/chromium.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const skip = chromiumMissing() ?? (existsSync(join(root, 'dist/main.js')) ? undefined : 'dist/ is not built: run `npm run build`');
const work = mkdtempSync(join(tmpdir(), 'neurite-bundlers-'));
const app = join(work, 'app');
let browser: Browser;

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

interface LockEntry { version: string; dev?: boolean; devOptional?: boolean; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }

/** The lockfile key Node's resolution reaches for `name` required from the package at `from` ('' = the root). */
function resolveLockKey(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let dir = from; ; ) {
    const key = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (packages[key]) return key;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/**
 * Writes `dir/package.json` depending on `spec` (the packed neurite) and a `package-lock.json` whose
 * entries for neurite's runtime dependencies are copied, at the same paths, from the repo's own
 * lockfile, so that `npm ci --offline` finds every tarball (by integrity) in the cache the repo's
 * `npm ci` filled.
 */
function writeAppWithLockfile(dir: string, spec: string): void {
  const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const entries: Record<string, LockEntry> = {};
  const queue: Array<[from: string, name: string, optional: boolean]> = Object.keys(own.dependencies ?? {}).map((n) => ['', n, false]);
  while (queue.length > 0) {
    const [from, name, optional] = queue.pop()!;
    const key = resolveLockKey(lock.packages, from, name);
    if (key === undefined && optional) continue;
    assert.ok(key, `package-lock.json does not resolve ${name} (needed by ${from || 'neurite'}): run \`npm install\``);
    if (entries[key]) continue;
    const { dev: _dev, devOptional: _devOptional, ...entry } = lock.packages[key]!;
    entries[key] = entry;
    for (const d of Object.keys(entry.dependencies ?? {})) queue.push([key, d, false]);
    for (const d of Object.keys(entry.optionalDependencies ?? {})) queue.push([key, d, true]);
  }
  const app = { name: 'app', private: true, type: 'module', dependencies: { neurite: spec } };
  const neurite = { version: own.version, resolved: spec, dependencies: own.dependencies ?? {} };
  const appLock = { name: 'app', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', dependencies: app.dependencies }, 'node_modules/neurite': neurite, ...entries } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(app, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(appLock, null, 2));
}

before(async () => {
  if (skip) return;
  // The published tarball, installed as a user would, offline: `npm ci` of the repo cached the
  // tarballs of neurite's dependencies but not their registry metadata, so the app gets a lockfile.
  run('npm', ['pack', '--pack-destination', work, '--silent'], root);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  mkdirSync(app);
  writeAppWithLockfile(app, `file:../${tarball}`);
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
  for (const f of ['main.js', 'index.html']) copyFileSync(join(root, 'test/browser/app', f), join(app, f));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

interface AppResult { backend?: string; status?: { backend: string; reason: string }; first?: number; last?: number; error?: string }

/** Opens `url`, waits for the app's result, and returns it with the page's errors and the .wasm responses it saw. */
async function openApp(url: string): Promise<{ result: AppResult; errors: string[]; wasm: string[] }> {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  const wasm: string[] = [];
  page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasm.push(`${r.status()} ${new URL(r.url()).pathname}`); });
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, null, { timeout: 60_000 });
  const result = (await page.evaluate(() => (globalThis as { result?: unknown }).result)) as AppResult;
  await page.close();
  return { result, errors, wasm };
}

function assertTrainedOnWasm({ result, errors }: { result: AppResult; errors: string[] }): void {
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.backend, 'wasm');
  assert.equal(result.status!.backend, 'wasm');
  assert.equal(result.status!.reason, 'the WebAssembly SIMD kernels loaded (the default)');
  assert.ok(Number.isFinite(result.last) && result.last! < result.first!, `loss ${result.first} → ${result.last}`);
  assert.deepEqual(errors, []);
}

async function serveAndOpen(dir: string): Promise<{ result: AppResult; errors: string[]; wasm: string[] }> {
  const server = await serveStatic(dir);
  try {
    return await openApp(`${server.url}index.html`);
  } finally {
    await server.close();
  }
}

test('esbuild --bundle --platform=browser (the default IIFE): no warnings, WASM from the embedded copy', { skip }, async () => {
  const out = run(join(root, 'node_modules/.bin/esbuild'), ['main.js', '--bundle', '--platform=browser', '--outfile=esbuild/bundle.js'], app);
  assert.doesNotMatch(out, /warning|error/i, out);
  writeFileSync(join(app, 'esbuild/index.html'), '<!doctype html><meta charset="utf-8"><script src="bundle.js"></script>');
  const r = await serveAndOpen(join(app, 'esbuild'));
  assertTrainedOnWasm(r);
  assert.deepEqual(r.wasm, [], 'the IIFE has no import.meta.url, so it fetches nothing');
});

test('esbuild --format=esm with neurite/wasm copied next to the bundle: that file is fetched', { skip }, async () => {
  const out = run(join(root, 'node_modules/.bin/esbuild'), ['main.js', '--bundle', '--platform=browser', '--format=esm', '--outfile=esbuild-esm/bundle.js'], app);
  assert.doesNotMatch(out, /warning|error/i, out);
  copyFileSync(join(app, 'node_modules/neurite/dist/wasm/neurite.wasm'), join(app, 'esbuild-esm/neurite.wasm'));
  writeFileSync(join(app, 'esbuild-esm/index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="bundle.js"></script>');
  const r = await serveAndOpen(join(app, 'esbuild-esm'));
  assertTrainedOnWasm(r);
  assert.deepEqual(r.wasm, ['200 /neurite.wasm']);
});

test('vite build (no config): the .wasm is emitted as an asset and fetched', { skip }, async () => {
  const { build } = await import('vite');
  await build({ root: app, logLevel: 'error', configFile: false });
  const r = await serveAndOpen(join(app, 'dist'));
  assertTrainedOnWasm(r);
  assert.equal(r.wasm.length, 1, r.wasm.join(', '));
  assert.match(r.wasm[0]!, /^200 \/assets\/neurite-[\w-]+\.wasm$/);
});

test('vite dev server (no config): trains on WASM', { skip }, async () => {
  const { createServer } = await import('vite');
  const server = await createServer({ root: app, logLevel: 'error', configFile: false, server: { host: '127.0.0.1', port: 0 } });
  await server.listen();
  try {
    const url = server.resolvedUrls!.local[0]!;
    const r = await openApp(url);
    assertTrainedOnWasm(r);
    assert.deepEqual(r.wasm, ['200 /node_modules/neurite/dist/wasm/neurite.wasm'], 'Vite 8 rewrites the URL inside the pre-bundled dependency');
  } finally {
    await server.close();
  }
});

test('webpack 5 (Node API, mode production, no loaders): the .wasm is emitted as an asset and fetched', { skip }, async () => {
  const { default: webpack } = await import('webpack');
  const stats = await new Promise<import('webpack').Stats>((ok, fail) => {
    webpack({ mode: 'production', context: app, entry: './main.js', output: { path: join(app, 'webpack') } }, (err, s) => (err || !s ? fail(err) : ok(s)));
  });
  assert.equal(stats.hasErrors() || stats.hasWarnings(), false, stats.toString('errors-warnings'));
  writeFileSync(join(app, 'webpack/index.html'), '<!doctype html><meta charset="utf-8"><script src="main.js"></script>');
  const r = await serveAndOpen(join(app, 'webpack'));
  assertTrainedOnWasm(r);
  assert.equal(r.wasm.length, 1, r.wasm.join(', '));
  assert.match(r.wasm[0]!, /^200 \/[0-9a-f]+\.wasm$/);
});
