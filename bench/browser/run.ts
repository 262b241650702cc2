// `npm run bench:browser`: a 64-256-256-10 MLP epoch in headless Chromium (COOP/COEP page) and in Node, JS vs WASM vs WASM on 2 threads.
//
// Usage: npm run bench:browser [-- --epochs N] [--quick]   (needs `npm run build` and Debian chromium)
// Prints one table and a JSON line. Figures depend on the machine's load: the line says what it was.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromiumMissing, launchChromium, serveStatic } from '../../test/helpers/chromium.js';
import { prepareBackends, timeEpochs, SAMPLES, BATCH, type EpochFigure } from './workload.js';
import { closeWasmThreads } from '../../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { epochs: { type: 'string', default: '5' }, quick: { type: 'boolean', default: false } } });
const epochs = values.quick ? 1 : Number(values.epochs);
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs: expected a positive integer, got ${values.epochs}`);
const missingChromium = chromiumMissing();
if (missingChromium) throw new Error(missingChromium);

interface PageBench { isolated: boolean; figures: EpochFigure[]; missing: string[]; error?: string; userAgent: string }

async function chromiumFigures(): Promise<PageBench> {
  const site = mkdtempSync(join(tmpdir(), 'neurite-bench-browser-'));
  try {
    await build({
      entryPoints: [join(root, 'bench/browser/page.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
      outfile: join(site, 'app/page.js'), logLevel: 'error', minify: true,
      plugins: [{ name: 'embedded', setup: (b) => b.onResolve({ filter: /wasm\/embedded\.js$/ }, () => ({ path: join(root, 'dist/wasm/embedded.js') })) }],
    });
    writeFileSync(join(site, 'app/index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="page.js"></script>');
    for (const f of ['neurite.wasm', 'neurite-threads.wasm']) copyFileSync(join(root, 'dist/wasm', f), join(site, 'app', f));
    const server = await serveStatic(site, { isolated: true });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}app/index.html?epochs=${epochs}`);
      await page.waitForFunction(() => (globalThis as { bench?: unknown }).bench !== undefined, null, { timeout: 600_000 });
      return (await page.evaluate(() => (globalThis as { bench?: unknown }).bench)) as PageBench;
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(site, { recursive: true, force: true });
  }
}

async function nodeFigures(): Promise<{ figures: EpochFigure[]; missing: string[] }> {
  const { names, missing } = await prepareBackends();
  const figures = names.map((name) => timeEpochs(name, epochs, () => performance.now()));
  await closeWasmThreads();
  return { figures, missing };
}

const loadBefore = loadavg()[0]!;
const node = await nodeFigures();
const chromium = await chromiumFigures();
const loadAfter = loadavg()[0]!;
if (chromium.error) throw new Error(`the benchmark page failed: ${chromium.error}`);
const load = `load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${cpus().length} cores`;
console.log(`MLP 64-256-256-10, Adam, ${SAMPLES} samples/epoch, batch ${BATCH}: median ms per epoch of ${epochs} (after 1 warm-up); ${load}`);
console.log(`Chromium: ${chromium.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? chromium.userAgent} (crossOriginIsolated: ${chromium.isolated}); Node ${process.version}`);
console.log('| backend | Node ms/epoch | Chromium ms/epoch | Chromium / Node |');
console.log('| --- | --- | --- | --- |');
for (const n of node.figures) {
  const c = chromium.figures.find((f) => f.backend === n.backend);
  console.log(`| ${n.backend} | ${n.medianMs.toFixed(1)} | ${c ? c.medianMs.toFixed(1) : 'n/a'} | ${c ? (c.medianMs / n.medianMs).toFixed(2) : 'n/a'} |`);
}
for (const m of [...node.missing.map((s) => `Node ${s}`), ...chromium.missing.map((s) => `Chromium ${s}`)]) console.log(`missing: ${m}`);
console.log(JSON.stringify({ bench: 'browser-mlp', epochs, load, node: node.figures, chromium: chromium.figures }));
