// Proves the browser-test plumbing itself: Chromium starts, the static server answers, COOP/COEP isolate the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromiumMissing, collectPageErrors, launchChromium, serveStatic } from '../helpers/chromium.js';

const skip = chromiumMissing();
let browser: Browser;
const root = mkdtempSync(join(tmpdir(), 'neurite-harness-'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>ok</title><p id="p">hello</p>');

before(async () => {
  if (!skip) browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

test('Chromium loads a page from the 127.0.0.1 static server', { skip }, async () => {
  const server = await serveStatic(root);
  try {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(server.url);
    assert.equal(await page.textContent('#p'), 'hello');
    assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), false);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await server.close();
  }
});

test('the isolated static server makes the page crossOriginIsolated', { skip }, async () => {
  const server = await serveStatic(root, { isolated: true });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
    await page.close();
  } finally {
    await server.close();
  }
});
