// neurite board in Chromium over a folder holding a tuning study: the study row (counts, best trial)
// and its report link, which opens the study report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumMissing, collectPageErrors, launchChromium } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';
import { startBoard } from '../../src/node/board/server.js';

const skip = chromiumMissing();

test('neurite board shows a tuning study with its counts, best trial and a working report link', { skip }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'neurite-board-study-page-'));
  const browser = await launchChromium();
  const board = await (async () => {
    const cfg = join(root, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ data: { dataset: 'iris', validationSplit: 0.2 }, train: { epochs: 2 }, tune: { space: { 'train.lr': { type: 'float', low: 0.001, high: 0.1, log: true } } } }));
    assert.equal((await runCli(['tune', '--config', cfg, '--study', join(root, 'iris-study'), '--trials', '2', '--sampler', 'random'])).code, 0);
    return startBoard({ dir: root, port: 0 });
  })();
  try {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(board.url);
    await page.waitForSelector('#studies-table tbody tr[data-study="iris-study"]');
    const row = await page.$eval('#studies-table tbody tr', (tr) => tr.textContent ?? '');
    assert.match(row, /^iris-studyaccuracy2 complete, 0 pruned, 0 failed\d\.\d+ \(trial \d\)report$/);
    assert.equal(await page.$eval('#no-studies', (p) => (p as HTMLElement).hidden), true);
    await page.goto(`${board.url}${await page.$eval('#studies-table a', (a) => a.getAttribute('href'))}`);
    assert.match(await page.content(), /neurite study iris-study/);
    assert.deepEqual(errors, []);
  } finally {
    await board.close();
    await browser.close();
    rmSync(root, { recursive: true, force: true });
  }
});
