// report.html in Chromium for a classification, a regression and a hypernetwork run of `neurite train`:
// no console errors, and every chart renders with visible marks. NEURITE_SCREENSHOTS=1 writes
// docs/img/report-{classification,regression,hypernet}.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromiumMissing, collectPageErrors, launchChromium } from '../helpers/chromium.js';
import { main } from '../../src/node/cli/main.js';

const skip = chromiumMissing();
const root = mkdtempSync(join(tmpdir(), 'neurite-report-browser-'));
const quiet = { out: () => {}, err: () => {}, isTTY: false };
const house = fileURLToPath(new URL('../fixtures/house_prices.csv', import.meta.url));
let browser: Browser;

const runs: Record<string, { args: string[]; headings: RegExp[] }> = {
  classification: { args: ['--dataset', 'iris', '--epochs', '20'], headings: [/Training curves/, /Per-class metrics/, /ROC curve/, /Confusion matrix/, /Gradient flow/] },
  regression: { args: ['--csv', house, '--target', 'price', '--epochs', '20'], headings: [/Training curves/, /Predictions \(test\)/, /Gradient flow/] },
  hypernet: { args: ['--dataset', 'wine', '--epochs', '20', '--hidden', '16', '--set', 'model.hypernet={"chunkSize":64,"chunkDim":4,"hidden":[16]}'], headings: [/Training curves/, /Confusion matrix/] },
};

before(async () => {
  if (skip) return;
  for (const [name, r] of Object.entries(runs)) assert.equal(await main(['train', ...r.args, '--out', join(root, name)], quiet), 0, name);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

for (const [name, r] of Object.entries(runs)) {
  test(`report.html of a ${name} run opens without console errors and its charts render`, { skip }, async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    try {
      const errors = collectPageErrors(page);
      await page.goto(pathToFileURL(join(root, name, 'report.html')).href);
      const headings = await page.$$eval('h2', (hs) => hs.map((h) => h.textContent ?? ''));
      for (const h of r.headings) assert.ok(headings.some((t) => h.test(t)), `${name}: a heading matching ${h} in ${headings.join(' | ')}`);
      // Each chart is drawn: it has a size on screen and marks (lines, points or cells) inside it.
      const charts = await page.$$eval('svg', (svgs) => svgs.map((s) => {
        const box = s.getBoundingClientRect();
        return { width: box.width, height: box.height, marks: s.querySelectorAll('path, polyline, circle, rect, line').length, text: s.querySelectorAll('text').length };
      }));
      assert.ok(charts.length >= 2, `${name}: ${charts.length} charts`);
      for (const [i, c] of charts.entries()) {
        assert.ok(c.width > 50 && c.height > 50, `${name}: chart ${i} is ${c.width}×${c.height}`);
        assert.ok(c.marks > 2 && c.text > 0, `${name}: chart ${i} has ${c.marks} marks and ${c.text} labels`);
      }
      if (process.env.NEURITE_SCREENSHOTS === '1') await page.screenshot({ path: `docs/img/report-${name}.png`, fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
}
