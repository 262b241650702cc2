// The lecture panels in Chromium on the harness page (a real small neurite model behind a minimal PanelHost):
// symmetry keeps the surface identical, the hypernet band widens away from the data, gradient flow vanishes or not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, collectPageErrors, launchChromium, serveStatic, type StaticServer } from '../helpers/chromium.js';
import { buildPanelHarness } from '../../scripts/panel-harness.js';

const skip = chromiumMissing() ?? (existsSync(resolve('dist/wasm/neurite.wasm')) ? undefined : 'dist/ is not built: run `npm run build`');
const out = mkdtempSync(join(tmpdir(), 'neurite-panels-'));
let browser: Browser, server: StaticServer;

before(async () => {
  if (skip) return;
  await buildPanelHarness(out);
  server = await serveStatic(out);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

/** Opens the harness with one panel, runs `body`, and asserts the page logged no errors. */
async function withPanel(id: string, body: (page: Page) => Promise<void>): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = collectPageErrors(page);
  try {
    await page.goto(`${server.url}index.html?panel=${id}`);
    await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.ready), '1');
    await body(page);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
}

const panelData = (page: Page, key: string): Promise<string | undefined> => page.evaluate((k) => document.querySelector<HTMLElement>('.panel-body')!.dataset[k], key);
const pixels = (page: Page, testid: string): Promise<number[]> => page.evaluate((t) => {
  const c = document.querySelector<HTMLCanvasElement>(`[data-testid="${t}"]`)!;
  return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
}, testid);

test('symmetry: swapping two neurons and flipping a tanh sign change the weights, not the surface (values and pixels)', { skip }, async () => {
  await withPanel('symmetry', async (page) => {
    await page.selectOption('[data-testid="sym-b"]', '5');
    await page.click('[data-testid="sym-swap"]');
    await page.selectOption('[data-testid="sym-layer"]', '1');
    await page.selectOption('[data-testid="sym-a"]', '2');
    await page.click('[data-testid="sym-flip"]');
    assert.ok(Number(await panelData(page, 'changed')) > 0, 'the moves changed weights');
    assert.ok(Number(await panelData(page, 'maxdiff')) <= 1e-6, `max |Δf| ${await panelData(page, 'maxdiff')}`);
    assert.deepEqual(await pixels(page, 'sym-after'), await pixels(page, 'sym-before'));
    assert.notDeepEqual(await pixels(page, 'sym-w-after'), await pixels(page, 'sym-w-before'));
    assert.match(await page.textContent('[data-testid="sym-count"]') ?? '', /8!·2\^8 · 8!·2\^8 = 106542032486400/);
  });
});

test('hypernetwork noise mode: the trained band is over 1.5× wider far from the data than near it', { skip }, async () => {
  await withPanel('hypernetwork', async (page) => {
    await page.selectOption('[data-testid="hn-mode"]', 'noise');
    await page.click('[data-testid="hn-train"]');
    const noiseData = (key: string): Promise<string | undefined> => page.evaluate((k) => document.querySelector<HTMLElement>('[data-testid="hn-noise"]')!.dataset[k], key);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="hn-noise"]')?.dataset.steps === '1500', null, { timeout: 30_000 });
    const near = Number(await noiseData('near')), far = Number(await noiseData('far'));
    assert.ok(far > 1.5 * near, `std far ${far} vs near ${near}`);
  });
});

test('gradient flow: 6-layer sigmoid vanishes (first/last < 1e-4), ReLU + He does not (> 1e-2)', { skip }, async () => {
  await withPanel('gradient-flow', async (page) => {
    const ratioAfterRun = async (): Promise<number> => {
      await page.click('[data-testid="gf-run"]');
      await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('.panel-body')!.dataset.steps) >= 20, null, { timeout: 20_000 });
      return Number(await panelData(page, 'ratio'));
    };
    const sigmoid = await ratioAfterRun();
    assert.ok(sigmoid < 1e-4, `sigmoid ratio ${sigmoid}`);
    await page.selectOption('[data-testid="gf-preset"]', 'relu-he');
    const relu = await ratioAfterRun();
    assert.ok(relu > 1e-2, `ReLU + He ratio ${relu}`);
    await page.check('[data-testid="gf-explode"]');
    await page.click('[data-testid="gf-run"]');
    await page.waitForFunction(() => /exploded/.test(document.querySelector('[data-testid="gf-status"]')!.textContent ?? ''), null, { timeout: 20_000 });
  });
});

test('universal approximation, representations and the tour mount and respond with no console errors', { skip }, async () => {
  await withPanel('universal', async (page) => {
    const at10 = Number(await panelData(page, 'bumpError'));
    await page.focus('[data-testid="ua-n"]');
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
    assert.ok(Number(await panelData(page, 'bumpError')) < at10, 'more bumps, smaller sup error');
    await page.focus('[data-testid="ua-draw"]');
    await page.keyboard.press('ArrowUp');
    await page.click('[data-testid="ua-train"]');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.panel-body')!.dataset.trainError !== undefined, null, { timeout: 20_000 });
    assert.ok(Number.isFinite(Number(await panelData(page, 'trainError'))));
  });
  await withPanel('representations', async (page) => {
    assert.equal(await panelData(page, 'layers'), '3'); // the input and two tanh layers
    await page.selectOption('[data-testid="rep-layer"]', '0');
    const [a, b] = (await panelData(page, 'explained'))!.split(',').map(Number);
    assert.ok(a! >= b! && a! + b! <= 1 + 1e-9 && Math.abs(a! + b! - 1) < 1e-6, `2-D input: PC 1 + PC 2 = 1, got ${a} + ${b}`);
  });
  await withPanel('tour', async (page) => {
    await page.click('[data-testid="tour-next"]');
    assert.match(await page.getAttribute('[data-testid="tour-link"]', 'href') ?? '', /docs\/guide\.md#5-activation-functions$/);
  });
});
