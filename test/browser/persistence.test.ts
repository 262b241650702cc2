// Browser persistence in Chromium: IndexedDB save → page reload → load gives identical predictions;
// corrupt records are named; downloads load in Node and back through a file input; a run folder of
// `neurite train` served over HTTP loads in the page with the same predictions as in Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, collectPageErrors, launchChromium, serveStatic, type StaticServer } from '../helpers/chromium.js';
import { neuritePageFolder } from './neurite-page.js';
import { main } from '../../src/node/cli/main.js';
import { loadModel } from '../../src/node/io/model-files.js';
import { getBackend, predict } from '../../src/index.js';

const skip = chromiumMissing();
let browser: Browser, server: StaticServer, page: Page, dir: string, errors: string[];
const grid = [[0, 0], [0.5, -0.25], [-0.75, 0.5], [0.3, 0.9]];

before(async () => {
  if (skip) return;
  dir = await neuritePageFolder();
  server = await serveStatic(dir);
  browser = await launchChromium();
  page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  errors = collectPageErrors(page);
  await open();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<void> {
  await page.goto(server.url);
  await page.waitForFunction('window.ready === true');
}
const call = <T>(expr: string): Promise<T> => page.evaluate(expr) as Promise<T>;

test('IndexedDB: save, reload the page, load: identical predictions', { skip }, async () => {
  const saved = await call<number[]>('window.pages.persist.saveToIndexedDB("spiral")');
  await page.reload();
  await open();
  const loaded = await call<{ predictions: number[]; classNames: string[]; keys: string[] }>('window.pages.persist.loadFromIndexedDB("spiral")');
  assert.deepEqual(loaded.predictions, saved);
  assert.deepEqual(loaded.classNames, ['a', 'b', 'c']);
  assert.ok(loaded.keys.includes('spiral'));
});

test('IndexedDB: a corrupt or foreign record and a missing key are clear errors', { skip }, async () => {
  const r = await call<Record<string, string | boolean>>('window.pages.persist.badRecords()');
  assert.equal(r.flipped, 'ModelFileError: indexeddb:neurite-models/flipped/model.safetensors: checksum does not match model.json: the two files come from different saves or the weights are corrupt');
  assert.equal(r.foreign, 'ModelFileError: indexeddb:neurite-models/foreign: the stored record is not a neurite model (expected {format: "neurite-model-record", json, weights}); save the model again');
  assert.equal(r.deleted, true);
  assert.match(r.missing as string, /^ModelFileError: indexeddb:neurite-models\/foreign: no model is saved under this key; saved: .*spiral/);
});

test('downloadModel: the two files load in Node and back in the page through a file input', { skip }, async () => {
  const got: { name: string; path: string }[] = [];
  const saving = new Promise<void>((ok) => {
    page.on('download', async (d) => {
      const path = join(dir, 'downloads', d.suggestedFilename());
      await d.saveAs(path);
      got.push({ name: d.suggestedFilename(), path });
      if (got.length === 2) ok();
    });
  });
  mkdirSync(join(dir, 'downloads'));
  const r = await call<{ names: string[]; predictions: number[] }>('window.pages.persist.download()');
  await saving;
  assert.deepEqual(r.names, ['spiral-model.json', 'spiral-model.safetensors']);
  assert.deepEqual(got.map((g) => g.name).sort(), r.names);
  // A model folder as Node reads it holds the downloaded bytes under the plain names.
  const folder = join(dir, 'downloads', 'folder');
  mkdirSync(folder);
  for (const g of got) copyFileSync(g.path, join(folder, g.name.replace('spiral-', '')));
  const bundle = await loadModel(folder);
  assert.deepEqual(Array.from(predict(bundle.module, bundle.head, grid).data), r.predictions);
  await page.setInputFiles('#pick', got.map((g) => g.path));
  assert.deepEqual(await call<number[]>('window.pages.persist.loadPicked()'), r.predictions);
});

test('loadModelFromUrl: a run folder trained by the CLI loads in the page with the same predictions as in Node', { skip }, async () => {
  const run = join(dir, 'runs', 'iris');
  let out = '';
  const code = await main(['train', '--dataset', 'iris', '--epochs', '3', '--seed', '1', '--out', run, '--json'], { out: (s) => (out += s), err: () => {}, isTTY: false });
  assert.equal(code, 0, out);
  const x = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [0, 0, 0, 0]];
  const node = await loadModel(run);
  const inPage = await call<{ predictions: number[]; classNames: string[]; backend: string }>(`window.pages.persist.fromUrl("/runs/iris/", ${JSON.stringify(x)})`);
  const expected = Array.from(predict(node.module, node.head, x).data);
  if (inPage.backend === getBackend().name) assert.deepEqual(inPage.predictions, expected);
  else inPage.predictions.forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) < 1e-6, `page (${inPage.backend}) ${p} vs Node (${getBackend().name}) ${expected[i]}`));
  assert.deepEqual(inPage.classNames, node.classNames);
});

test('loadModelFromUrl in the page: a missing folder or a page address is an HTTP 404 naming the URL', { skip }, async () => {
  assert.equal(await call<string>('window.pages.persist.badUrl("/runs/none/")'),
    `ModelFileError: ${server.url}runs/none/model.json: HTTP 404 Not Found; the URL must be a neurite model folder (model.json + model.safetensors) or a run folder of neurite train`);
  assert.match(await call<string>('window.pages.persist.badUrl("/index.html")'), /^ModelFileError: http:\/\/127\.0\.0\.1:\d+\/index\.html\/model\.json: HTTP 404/);
  assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
});
