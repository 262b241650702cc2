// The playground page: lays out the controls, the network, the output and metrics, and the lecture panels, and renders from the App.
import { App } from './app.js';
import { buildControls } from './controls.js';
import { downloadAll, exportFiles, dataCsv, importFiles } from './export.js';
import { fromHash } from './state.js';
import { isOneD } from './datasets.js';
import { NetworkView } from './render/network.js';
import { drawLossCurves, drawRoc } from './render/charts.js';
import { drawCurve, drawPoints, gridPoints } from './render/surface.js';
import { computeMetrics } from './metrics.js';
import { mountPanels } from './panels-view.js';

const $ = <T extends HTMLElement>(sel: string): T => document.querySelector<T>(sel)!;

const parsed = fromHash(location.hash);
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const app = new App(parsed.state, worker);
const notes: string[] = parsed.errors.map((e) => `link: ${e}`);

const controls = buildControls((p) => app.setState(p));
$('#controls').append(controls.root);
const network = new NetworkView((p) => app.setState(p));
$('#network').append(network.root);

$('#play').onclick = () => (app.playing ? app.pause() : app.play());
$('#step').onclick = () => app.step(1);
$('#reset').onclick = () => app.reset();
$('#export').onclick = () => downloadAll(app);
$<HTMLInputElement>('#import').onchange = async (e) => {
  const files = (e.target as HTMLInputElement).files;
  if (!files) return;
  try { await importFiles(app, files); notes.push(`imported ${Array.from(files, (f) => f.name).join(' + ')}`); } catch (err) { app.error = (err as Error).message; }
  app.markDirty();
};
window.addEventListener('hashchange', () => {
  const { state, errors } = fromHash(location.hash);
  notes.push(...errors.map((x) => `link: ${x}`));
  app.setState(state);
});
document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.altKey || e.ctrlKey || e.metaKey) return;
  if (e.key === ' ' && !(e.target instanceof HTMLButtonElement)) { e.preventDefault(); $('#play').click(); }
});

/** The head's loss as the loss line names it. */
function lossName(s: typeof app.state): string {
  if (s.problem === 'binary') return s.binaryLoss === 'hinge' ? 'hinge loss' : 'cross-entropy (sigmoid)';
  if (s.problem === 'multiclass') return `${s.multiclassLoss === 'multi_margin' ? 'multiclass hinge' : 'cross-entropy (softmax)'}${s.temperature !== 1 ? ` at τ = ${s.temperature}` : ''}`;
  return { mse: 'MSE', mae: 'MAE', huber: 'Huber loss' }[s.regressionLoss];
}

function fmt(v: number): string {
  return Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(3)) : '—';
}

let lastMetrics = 0;
function renderMetrics(): void {
  const now = performance.now();
  if (now - lastMetrics < 500 && app.playing) return;
  lastMetrics = now;
  const s = app.state, { train, test } = app.data;
  const rTrain = computeMetrics(s, app.predict(train.x, train.n), train.y, train.n);
  const rTest = computeMetrics(s, app.predict(test.x, test.n), test.y, test.n);
  const rows = rTest.rows.map(([name, v], i) => `<tr><th scope="row">${name}</th><td>${fmt(rTrain.rows[i]?.[1] ?? NaN)}</td><td>${fmt(v)}</td></tr>`);
  $('#metrics').innerHTML = `<table><thead><tr><th></th><th scope="col">train</th><th scope="col">test</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  const roc = $<HTMLCanvasElement>('#roc');
  roc.hidden = !rTest.roc;
  if (rTest.roc) drawRoc(roc, rTest.roc.fpr, rTest.roc.tpr);
  const cm = $('#confusion');
  cm.hidden = !rTest.confusion;
  if (rTest.confusion) {
    const head = rTest.confusion.map((_r, j) => `<th scope="col">${j}</th>`).join('');
    cm.innerHTML = `<table aria-label="confusion matrix (test)"><caption>confusion (rows: true, columns: predicted)</caption><thead><tr><th></th>${head}</tr></thead><tbody>${rTest.confusion.map((r, i) => `<tr><th scope="row">${i}</th>${r.map((v) => `<td>${v}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  }
}

function renderOutput(): void {
  const canvas = $<HTMLCanvasElement>('#surface'), s = app.state, scale = app.valueScale();
  if (isOneD(s.dataset)) {
    const pts = gridPoints(200, true).subarray(0, 400), xs = Float32Array.from({ length: 200 }, (_v, i) => pts[2 * i]!);
    const ys = app.predict(app.featurize(pts, 200), 200);
    drawCurve(canvas, xs, ys, s.showTest ? [app.data.train, app.data.test] : [app.data.train], [-scale * 1.5, scale * 1.5]);
    return;
  }
  app.renderSurface(canvas, (x, n) => app.predict(x, n));
  drawPoints(canvas, app.data.train, s.problem, false, scale);
  if (s.showTest) drawPoints(canvas, app.data.test, s.problem, true, scale);
}

let shownState: unknown = null, lastNetwork = 0;
app.onRender = () => {
  const s = app.state, now = performance.now();
  if (s !== shownState) { controls.update(s); network.build(s); shownState = s; lastNetwork = 0; }
  // While playing, the neuron maps and weights refresh at 10 Hz, the output at the snapshot rate (20 Hz).
  if (app.model && (!app.playing || now - lastNetwork >= 100)) { network.update(s, app.model); lastNetwork = now; }
  renderOutput();
  drawLossCurves($('#loss-chart'), app.history.train, app.history.test);
  const last = app.last;
  $('#epoch').textContent = String(last?.epoch ?? 0).padStart(6, '0');
  $('#losses').textContent = last ? `${lossName(s)}: train ${fmt(last.trainLoss)} · test ${fmt(last.testLoss)}` : 'starting…';
  $('#speed').textContent = last && last.epochsPerSec > 0 ? `${last.epochsPerSec.toFixed(0)} epochs/s` : '';
  $('#backend').textContent = app.backend ? `backend: ${app.backend}` : '';
  $('#play').textContent = app.playing ? 'Pause' : 'Play';
  $('#play').setAttribute('aria-pressed', String(app.playing));
  $('#status').textContent = [app.error, ...notes.slice(-3)].filter(Boolean).join(' · ');
  renderMetrics();
};

mountPanels($('#panels'), app);
// For tests, the benchmark and the screenshot script: the app and its export functions.
(globalThis as { playground?: unknown }).playground = { app, exportFiles: () => exportFiles(app), dataCsv: () => dataCsv(app) };
