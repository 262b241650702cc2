// report.html as a TensorBoard/tfjs-vis user reads it: legends below the plots, ticks on both axes,
// header/config/layers, per-class table, ROC (binary and one-vs-rest), regression scatter, macro labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/node/cli/main.js';
import { epochTicks, lineChartSvg, niceTicks, reportHtml } from '../../src/node/cli/report.js';
import { gradientNormSvg, layerLabel } from '../../src/train/gradient-flow.js';
import { mlp } from '../../src/nn/mlp.js';

async function train(args: string[]): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'neurite-report-')), 'run');
  let err = '';
  const code = await main(['train', ...args, '--backend', 'js', '--out', dir], { out: () => {}, err: (s) => (err += s), isTTY: false });
  assert.equal(code, 0, err);
  return readFileSync(join(dir, 'report.html'), 'utf8');
}

/** The plot box's bottom edge and every legend entry's y in one chart. */
function layout(svg: string): { plotBottom: number; legendY: number[] } {
  const box = /<rect x="56" y="(\d+)" width="[\d.]+" height="([\d.]+)" fill="none" stroke="#999"\/>/.exec(svg);
  assert.ok(box, 'plot box present');
  const legendY = [...svg.matchAll(/<g class="legend"><rect x="[\d.]+" y="[\d.]+" width="14" height="3" fill="[^"]+"\/><text x="[\d.]+" y="([\d.]+)"/g)].map((m) => Number(m[1]));
  return { plotBottom: Number(box[1]) + Number(box[2]), legendY };
}

test('niceTicks and epochTicks give round values covering the range', () => {
  assert.deepEqual(niceTicks(0.13, 0.91), { ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], lo: 0, hi: 1 });
  assert.deepEqual(niceTicks(-3.2, 7.9).ticks, [-5, 0, 5, 10]);
  assert.deepEqual(epochTicks(30), [1, 5, 10, 15, 20, 25, 30]);
  assert.deepEqual(epochTicks(4), [1, 2, 3, 4]);
});

test('line chart: legend below the plot area, epoch ticks on x, nice ticks on y', () => {
  const svg = lineChartSvg('loss', [
    { name: 'train', values: [2.3, 1.1, 0.7, 0.5, 0.42, 0.4, 0.38, 0.37, 0.36, 0.35], color: '#1f77b4' },
    { name: 'validation', values: [2.1, 1.2, 0.8, 0.6, 0.5, 0.5, 0.49, 0.48, 0.48, 0.47], color: '#ff7f0e' },
  ]);
  const { plotBottom, legendY } = layout(svg);
  assert.equal(legendY.length, 2);
  for (const y of legendY) assert.ok(y > plotBottom + 20, `legend at y=${y} is below the plot (bottom ${plotBottom}) and its axis label`);
  const xt = [...svg.matchAll(/class="xtick"[^>]*>([^<]+)</g)].map((m) => m[1]);
  assert.deepEqual(xt, ['1', '2', '4', '6', '8', '10']);
  const yt = [...svg.matchAll(/class="ytick"[^>]*>([^<]+)</g)].map((m) => m[1]);
  assert.deepEqual(yt, ['0', '0.5', '1', '1.5', '2', '2.5']);
  assert.match(svg, />epoch</);
});

test('loss and mse that are the same numbers are drawn once, titled "loss (= mse)"', () => {
  const history = [1, 0.5, 0.3].map((v, i) => ({ epoch: i + 1, loss: v, metrics: { mse: v } }));
  const html = reportHtml({ title: 't', history: history as never, metric: 'mse', metrics: {} });
  assert.equal((html.match(/<svg/g) ?? []).length, 1);
  assert.match(html, /loss \(= mse\)/);
});

