// Browser-test plumbing: Debian's headless Chromium through playwright-core, and a static file server on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser (`NEURITE_CHROMIUM` overrides). */
export const chromiumPath = process.env.NEURITE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why browser tests cannot run here, or `undefined` when they can. Tests pass it as `skip`, so a
 * machine without Chromium prints the reason instead of failing obscurely; CI installs chromium.
 */
export function chromiumMissing(): string | undefined {
  return existsSync(chromiumPath)
    ? undefined
    : `no Chromium at ${chromiumPath}: apt-get install -y chromium (or set NEURITE_CHROMIUM)`;
}

/** Starts headless Chromium. Close it in `after()`. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** Options for {@link serveStatic}. */
export interface StaticServerOptions {
  /** Send COOP/COEP so pages are `crossOriginIsolated` (SharedArrayBuffer, WASM threads). */
  readonly isolated?: boolean;
  /** Extra routes answered before files: path → body (string or bytes) and content type. */
  readonly routes?: Record<string, { body: string | Uint8Array; type: string }>;
}

/** A running static server; `url` ends with '/'. */
export interface StaticServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.safetensors': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Serves `root` on 127.0.0.1 at a free port (never outside `root`). Stop it with `close()` in the
 * test that started it.
 */
export async function serveStatic(root: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (options.isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    if (path === '/favicon.ico') {
      res.writeHead(204, headers).end(); // browsers ask for it; a 404 would be a console error
      return;
    }
    const route = options.routes?.[path];
    if (route) {
      res.writeHead(200, { ...headers, 'Content-Type': route.type }).end(route.body);
      return;
    }
    const file = normalize(join(base, path.endsWith('/') ? path + 'index.html' : path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, headers).end(`not found: ${path}`);
      return;
    }
    const type = contentTypes[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { ...headers, 'Content-Type': type }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('serveStatic: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    server,
    close: () => new Promise<void>((ok, fail) => server.close((e) => (e ? fail(e) : ok()))),
  };
}

/**
 * Collects a page's console errors and uncaught exceptions, so a test can assert there were none.
 * @example
 * const errors = collectPageErrors(page);
 * await page.goto(url);
 * assert.deepEqual(errors, []);
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}
