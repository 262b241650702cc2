// The playground (playground/), built once with Vite and served: no console errors, the loss falls per dataset/head, one layer's activation changes only that layer, the URL round-trips, an export loads in `neurite eval`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, collectPageErrors, launchChromium, serveStatic, type StaticServer } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';
import { defaultState, fromHash, toHash } from '../../playground/src/state.js';
import type { PlaygroundState } from '../../playground/src/host.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const skip = chromiumMissing() ?? (existsSync(join(root, 'dist/main.js')) ? undefined : 'dist/ is not built: run `npm run build`');
const work = mkdtempSync(join(tmpdir(), 'neurite-playground-'));
let browser: Browser;
let server: StaticServer;

before(async () => {
  if (skip) return;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'playground/vite.config.ts'), logLevel: 'error', build: { outDir: join(work, 'site'), emptyOutDir: true } });
  server = await serveStatic(join(work, 'site'));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

type Snap = { epoch: number; trainLoss: number; testLoss: number };

/** Opens the playground with `state` in the URL and waits for the worker's first snapshot. */
async function open(state: Partial<PlaygroundState> = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = collectPageErrors(page);
  await page.goto(`${server.url}index.html${toHash({ ...defaultState(), ...state })}`);
  await page.waitForFunction(() => { const app = (globalThis as any).playground?.app; return app && (app.last != null || app.error !== ''); }, null, { timeout: 30_000 });
  return { page, errors };
}

/** Trains `epochs` epochs in the worker (the Step path) and returns the snapshot after them. */
async function step(page: Page, epochs: number): Promise<Snap> {
  const before = await page.evaluate(() => (globalThis as any).playground.app.last.epoch as number);
  await page.evaluate((n) => (globalThis as any).playground.app.step(n), epochs);
  await page.waitForFunction((e) => (globalThis as any).playground.app.last.epoch >= e || (globalThis as any).playground.app.error, before + epochs, { timeout: 30_000 });
  const { last, error } = await page.evaluate(() => ({ last: (globalThis as any).playground.app.last, error: (globalThis as any).playground.app.error }));
  assert.equal(error, '', error);
  return last as Snap;
}

test('the page loads on the WASM backend with no console errors, and Play trains', { skip }, async () => {
  const { page, errors } = await open();
  // The contract's snapshot: per-layer gradient norms from epoch 0 on (h1, h2 = the default 4-2 net, out).
  const norms = await page.evaluate(() => (globalThis as any).playground.app.last.gradNorms as Array<{ layer: string; norm: number }>);
  assert.deepEqual(norms.map((g) => g.layer), ['h1', 'h2', 'out']);
  assert.ok(norms.every((g) => Number.isFinite(g.norm) && g.norm > 0), JSON.stringify(norms));
  await page.click('#play');
  await page.waitForFunction(() => (globalThis as any).playground.app.last.epoch >= 20, null, { timeout: 30_000 });
  await page.click('#play');
  const backend = await page.evaluate(() => (globalThis as any).playground.app.backend);
  assert.equal(backend, 'wasm');
  assert.match(await page.textContent('#metrics') ?? '', /accuracy/);
  await page.setViewportSize({ width: 390, height: 844 }); // a phone
  await page.waitForTimeout(100);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone's viewport`);
  assert.deepEqual(errors, []);
  await page.close();
});