test('gradient-flow rows are named by layer and the colour bar reads in powers of ten', () => {
  const model = mlp({ sizes: [4, 8, 2], activation: 'relu' });
  assert.equal(layerLabel(model, '0'), 'Linear(4→8) 0');
  assert.equal(layerLabel(model, '2'), 'Linear(8→2) 2');
  const records = [1, 2, 3].map((epoch) => ({ epoch, layers: ['0', '2'], norms: [10 ** (-3 + epoch / 3), 1.5] }));
  const svg = gradientNormSvg(records, { labels: (l) => layerLabel(model, l) });
  assert.deepEqual([...svg.matchAll(/class="layer"[^>]*>([^<]+)</g)].map((m) => m[1]), ['Linear(4→8) 0', 'Linear(8→2) 2']);
  assert.deepEqual([...svg.matchAll(/class="decade"[^>]*>([^<]+)</g)].map((m) => m[1]), ['1e-2', '1e-1', '1e0']);
  assert.doesNotMatch(svg, /1e-?\d\.\d</, 'no fractional decades like 1e0.3');
  // A range inside one decade still gets a power-of-ten label.
  const narrow = gradientNormSvg([{ epoch: 1, layers: ['0'], norms: [0.3] }, { epoch: 2, layers: ['0'], norms: [0.5] }]);
  assert.deepEqual([...narrow.matchAll(/class="decade"[^>]*>([^<]+)</g)].map((m) => m[1]), ['1e-1', '1e0']);
});

test('binary run: header, config, layers, per-class table, ROC path, positive-class labels, named gradient rows', async () => {
  const html = await train(['--dataset', 'breast_cancer', '--epochs', '3']);
  assert.match(html, /<th>status<\/th><td class="status completed">completed<\/td>/);
  assert.match(html, /<th>run time<\/th><td class="">[\d.]+ s<\/td>/);
  assert.match(html, /<th>machine<\/th><td class="">\d+ × .+, \w+ \w+, Node v\d+/);
  assert.match(html, /<th>examples<\/th><td class="">398 train \/ 57 validation \/ 114 test<\/td>/);
  assert.match(html, /<details><summary>config \(JSON\)<\/summary><pre class="config">\{\n {2}&quot;data&quot;/);
  assert.match(html, /<td class="l">Linear\(30→64\)<\/td>/);
  assert.match(html, /<tr class=""><th>malignant<\/th>(<td>[\d.]+<\/td>){3}<td>43<\/td><\/tr>/);
  assert.match(html, /<th>macro avg<\/th>/);
  assert.match(html, /precision \(positive class benign\)/);
  const roc = /ROC \(test\)<\/text>[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
  const curve = /<polyline class="series" fill="none" stroke="#1f77b4" stroke-width="2" points="([^"]+)"/.exec(roc);
  assert.ok(curve && curve[1]!.split(' ').length >= 3, 'the ROC curve is drawn as a path through its points');
  assert.match(roc, /stroke-dasharray="4 3"/, 'with the chance diagonal');
  assert.match(html, /benign \(AUC 0\.\d{3}\)/);
  assert.match(html, /class="layer"[^>]*>Linear\(30→64\) 0</);
});

test('multiclass run: macro-average labels and one-vs-rest ROC curves', async () => {
  const html = await train(['--dataset', 'iris', '--epochs', '3']);
  for (const m of ['precision', 'recall', 'f1']) assert.match(html, new RegExp(`<th>${m} \\(macro avg\\)</th>`));
  assert.match(html, /ROC, one-vs-rest \(test\)/);
  const aucs = [...html.matchAll(/\(AUC (\d\.\d{3})\)/g)].map((m) => Number(m[1]));
  assert.equal(aucs.length, 3);
  const macro = Number(/<th>roc_auc \(macro one-vs-rest\)<\/th><td>([\d.]+)<\/td>/.exec(html)![1]);
  assert.ok(Math.abs(aucs.reduce((a, b) => a + b, 0) / 3 - macro) < 2e-3, `mean of the curves' AUCs ${aucs} is the test roc_auc ${macro}`);
});

test('regression run: predicted-vs-actual and residual scatter plots, no per-class table', async () => {
  const csv = fileURLToPath(new URL('../fixtures/house_prices.csv', import.meta.url));
  const html = await train(['--csv', csv, '--target', 'price', '--epochs', '3']);
  assert.match(html, /predicted vs actual \(test\)/);
  assert.match(html, /residuals \(test\)/);
  const scatters = [...html.matchAll(/<g class="scatter"[^>]*>((?:<circle [^>]+\/>)+)<\/g>/g)];
  assert.equal(scatters.length, 2);
  for (const s of scatters) assert.equal((s[1]!.match(/<circle/g) ?? []).length, 120, 'one dot per test row');
  assert.doesNotMatch(html, /Per-class metrics/);
});
