// Epochs/s of the playground's training worker against TensorFlow Playground's nn.ts, in the same headless Chromium, at equal settings.
//
//   npm run bench:playground -- [--tf /path/to/tensorflow-playground-checkout] [--epochs 300]
//
// Settings of both: spiral (2 classes, 500 points, noise 0, 50 % training → 250 points), features
// x1 x2, 6 hidden layers × 8 tanh, batch size 10, learning rate 0.03, plain SGD, uniform init. The
// same points feed both (the playground's spiral). TensorFlow Playground's own loss is ½(o − y)²
// on a tanh output (labels ±1); the playground's is sigmoid + cross-entropy: one output unit either way.
// neurite is timed in the playground's Worker (`bench` message: N epochs, no snapshots between);
// TF Playground's nn.ts is bundled with esbuild from the given checkout (its code is not part of this
// repository) and timed on a page's main thread, as its app runs it, with and without the per-epoch
// train/test loss its app computes. A warm-up run precedes each timing; each timing is the median of
// --repeats runs (default 3). Then the two apps side by side (when <checkout>/dist holds a build of
// TF Playground, `npm install && npm run build` in the checkout): Play for --seconds (default 5) after
// one second, epochs counted by each app's own counter, and the page's animation frames per second
// meanwhile (TF Playground's data are its own spiral at the same settings). Prints the machine's load average.
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, serveStatic } from '../test/helpers/chromium.js';
import { defaultState, toHash } from '../playground/src/state.js';
import type { PlaygroundState } from '../playground/src/host.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const tfPath = flag('--tf');
const epochs = Number(flag('--epochs') ?? 300);
const repeats = Number(flag('--repeats') ?? 3);
const seconds = Number(flag('--seconds') ?? 5);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Clicks Play, waits a second, then counts epochs (read by `count`) and animation frames for `seconds`. */
async function playRate(page: import('playwright-core').Page, play: string, count: () => Promise<number>): Promise<{ epochsPerSec: number; fps: number }> {
  await page.click(play);
  await page.waitForTimeout(1000);
  // A string, not a function: tsx would wrap a named inner function in a helper the page does not have.
  await page.evaluate('globalThis.frames = 0; (function f() { globalThis.frames++; requestAnimationFrame(f); })()');
  const e0 = await count(), t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const e1 = await count(), dt = (Date.now() - t0) / 1000, frames = await page.evaluate(() => (globalThis as any).frames as number);
  await page.click(play);
  return { epochsPerSec: (e1 - e0) / dt, fps: frames / dt };
}
const out = join(root, '.tmp/bench-playground');

const settings: PlaygroundState = {
  ...defaultState(), dataset: 'spiral', noise: 0, trainRatio: 50, samples: 500, features: ['x1', 'x2'],
  layers: Array.from({ length: 6 }, () => ({ units: 8, activation: 'tanh' as const })),
  batchSize: 10, learningRate: 0.03, optimizer: 'sgd', init: 'uniform',
};

/** My entry around TF Playground's public nn.ts API: build 2-8×6-1 tanh, run epochs as its oneStep does. */
const tfEntry = (nnPath: string): string => `
import * as nn from ${JSON.stringify(nnPath)};
globalThis.tfBench = (points, labels, testPoints, testLabels, epochs, withLoss) => {
  const net = nn.buildNetwork([2, 8, 8, 8, 8, 8, 8, 1], nn.Activations.TANH, nn.Activations.TANH, null, ['x1', 'x2'], false);
  const n = labels.length, lossOf = (p, l) => { let s = 0; for (let i = 0; i < l.length; i++) s += nn.Errors.SQUARE.error(nn.forwardProp(net, [p[2 * i], p[2 * i + 1]]), l[i]); return s / l.length; };
  const first = lossOf(points, labels);
  const t0 = performance.now();
  for (let e = 0; e < epochs; e++) {
    for (let i = 0; i < n; i++) {
      nn.forwardProp(net, [points[2 * i], points[2 * i + 1]]);
      nn.backProp(net, labels[i], nn.Errors.SQUARE);
      if ((i + 1) % 10 === 0) nn.updateWeights(net, 0.03, 0);
    }
    if (withLoss) { lossOf(points, labels); lossOf(testPoints, testLabels); }
  }
  return { ms: performance.now() - t0, first, last: lossOf(points, labels) };
};`;

type Browser = import('playwright-core').Browser;
type Page = import('playwright-core').Page;
type Points = { p: number[]; y: number[]; tp: number[]; ty: number[] };

/** Builds the playground and (with --tf) a page around TF Playground's nn.ts; true when the latter exists. */
async function buildSites(): Promise<boolean> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await viteBuild({ configFile: join(root, 'playground/vite.config.ts'), logLevel: 'error', build: { outDir: join(out, 'site'), emptyOutDir: true } });
  if (!tfPath) return false;
  const nnTs = resolve(tfPath, 'src/nn.ts');
  if (!existsSync(nnTs)) throw new Error(`--tf ${tfPath}: no src/nn.ts there; pass a checkout of github.com/tensorflow/playground`);
  writeFileSync(join(out, 'tf-entry.js'), tfEntry(nnTs));
  await esbuild({ entryPoints: [join(out, 'tf-entry.js')], bundle: true, format: 'iife', outfile: join(out, 'site/tf-bench.js'), logLevel: 'error' });
  writeFileSync(join(out, 'site/tf.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script src="tf-bench.js"></script>');
  return true;
}

