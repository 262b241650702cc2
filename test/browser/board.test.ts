// `neurite board` in Chromium over three real runs of `neurite train`: the list and its filters, the
// curves overlay, the side-by-side comparison, and live following of a run whose history grows.
// NEURITE_SCREENSHOTS=1 also writes docs/img/board-compare.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, collectPageErrors, launchChromium } from '../helpers/chromium.js';
import { main } from '../../src/node/cli/main.js';

const skip = chromiumMissing();
const root = mkdtempSync(join(tmpdir(), 'neurite-board-'));
const quiet = { out: () => {}, err: () => {}, isTTY: false };
let browser: Browser;
let liveHistory: string[] = [];

/** Three small real runs; the wine run is put back to how it looked mid-training (5 of 8 epochs logged, no run.json yet). */
async function makeRuns(): Promise<void> {
  const train = async (name: string, args: string[]): Promise<void> => {
    assert.equal(await main(['train', ...args, '--epochs', '8', '--out', join(root, name)], quiet), 0, name);
  };
  await train('iris-adam', ['--dataset', 'iris', '--lr', '0.01']);
  await train('iris-sgd', ['--dataset', 'iris', '--optimizer', 'momentum', '--lr', '0.05', '--hidden', '16']);
  await train('wine-live', ['--dataset', 'wine', '--lr', '0.01']);
  const live = join(root, 'wine-live');
  liveHistory = readFileSync(join(live, 'history.jsonl'), 'utf8').trimEnd().split('\n');
  assert.equal(liveHistory.length, 8);
  // What the folder holds after epoch 5 of a run this process is training: no run.json, history.json or metrics.json yet.
  for (const f of ['run.json', 'history.json', 'metrics.json']) rmSync(join(live, f));
  writeFileSync(join(live, 'history.jsonl'), liveHistory.slice(0, 5).join('\n') + '\n' + liveHistory[5]!.slice(0, 20)); // a torn 6th line
}

before(async () => {
  if (skip) return;
  await makeRuns();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

const points = (page: Page, run: string, split: string): Promise<number> =>
  page.$eval(`#chart path[data-run="${run}"][data-split="${split}"]`, (p) => Number(p.getAttribute('data-points'))).catch(() => 0);

test('neurite board lists, filters, overlays, compares and follows runs live', { skip }, async () => {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => { stop = resolve; });
  let url = '';
  const { boardCommand } = await import('../../src/node/cli/board.js');
  const running = boardCommand(['--dir', root, '--port', '0'], { ...quiet, out: (s) => { url = s.trim(); } }, () => stopped);
  const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
  try {
    while (url === '') await new Promise((r) => setTimeout(r, 20));
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const errors = collectPageErrors(page);
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]');
    // The list: three runs with their status; the torn last line of the live run is not counted.
    const rows = await page.$$eval('#runs tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-run'), tr.querySelector('.badge')!.textContent, tr.children[4]!.textContent]));
    assert.deepEqual(rows.map((r) => r[0]).sort(), ['iris-adam', 'iris-sgd', 'wine-live']);
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r[0], [r[1], r[2]]])), { 'iris-adam': ['done', '8/8'], 'iris-sgd': ['done', '8/8'], 'wine-live': ['training', '5/8'] });
    // Filters: by data set, by status, by name.
    await page.fill('#filter', 'wine');
    assert.deepEqual(await page.$$eval('#runs tbody tr', (trs) => trs.map((t) => t.getAttribute('data-run'))), ['wine-live']);
    await page.fill('#filter', '');
    await page.selectOption('#status-filter', 'done');
    assert.deepEqual((await page.$$eval('#runs tbody tr', (trs) => trs.map((t) => t.getAttribute('data-run')))).sort(), ['iris-adam', 'iris-sgd']);
    await page.selectOption('#status-filter', '');
    await page.fill('#filter', 'sgd');
    assert.deepEqual(await page.$$eval('#runs tbody tr', (trs) => trs.map((t) => t.getAttribute('data-run'))), ['iris-sgd']);
    await page.fill('#filter', '');
    // Overlay: training and validation curves of the three selected runs.
    assert.equal(await page.$$eval('#chart path.curve', (p) => p.length), 6);
    assert.equal(await points(page, 'iris-adam', 'train'), 8);
    assert.equal(await points(page, 'wine-live', 'validation'), 5);
    await page.selectOption('#metric', 'accuracy');
    assert.equal(await points(page, 'iris-sgd', 'validation'), 8);
    assert.ok((await page.$$eval('#chart text.xtick', (t) => t.length)) >= 4);
    // Comparison: differing config keys highlighted, shared ones not.
    const differs = await page.$$eval('#compare-table tr.differs', (trs) => trs.map((t) => t.getAttribute('data-key')));
    for (const k of ['data.dataset', 'train.optimizer', 'train.lr', 'model.hidden']) assert.ok(differs.includes(k), `${k} highlighted`);
    assert.equal(await page.$eval('#compare-table tr[data-key="train.seed"]', (t) => t.classList.contains('differs')), false);
    assert.match(await page.$eval('#compare-table tr[data-key="metrics.test.accuracy"]', (t) => t.textContent ?? ''), /0\.\d/);
    await page.check('#only-diff');
    assert.equal(await page.$$eval('#compare-table tr[data-key="train.seed"]', (t) => t.length), 0);
    if (process.env.NEURITE_SCREENSHOTS === '1') await page.screenshot({ path: 'docs/img/board-compare.png', fullPage: true });
    // Live: the torn line completes, then a 7th epoch is appended; both appear without a reload.
    appendFileSync(join(root, 'wine-live', 'history.jsonl'), liveHistory[5]!.slice(20) + '\n');
    await page.waitForFunction(() => Number(document.querySelector('#chart path[data-run="wine-live"][data-split="validation"]')?.getAttribute('data-points')) === 6);
    appendFileSync(join(root, 'wine-live', 'history.jsonl'), liveHistory[6]! + '\n');
    await page.waitForFunction(() => Number(document.querySelector('#chart path[data-run="wine-live"][data-split="validation"]')?.getAttribute('data-points')) === 7);
    assert.match(await page.textContent('#live-note') ?? '', /following 1 run live/);
    // The run finishes: run.json appears and the status turns to done.
    writeFileSync(join(root, 'wine-live', 'run.json'), JSON.stringify({ status: 'completed', epochs: 7, exitCode: 0 }));
    await page.waitForFunction(() => document.querySelector('#runs tr[data-run="wine-live"] .badge')?.textContent === 'done');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    stop();
    assert.equal(await running, 0);
  }
});
