// Makes docs/img/playground-{binary,multiclass,regression,regression-1d,phone}.png: the whole playground page at 1280×800 and on a phone.
// (The lecture panels' own screenshots come from scripts/playground-screenshots.ts.)
//
//   node --import tsx scripts/playground-shell-screenshots.ts   (needs dist/ built and Debian chromium)
import { build } from 'vite';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { collectPageErrors, launchChromium, serveStatic } from '../test/helpers/chromium.js';
import { defaultState, toHash } from '../playground/src/state.js';
import type { PlaygroundState } from '../playground/src/host.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const site = join(root, '.tmp/screenshots-site');
const img = join(root, 'docs/img');

const VIEWS: Array<[string, Partial<PlaygroundState>, number]> = [
  ['binary', { dataset: 'spiral', features: ['x1', 'x2', 'sinx1', 'sinx2'], layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'prelu' }, { units: 4, activation: 'relu' }], optimizer: 'adam', learningRate: 0.01, showTest: true }, 300],
  ['multiclass', { problem: 'multiclass', dataset: 'blobs', classes: 4, noise: 20, optimizer: 'adam', learningRate: 0.03 }, 100],
  ['regression', { problem: 'regression', dataset: 'bumps', regressionActivation: 'softplus', layers: [{ units: 8, activation: 'tanh' }, { units: 6, activation: 'tanh' }], optimizer: 'adam', learningRate: 0.03 }, 200],
  ['regression-1d', { problem: 'regression', dataset: 'sine', noise: 10, features: ['x1'], layers: [{ units: 8, activation: 'tanh' }], optimizer: 'adam', learningRate: 0.03, showTest: true }, 300],
];

async function trained(page: Page, url: string, state: Partial<PlaygroundState>, epochs: number): Promise<void> {
  await page.goto(`${url}index.html${toHash({ ...defaultState(), ...state })}`);
  await page.waitForFunction(() => (globalThis as any).playground?.app.last != null, null, { timeout: 60_000 });
  await page.evaluate((n) => (globalThis as any).playground.app.step(n), epochs);
  await page.waitForFunction((n) => (globalThis as any).playground.app.last.epoch >= n, epochs, { timeout: 120_000 });
  await page.waitForTimeout(300);
}

async function main(): Promise<void> {
  rmSync(site, { recursive: true, force: true });
  await build({ configFile: join(root, 'playground/vite.config.ts'), logLevel: 'error', build: { outDir: site, emptyOutDir: true } });
  mkdirSync(img, { recursive: true });
  const server = await serveStatic(site);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = collectPageErrors(page);
    for (const [name, state, epochs] of VIEWS) {
      await trained(page, server.url, state, epochs);
      await page.screenshot({ path: join(img, `playground-${name}.png`) });
      console.log(`docs/img/playground-${name}.png`);
    }
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    await trained(phone, server.url, VIEWS[0]![1], 100);
    await phone.screenshot({ path: join(img, 'playground-phone.png') });
    console.log('docs/img/playground-phone.png');
    if (errors.length > 0) throw new Error(`the page logged errors:\n${errors.join('\n')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