const CASES: Array<[string, Partial<PlaygroundState>, number?]> = [
  ['circle, SGD, sigmoid + CE', { dataset: 'circle', optimizer: 'sgd', learningRate: 0.1 }, 100],
  ['xor, hinge', { dataset: 'xor', binaryLoss: 'hinge', features: ['x1', 'x2', 'x1x2'] }],
  ['gauss, Adam', { dataset: 'gauss' }],
  ['spiral, sin features', { dataset: 'spiral', features: ['x1', 'x2', 'sinx1', 'sinx2'] }],
  ['boundary y > 3 sin x', { dataset: 'boundary', optimizer: 'rmsprop', learningRate: 0.01 }],
  ['blobs ×4, softmax + CE, τ = 2', { problem: 'multiclass', dataset: 'blobs', classes: 4, temperature: 2 }],
  ['spiral arms ×3, multiclass hinge', { problem: 'multiclass', dataset: 'spiral-k', multiclassLoss: 'multi_margin' }],
  ['plane, identity + MSE', { problem: 'regression', dataset: 'plane', learningRate: 0.01 }],
  ['bumps, softplus + MAE', { problem: 'regression', dataset: 'bumps', regressionActivation: 'softplus', regressionLoss: 'mae' }],
  ['bumps, ReLU + Huber', { problem: 'regression', dataset: 'bumps', regressionActivation: 'relu', regressionLoss: 'huber' }],
  ['sine (1-D), tanh to [-1.5, 1.5]', { problem: 'regression', dataset: 'sine', regressionActivation: 'tanh', rangeA: -1.5, rangeB: 1.5 }],
];

