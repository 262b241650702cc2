// Training in Chromium without blocking the page: fitAsync and trainInWorker on the spiral keep
// requestAnimationFrame painting (a sync fit of the same run paints none), match fit bit for bit, abort.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, collectPageErrors, launchChromium, serveStatic, type StaticServer } from '../helpers/chromium.js';
import { neuritePageFolder } from './neurite-page.js';

const skip = chromiumMissing();
let browser: Browser, server: StaticServer, page: Page, dir: string, errors: string[];
/** Epochs of a sync fit of about 400 ms on this machine, measured in the page; at least 30, after which the loss has more than halved. */
let epochs: number;

before(async () => {
  if (skip) return;
  dir = await neuritePageFolder();
  server = await serveStatic(dir);
  browser = await launchChromium();
  page = await browser.newPage();
  errors = collectPageErrors(page);
  await page.goto(server.url);
  await page.waitForFunction('window.ready === true');
  epochs = (await page.evaluate('window.pages.train.epochsFor(400, 30)')) as number;
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Trained { workerBackend?: string; pageBackend?: string; frames?: number; asyncFrames?: number; syncFrames?: number; ms?: number; asyncMs?: number; losses: number[]; sameWeights?: boolean; sameLosses?: boolean; aborted: boolean; stopReason?: string; events?: number }

/** At least 10 frames a second while training, and never fewer than 5: a blocked page paints none. */
const enoughFrames = (frames: number, ms: number): boolean => frames >= Math.max(5, Math.floor(ms / 100));

test('fitAsync trains the spiral in a page while frames keep painting, bit for bit as fit', { skip }, async () => {
  const r = (await page.evaluate(`window.pages.train.pageTraining(${epochs})`)) as Trained;
  assert.equal(r.syncFrames, 0, 'a sync fit blocks the page: no frame paints during it');
  assert.ok(enoughFrames(r.asyncFrames!, r.asyncMs!), `${r.asyncFrames} frames in ${Math.round(r.asyncMs!)} ms of fitAsync (${epochs} epochs)`);
  assert.ok(r.losses.at(-1)! < r.losses[0]! / 2, `loss ${r.losses[0]} → ${r.losses.at(-1)}`);
  assert.equal(r.sameLosses, true);
  assert.equal(r.sameWeights, true);
  assert.equal(r.aborted, false);
});

test('fitAsync in a page stops promptly when its signal is aborted', { skip }, async () => {
  const r = (await page.evaluate('window.pages.train.pageAbort(150)')) as Trained & { lagMs: number; epochs: number };
  assert.equal(r.aborted, true);
  assert.match(r.stopReason!, /^aborted before batch \d+ of 10 in epoch \d+$/);
  assert.ok(r.lagMs < 1000, `the abort took ${r.lagMs} ms to stop training`);
});

test('trainInWorker trains the spiral in a module Worker while the page paints, bit for bit as fit', { skip }, async () => {
  const r = (await page.evaluate(`window.pages.train.workerTraining(${epochs}, 0)`)) as Trained;
  assert.ok(enoughFrames(r.frames!, r.ms!), `${r.frames} frames in ${Math.round(r.ms!)} ms of worker training`);
  assert.equal(r.events, epochs);
  assert.ok(r.losses.at(-1)! < r.losses[0]! / 2, `loss ${r.losses[0]} → ${r.losses.at(-1)}`);
  assert.equal(r.workerBackend, r.pageBackend, 'the worker trains on the backend the page has');
  assert.equal(r.sameWeights, true, 'the worker and the page trained on the same backend and got the same weights');
});

test('trainInWorker: aborting stops the worker between batches', { skip }, async () => {
  const r = (await page.evaluate('window.pages.train.workerTraining(100000, 3)')) as Trained;
  assert.equal(r.aborted, true);
  assert.match(r.stopReason!, /^aborted before batch \d+ of 10 in epoch \d+$/);
  assert.ok(r.losses.length >= 3 && r.losses.length < 100, `${r.losses.length} epochs before the abort took effect`);
  assert.deepEqual(errors, []);
});

test('the Worker recipe of docs/browser.md runs as written', { skip }, async () => {
  const doc = readFileSync(new URL('../../docs/browser.md', import.meta.url), 'utf8');
  const worker = /```js\n(\/\/ train-worker\.js[^]*?)```/.exec(doc)?.[1];
  const html = /```html\n([^]*?)```/.exec(doc)?.[1];
  assert.ok(worker && html, 'the recipe has a train-worker.js block and an html block');
  writeFileSync(join(dir, 'train-worker.js'), worker);
  writeFileSync(join(dir, 'recipe.html'), html);
  const recipe = await browser.newPage();
  const recipeErrors = collectPageErrors(recipe);
  try {
    await recipe.goto(`${server.url}recipe.html`);
    await recipe.waitForFunction(() => /done on \w+; p\(0,0\) = /.test(document.querySelector('#out')?.textContent ?? ''), undefined, { timeout: 30_000 });
    assert.match((await recipe.textContent('#out'))!, /^epoch 100: loss \d\.\d{4}\ndone on \w+; p\(0,0\) = [\d.e-]+,[\d.e-]+,[\d.e-]+$/);
    assert.deepEqual(recipeErrors, []);
  } finally {
    await recipe.close();
  }
});