/** neurite's training pass in the playground's worker; returns the points for TF Playground. */
async function neuriteEngine(page: Page): Promise<Points> {
  const run = async (n: number) => {
    await page.evaluate((k) => { (globalThis as any).benchResult = undefined; (globalThis as any).playground.app.bench(k); }, n);
    await page.waitForFunction(() => (globalThis as any).benchResult !== undefined, null, { timeout: 600_000 });
    return page.evaluate(() => ({ ...(globalThis as any).benchResult, loss: (globalThis as any).playground.app.last.trainLoss })) as Promise<{ epochs: number; ms: number; backend: string; loss: number }>;
  };
  const first = await page.evaluate(() => (globalThis as any).playground.app.last.trainLoss as number);
  await run(Math.max(5, Math.round(epochs / 10)));
  const runs: Array<{ epochs: number; ms: number; backend: string; loss: number }> = [];
  for (let r = 0; r < repeats; r++) runs.push(await run(epochs));
  const nr = runs.find((r) => r.ms === median(runs.map((x) => x.ms)))!;
  console.log(`neurite playground worker (${nr.backend}): ${(1000 * nr.epochs / nr.ms).toFixed(1)} epochs/s (${nr.ms.toFixed(0)} ms; loss ${first.toFixed(4)} → ${runs[runs.length - 1]!.loss.toFixed(4)} over all runs, sigmoid + CE)`);
  return page.evaluate(() => { const d = (globalThis as any).playground.app.data; return { p: Array.from(d.train.points), y: Array.from(d.train.y, (v: number) => 2 * v - 1), tp: Array.from(d.test.points), ty: Array.from(d.test.y, (v: number) => 2 * v - 1) }; }) as Promise<Points>;
}

/** TF Playground's nn.ts on the same points, without and with its per-epoch losses. */
async function tfEngine(browser: Browser, url: string, data: Points): Promise<void> {
  const tf = await browser.newPage();
  await tf.goto(`${url}tf.html`);
  const call = (n: number, withLoss: boolean) => tf.evaluate(([d, k, w]) => (globalThis as any).tfBench(d.p, d.y, d.tp, d.ty, k, w), [data, n, withLoss] as const) as Promise<{ ms: number; first: number; last: number }>;
  await call(Math.max(5, Math.round(epochs / 10)), true);
  for (const withLoss of [false, true]) {
    const rs: Array<{ ms: number; first: number; last: number }> = [];
    for (let r = 0; r < repeats; r++) rs.push(await call(epochs, withLoss));
    const r = rs.find((x) => x.ms === median(rs.map((y) => y.ms)))!;
    console.log(`TF Playground nn.ts (main thread${withLoss ? ', + train/test loss each epoch as its app' : ''}): ${(1000 * epochs / r.ms).toFixed(1)} epochs/s (${r.ms.toFixed(0)} ms; loss ${r.first.toFixed(4)} → ${r.last.toFixed(4)}, ½(o − y)²)`);
  }
  await tf.close();
}

const TF_HASH = 'activation=tanh&batchSize=10&dataset=spiral&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&networkShape=8,8,8,8,8,8&seed=0.1&showTestData=false&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification&initZero=false&hideText=false';

/** The two apps playing: epochs/s by their own counters, and the page's frames/s. */
async function appVsApp(browser: Browser, page: Page): Promise<void> {
  const ours = await playRate(page, '#play', () => page.evaluate(() => (globalThis as any).playground.app.last.epoch as number));
  console.log(`app vs app, Play for ${seconds} s: neurite playground ${ours.epochsPerSec.toFixed(1)} epochs/s at ${ours.fps.toFixed(0)} frames/s`);
  const tfSite = tfPath ? resolve(tfPath, 'dist') : '';
  if (!tfSite) return;
  if (!existsSync(join(tfSite, 'bundle.js'))) { console.log(`TF Playground app: not measured (no build in ${tfSite}: run npm install && npm run build in the checkout)`); return; }
  const tfServer = await serveStatic(tfSite);
  try {
    const app = await browser.newPage();
    await app.route(/^https?:\/\/(?!127\.0\.0\.1)/, (r) => r.abort()); // its analytics and web fonts: nothing leaves the machine
    await app.goto(`${tfServer.url}index.html#${TF_HASH}`);
    await app.waitForSelector('#play-pause-button');
    const theirs = await playRate(app, '#play-pause-button', async () => Number((await app.textContent('#iter-number'))!.replace(/,/g, '')));
    console.log(`app vs app, Play for ${seconds} s: TF Playground ${theirs.epochsPerSec.toFixed(1)} epochs/s at ${theirs.fps.toFixed(0)} frames/s (one epoch per animation frame)`);
  } finally {
    await tfServer.close();
  }
}

async function main(): Promise<void> {
  const tfReady = await buildSites();
  const server = await serveStatic(join(out, 'site'));
  const browser = await launchChromium();
  const load0 = loadavg();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}index.html${toHash(settings)}`);
    await page.waitForFunction(() => (globalThis as any).playground?.app.last != null, null, { timeout: 60_000 });
    console.log(`Chromium ${browser.version()}; spiral 250 training points, 2-8×6-1 tanh, batch 10, lr 0.03, SGD; ${epochs} epochs after a warm-up, median of ${repeats}`);
    const data = await neuriteEngine(page);
    if (tfReady) await tfEngine(browser, server.url, data);
    else console.log('TF Playground: not measured (pass --tf /path/to/a/checkout of github.com/tensorflow/playground)');
    await appVsApp(browser, page);
  } finally {
    await browser.close();
    await server.close();
  }
  const load1 = loadavg();
  console.log(`load average ${load0[0]!.toFixed(2)} → ${load1[0]!.toFixed(2)} (1 min)`);
}

await main();