test('the training loss falls for every dataset and head', { skip }, async () => {
  const { page, errors } = await open();
  for (const [name, patch, epochs = 20] of CASES) {
    await page.evaluate((h) => { location.hash = h; }, toHash({ ...defaultState(), optimizer: 'adam', learningRate: 0.03, ...patch }));
    await page.waitForFunction(() => (globalThis as any).playground.app.last?.epoch === 0, null, { timeout: 30_000 });
    const first = await page.evaluate(() => (globalThis as any).playground.app.last.trainLoss as number);
    const after = await step(page, epochs);
    assert.ok(after.trainLoss < first * 0.8, `${name}: train loss ${first} → ${after.trainLoss} after ${epochs} epochs`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('changing the activation of one layer (its select) changes only that layer', { skip }, async () => {
  const { page, errors } = await open({ layers: [{ units: 4, activation: 'tanh' }, { units: 3, activation: 'tanh' }, { units: 2, activation: 'tanh' }] });
  const read = () => page.evaluate(() => {
    const m = (globalThis as any).playground.app.model;
    const sd = m.stateDict();
    return { json: m.toJSON(), params: Object.fromEntries(Object.entries(sd).map(([k, t]: [string, any]) => [k, Array.from(t.data as Float32Array)])) };
  });
  const a = await read();
  await page.selectOption('select[data-layer="1"]', 'relu');
  await page.waitForFunction(() => (globalThis as any).playground.app.state.layers[1].activation === 'relu' && (globalThis as any).playground.app.last?.epoch === 0);
  const b = await read();
  // The flat network: Linear, Tanh, Linear, Tanh, Linear, Tanh, Linear; layer 2 is modules 2 (Linear) and 3 (activation).
  const modules = (j: { layers: unknown[] }) => j.layers.map((l) => JSON.stringify(l));
  const [ja, jb] = [modules(a.json), modules(b.json)];
  assert.equal(ja.length, 7);
  assert.equal(jb.length, 7);
  ja.forEach((m, i) => (i === 3 ? assert.notEqual(m, jb[i]) : assert.equal(m, jb[i], `module ${i} changed`)));
  assert.deepEqual(JSON.parse(jb[3]!), { type: 'ReLU' });
  for (const k of Object.keys(a.params)) {
    if (!k.startsWith('2.')) assert.deepEqual(a.params[k], b.params[k], `${k} changed`);
  }
  assert.notDeepEqual(a.params['2.weight'], b.params['2.weight'], 'Glorot init scales layer 2 by its activation gain');
  assert.match(page.url(), /layers=4tanh-3relu-2tanh/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a URL round-trips the state, and a damaged one is reported, not applied', { skip }, async () => {
  const { page, errors } = await open();
  await page.selectOption('select[data-key="problem"]', 'multiclass');
  await page.selectOption('select[data-key="optimizer"]', 'nadam');
  await page.click('button[aria-label="add a hidden layer"]');
  await page.click('button[data-feature="x1sq"]');
  await page.check('input[data-key="batchNorm"]');
  const state = await page.evaluate(() => (globalThis as any).playground.app.state);
  assert.equal(state.problem, 'multiclass');
  assert.equal(state.layers.length, 3);
  const url = page.url();
  const other = await browser.newPage();
  await other.goto(url);
  await other.waitForFunction(() => (globalThis as any).playground?.app.last != null);
  assert.deepEqual(await other.evaluate(() => (globalThis as any).playground.app.state), state);
  await other.close();
  assert.deepEqual(fromHash(new URL(url).hash).state, state);
  const bad = fromHash('#layers=4tanh-9relu&noise=70&colour=red');
  assert.deepEqual(bad.errors, [
    'layers: "9relu" is not <units 1-8><activation> (activations: identity, sigmoid, tanh, softsign, hardtanh, softplus, relu, leaky_relu, prelu)',
    'noise: "70" must be a number in [0, 50]',
    'unknown setting "colour"',
  ]);
  assert.deepEqual(bad.state, defaultState());
  assert.deepEqual(errors, []);
  await page.close();
});

test('an exported model loads in `neurite eval` and `neurite predict` and scores what the page scores (the temperature folded in)', { skip }, async () => {
  const cases: Array<Partial<PlaygroundState>> = [
    { dataset: 'xor', features: ['x1', 'x2', 'x1x2'] },
    { problem: 'multiclass', dataset: 'blobs', classes: 3, temperature: 2.5, noise: 30 },
  ];
  for (const [c, state] of cases.entries()) {
    const { page, errors } = await open(state);
    await step(page, 10);
    const { files, csv, accuracy, logLoss, firstRows } = await page.evaluate(() => {
      const pg = (globalThis as any).playground, app = pg.app, f = pg.exportFiles();
      const { train, test } = app.data, k = app.state.problem === 'multiclass' ? app.state.classes : 1;
      let right = 0, nll = 0;
      for (const d of [train, test]) {
        const p = app.predict(d.x, d.n); // σ(z) or softmax(z/τ), as the page draws them
        for (let i = 0; i < d.n; i++) {
          const y = d.y[i];
          if (k === 1) { right += (p[i] > 0.5 ? 1 : 0) === y ? 1 : 0; nll -= Math.log(y === 1 ? p[i] : 1 - p[i]); continue; }
          let best = 0;
          for (let j = 1; j < k; j++) if (p[i * k + j] > p[i * k + best]) best = j;
          right += best === y ? 1 : 0;
          nll -= Math.log(p[i * k + y]);
        }
      }
      const n = train.n + test.n;
      const firstRows = Array.from(app.predict(train.x.subarray(0, 3 * train.inputDim), 3) as Float32Array);
      return { files: { json: f['model.json'], weights: Array.from(f['model.safetensors'] as Uint8Array) }, csv: pg.dataCsv(), accuracy: right / n, logLoss: nll / n, firstRows };
    });
    const dir = join(work, `model-${c}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), files.json);
    writeFileSync(join(dir, 'model.safetensors'), Uint8Array.from(files.weights));
    writeFileSync(join(dir, 'data.csv'), csv);
    const e = await runCli(['eval', '--model', dir, '--csv', join(dir, 'data.csv'), '--json']);
    assert.equal(e.code, 0, e.err);
    const scored = JSON.parse(e.out).all;
    assert.ok(Math.abs(scored.accuracy - accuracy) < 1e-12, `eval ${e.out} vs page ${accuracy}`);
    assert.ok(Math.abs(scored.log_loss - logLoss) < 1e-4, `eval log loss ${scored.log_loss} vs the page's ${logLoss}`);
    const p = await runCli(['predict', '--model', dir, '--csv', join(dir, 'data.csv')]);
    assert.equal(p.code, 0, p.err);
    // `prediction,p_1` (binary) or `prediction,p_0,…` (multiclass): the probabilities the page draws for the first rows.
    const probs = p.out.trim().split('\n').slice(1, 4).flatMap((line) => line.split(',').slice(1).map(Number));
    assert.equal(probs.length, firstRows.length);
    probs.forEach((v, i) => assert.ok(Math.abs(v - firstRows[i]!) < 1e-6, `predict ${v} vs the page's ${firstRows[i]} (value ${i})`));
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('Import model restores an exported configuration and its weights; a model.json from elsewhere is refused', { skip }, async () => {
  const state = { dataset: 'gauss' as const, layers: [{ units: 3, activation: 'prelu' as const }], problem: 'binary' as const };
  const { page, errors } = await open(state);
  await step(page, 5);
  const exported = await page.evaluate(() => {
    const pg = (globalThis as any).playground, f = pg.exportFiles();
    return { json: f['model.json'] as string, weights: Array.from(f['model.safetensors'] as Uint8Array), params: Object.fromEntries(Object.entries(pg.app.model.stateDict()).map(([k, t]: [string, any]) => [k, Array.from(t.data)])), state: pg.app.state };
  });
  await page.close();
  const { page: fresh, errors: freshErrors } = await open();
  const file = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/octet-stream', buffer });
  await fresh.setInputFiles('#import', [file('m.json', Buffer.from(exported.json)), file('m.safetensors', Buffer.from(Uint8Array.from(exported.weights)))]);
  await fresh.waitForFunction(() => (globalThis as any).playground.app.state.dataset === 'gauss' && (globalThis as any).playground.app.last?.epoch === 0);
  const got = await fresh.evaluate(() => { const a = (globalThis as any).playground.app; return { state: a.state, params: Object.fromEntries(Object.entries(a.model.stateDict()).map(([k, t]: [string, any]) => [k, Array.from(t.data)])) }; });
  assert.deepEqual(got.state, exported.state);
  assert.deepEqual(got.params, exported.params);
  const foreign = JSON.parse(exported.json);
  delete foreign.info;
  await fresh.setInputFiles('#import', [file('x.json', Buffer.from(JSON.stringify(foreign))), file('x.safetensors', Buffer.from(Uint8Array.from(exported.weights)))]);
  await fresh.waitForFunction(() => /no info\.playground/.test(document.querySelector('#status')!.textContent ?? ''));
  assert.match(await fresh.textContent('#status') ?? '', /^import: this model\.json has no info\.playground \(it was not exported by the playground\), so its features and data are unknown · /);
  assert.equal(await fresh.evaluate(() => (globalThis as any).playground.app.state.dataset), 'gauss', 'the refused import changed nothing');
  assert.deepEqual([...errors, ...freshErrors], []);
  await fresh.close();
});

test('a head that cannot fit the targets says so on the status line (ReLU head, signed targets)', { skip }, async () => {
  const { page, errors } = await open({ problem: 'regression', dataset: 'plane', regressionActivation: 'relu' });
  await page.waitForFunction(() => (document.querySelector('#status')!.textContent ?? '') !== '');
  assert.equal(await page.evaluate(() => (globalThis as any).playground.app.last), null);
  assert.match(await page.textContent('#status') ?? '', /^regressionHead: targets must be >= 0 for a relu head \(it predicts non-negative values\), got -[\d.]+ at index \d+; use activation 'identity' for signed targets$/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('npm run playground (the Vite dev server) trains on WASM too', { skip }, async () => {
  const { createServer } = await import('vite');
  const dev = await createServer({ configFile: join(root, 'playground/vite.config.ts'), logLevel: 'error', server: { port: 0 } });
  await dev.listen();
  try {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    const wasm: string[] = [];
    page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasm.push(`${r.status()} ${new URL(r.url()).pathname}`); });
    await page.goto(dev.resolvedUrls!.local[0]!);
    await page.waitForFunction(() => (globalThis as any).playground?.app.last != null, null, { timeout: 60_000 });
    await step(page, 3);
    assert.equal(await page.evaluate(() => (globalThis as any).playground.app.backend), 'wasm');
    assert.ok(wasm.length > 0 && wasm.every((w) => /^200 .*\/dist\/wasm\/neurite\.wasm$/.test(w)), wasm.join(', '));
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await dev.close();
  }
});
