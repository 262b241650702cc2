// HTML sections of report.html: run header, config, layer summary, metric tables, per-class table,
// and the ROC / regression charts built from the test-set views.
import type { ClassificationReport } from '../../../metrics/index.js';
import { esc, niceTicks, xyChartSvg } from './chart.js';
import type { RocSeries, TestViews } from './evaluation.js';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Facts about the run shown at the top of the report. */
export interface RunHeader {
  folder: string;
  status: 'completed' | 'stopped' | 'diverged';
  reason?: string;
  epochs: number;
  seconds?: number;
  task?: string;
  dataset?: string;
  sizes?: { train: number; validation: number; test: number };
  backend?: string;
  /** CPU, core count, OS and Node version of the machine that trained the run. */
  machine?: string;
}

/** The header table: folder, status, epochs, run time, data set and split sizes. @example headerHtml({ folder: 'runs/a', status: 'completed', epochs: 5 }) */
export function headerHtml(h: RunHeader): string {
  const rows: [string, string][] = [
    ['run folder', h.folder],
    ['status', `${h.status}${h.reason ? ` — ${h.reason}` : ''}`],
    ['epochs', String(h.epochs)],
    ...(h.seconds !== undefined ? [['run time', `${h.seconds.toFixed(1)} s`] as [string, string]] : []),
    ...(h.task ? [['task', h.task] as [string, string]] : []),
    ...(h.dataset ? [['data', h.dataset] as [string, string]] : []),
    ...(h.sizes ? [['examples', `${h.sizes.train} train / ${h.sizes.validation} validation / ${h.sizes.test} test`] as [string, string]] : []),
    ...(h.backend ? [['backend', h.backend] as [string, string]] : []),
    ...(h.machine ? [['machine', h.machine] as [string, string]] : []),
  ];
  return `<table class="header">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td class="${k === 'status' ? `status ${h.status}` : ''}">${esc(v)}</td></tr>`).join('')}</table>`;
}

/** The config as collapsible, pretty-printed JSON. @example configHtml({ train: { epochs: 5 } }) */
export function configHtml(config: unknown): string {
  return `<details><summary>config (JSON)</summary><pre class="config">${esc(JSON.stringify(config, null, 2))}</pre></details>`;
}

/** The layer summary: description, output shape, parameters, with a total. @example layersHtml([['Linear(4→8)', '[N, 8]', 40]]) */
export function layersHtml(rows: readonly [string, string, number][]): string {
  const total = rows.reduce((s, r) => s + r[2], 0);
  return `<table class="layers"><tr><th>#</th><th>layer</th><th>output</th><th>parameters</th></tr>${rows
    .map(([d, s, n], i) => `<tr><td>${i}</td><td class="l">${esc(d)}</td><td>${esc(s)}</td><td>${n}</td></tr>`).join('')}<tr><th colspan="3">total</th><td>${total}</td></tr></table>`;
}

/** How a metric name reads in the tables: macro averages and the binary positive class are spelled out. */
export function metricLabel(name: string, task: string | undefined, positive?: string): string {
  if (name === 'roc_auc' && task === 'multiclass') return 'roc_auc (macro one-vs-rest)';
  if (!['precision', 'recall', 'f1'].includes(name)) return name;
  return task === 'binary' ? `${name} (positive class${positive ? ` ${positive}` : ''})` : task === 'multiclass' ? `${name} (macro avg)` : name;
}

/** One table per split of the final scalar metrics. @example metricsHtml({ test: { accuracy: 0.9 } }, 'multiclass') */
export function metricsHtml(metrics: Record<string, Record<string, number>>, task: string | undefined, positive?: string): string {
  return Object.entries(metrics).map(([split, m]) => `<div class="split"><h3>${esc(split)}</h3><table>${Object.entries(m)
    .map(([k, v]) => `<tr><th>${esc(metricLabel(k, task, positive))}</th><td>${v.toFixed(4)}</td></tr>`).join('')}</table></div>`).join('');
}

/** The per-class precision/recall/F1/support table with macro and weighted averages. @example classTableHtml(classificationReport(y, p)) */
export function classTableHtml(r: ClassificationReport): string {
  const row = (name: string, v: { precision: number; recall: number; f1: number; support: number }, cls = ''): string =>
    `<tr class="${cls}"><th>${esc(name)}</th><td>${v.precision.toFixed(3)}</td><td>${v.recall.toFixed(3)}</td><td>${v.f1.toFixed(3)}</td><td>${v.support}</td></tr>`;
  return `<table class="classes"><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>${r.classes.map((c) => row(c.name, c)).join('')}${row('macro avg', r.macroAvg, 'avg')}${row('weighted avg', r.weightedAvg, 'avg')}<tr class="avg"><th>accuracy</th><td colspan="3">${r.accuracy.toFixed(3)}</td><td>${r.macroAvg.support}</td></tr></table>`;
}

/** ROC curves (one per class for one-vs-rest) with the chance diagonal. @example rocSvg([{ name: 'dog', fpr: [0, 1], tpr: [0, 1], auc: 0.5 }], false) */
export function rocSvg(curves: readonly RocSeries[], oneVsRest: boolean): string {
  const series = curves.map((c, i) => ({ name: `${c.name} (AUC ${c.auc.toFixed(3)})`, x: c.fpr, y: c.tpr, color: PALETTE[i % 10]! }));
  return xyChartSvg(oneVsRest ? 'ROC, one-vs-rest (test)' : 'ROC (test)', [...series, { name: '', x: [0, 1], y: [0, 1], color: '#aaa', dash: true }],
    { xLabel: 'false positive rate', yLabel: 'true positive rate', square: [0, 1], height: 300 + 16 * Math.floor(curves.length / 3) });
}

/** Predicted-vs-actual (with the y = x line) and residual-vs-predicted scatter plots. @example regressionSvgs([1, 2], [1.1, 1.8]) */
export function regressionSvgs(actual: readonly number[], predicted: readonly number[]): string {
  const lo = Math.min(...actual, ...predicted), hi = Math.max(...actual, ...predicted), r = niceTicks(lo, hi);
  const vs = xyChartSvg('predicted vs actual (test)', [
    { name: 'test examples', x: actual, y: predicted, color: '#1f77b4', kind: 'scatter' },
    { name: 'predicted = actual', x: [lo, hi], y: [lo, hi], color: '#d62728', dash: true },
  ], { xLabel: 'actual', yLabel: 'predicted', square: [r.lo, r.hi] });
  const res = xyChartSvg('residuals (test)', [
    { name: 'actual − predicted', x: predicted, y: actual.map((a, i) => a - predicted[i]!), color: '#ff7f0e', kind: 'scatter' },
    { name: 'zero', x: [Math.min(...predicted), Math.max(...predicted)], y: [0, 0], color: '#777', dash: true },
  ], { xLabel: 'predicted', yLabel: 'residual' });
  return vs + res;
}

/** The test-set views as HTML sections. @example testViewsHtml(testViews(bundle, data.test)) */
export function testViewsHtml(v: TestViews): string {
  return [
    v.classes ? `<h2>Per-class metrics (test)</h2>${classTableHtml(v.classes)}` : '',
    v.roc?.length ? `<h2>ROC curve</h2>${rocSvg(v.roc, v.roc.length > 1)}` : '',
    v.regression ? `<h2>Predictions (test)</h2><div class="charts">${regressionSvgs(v.regression.actual, v.regression.predicted)}</div>` : '',
  ].join('\n');
}
