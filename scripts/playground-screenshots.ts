// Screenshots of each lecture panel at 1280×800 into docs/img/playground-<panel>.png, from the harness
// page in Debian's Chromium, after a few interactions so each shows what it teaches.
// Run: node --import tsx scripts/playground-screenshots.ts   (needs dist/ built and /usr/bin/chromium)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { collectPageErrors, launchChromium, serveStatic } from '../test/helpers/chromium.js';
import { buildPanelHarness } from './panel-harness.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const waitFor = (page: Page, fn: string): Promise<unknown> => page.waitForFunction(fn, null, { timeout: 60_000 });

/** Per screenshot: the panel, the file name and what to do first. */
const SHOTS: { panel: string; file: string; prepare(page: Page): Promise<void> }[] = [
  { panel: 'tour', file: 'tour', prepare: async (p) => { for (let i = 0; i < 5; i++) await p.click('[data-testid="tour-next"]'); } },
  { panel: 'gradient-flow', file: 'gradient-flow', prepare: async (p) => { await p.click('[data-testid="gf-run"]'); await waitFor(p, 'document.querySelector(".panel-body").dataset.steps === "300"'); } },
  { panel: 'symmetry', file: 'symmetry', prepare: async (p) => { await p.selectOption('[data-testid="sym-b"]', '5'); await p.click('[data-testid="sym-swap"]'); await p.click('[data-testid="sym-flip"]'); } },
  { panel: 'universal', file: 'universal', prepare: async (p) => { await p.click('[data-testid="ua-train"]'); await waitFor(p, 'document.querySelector(".panel-body").dataset.trainError !== undefined'); } },
  { panel: 'representations', file: 'representations', prepare: async () => undefined },
  {
    panel: 'hypernetwork', file: 'hypernetwork', prepare: async (p) => {
      await p.click('[data-testid="ht-train"]');
      await waitFor(p, '/step 300\\//.test(document.querySelector("[data-testid=ht-status]").textContent)');
      await p.focus('[data-testid="ht-task"]');
      for (let i = 0; i < 26; i++) await p.keyboard.press('ArrowRight');
    },
  },
  {
    panel: 'hypernetwork', file: 'hypernetwork-noise', prepare: async (p) => {
      await p.selectOption('[data-testid="hn-mode"]', 'noise');
      await p.click('[data-testid="hn-train"]');
      await waitFor(p, 'document.querySelector("[data-testid=hn-noise]").dataset.steps === "1500"');
    },
  },
];

const out = mkdtempSync(join(tmpdir(), 'neurite-shots-'));
await buildPanelHarness(out);
const server = await serveStatic(out);
const browser = await launchChromium();
try {
  for (const shot of SHOTS) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = collectPageErrors(page);
    await page.goto(`${server.url}index.html?panel=${shot.panel}`);
    await waitFor(page, 'document.body.dataset.ready === "1"');
    await shot.prepare(page);
    const file = join(root, `docs/img/playground-${shot.file}.png`);
    await page.screenshot({ path: file });
    if (errors.length) throw new Error(`${shot.panel}: page errors ${errors.join('; ')}`);
    console.log(`wrote ${file}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(out, { recursive: true, force: true });
}
