// report.html for a run: header (folder, status, run time, data sizes), config, layer summary, loss and
// metric curves, final metrics, per-class table, ROC / regression plots, gradient flow, confusion matrix.
import type { EpochLog } from '../../train/callbacks.js';
import { esc, lineChartSvg } from './report/chart.js';
import { configHtml, headerHtml, layersHtml, metricsHtml, testViewsHtml, type RunHeader } from './report/sections.js';
import type { TestViews } from './report/evaluation.js';

export { lineChartSvg, niceTicks, epochTicks, xyChartSvg } from './report/chart.js';
export { testViews, type TestViews } from './report/evaluation.js';
export type { RunHeader } from './report/sections.js';

/**
 * A confusion matrix as an HTML table with cell shading (rows: true class, columns: predicted).
 * @example confusionTable([[5, 1], [0, 4]], ['cat', 'dog'])
 */
export function confusionTable(matrix: number[][], names: string[]): string {
  const max = Math.max(1, ...matrix.flat());
  const head = `<tr><th>true \\ predicted</th>${matrix.map((_, j) => `<th>${esc(names[j] ?? String(j))}</th>`).join('')}</tr>`;
  const rows = matrix.map((row, i) => `<tr><th>${esc(names[i] ?? String(i))}</th>${row
    .map((v) => `<td style="background: rgba(40,90,200,${((v / max) * 0.8 + 0.05).toFixed(3)}); color: ${v / max > 0.55 ? '#fff' : '#000'}">${v}</td>`).join('')}</tr>`);
  return `<table class="cm">${head}${rows.join('')}</table>`;
}

/** True when two per-epoch series are the same numbers (regression trained on unscaled MSE: loss ≡ mse). */
function sameSeries(a: (number | undefined)[], b: (number | undefined)[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i] || (v !== undefined && b[i] !== undefined && Math.abs(v - b[i]!) <= 1e-9 * Math.max(1, Math.abs(v))));
}

/** The loss chart and, unless it repeats the loss, the main metric's chart. */
function curvesHtml(history: EpochLog[], metric: string): string {
  const loss = { train: history.map((h) => h.loss), val: history.map((h) => h.valLoss) };
  const met = { train: history.map((h) => h.metrics[metric]), val: history.map((h) => h.valMetrics?.[metric]) };
  const same = sameSeries(loss.train, met.train) && sameSeries(loss.val, met.val);
  const chart = (title: string, s: { train: (number | undefined)[]; val: (number | undefined)[] }): string => lineChartSvg(title, [
    { name: 'train', values: s.train, color: '#1f77b4' },
    { name: 'validation', values: s.val, color: '#ff7f0e' },
  ]);
  return `<div class="charts">${chart(same ? `loss (= ${metric})` : 'loss', loss)}${same ? '' : chart(metric, met)}</div>`;
}

/** Everything reportHtml can show; only title, history, metric and metrics are required. */
export interface ReportInput {
  title: string;
  history: EpochLog[];
  metric: string;
  metrics: Record<string, Record<string, number>>;
  header?: RunHeader;
  config?: unknown;
  layers?: [string, string, number][];
  views?: TestViews;
  confusion?: { matrix: number[][]; names: string[] };
  gradientSvg?: string;
  notice?: string;
}

const STYLE = `body{font-family:sans-serif;margin:24px;max-width:1100px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f6f6f6}.header th,.header td,.layers td.l,.classes th,.cm th{text-align:left}.status.completed{color:#070}.status.stopped{color:#a60}.status.diverged{color:#c00;font-weight:bold}
.charts svg{margin:0 12px 12px 0}.split{display:inline-block;vertical-align:top;margin-right:24px}tr.avg th,tr.avg td{border-top:2px solid #999}pre.config{background:#f6f6f6;padding:8px;font-size:12px}`;

/**
 * The whole report page as a self-contained HTML string (inline SVG, no scripts, no network).
 * @example writeFileSync('report.html', reportHtml({ title: 'run', history: result.history, metric: 'accuracy', metrics: { test: { accuracy: 0.9 } } }))
 */
export function reportHtml(opts: ReportInput): string {
  const task = opts.header?.task;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(opts.title)}</title>
<style>${STYLE}</style></head>
<body><h1>${esc(opts.title)}</h1>${opts.notice ? `<p class="notice" style="border:2px solid #c00;padding:8px;color:#900"><strong>${esc(opts.notice)}</strong></p>` : ''}
${opts.header ? headerHtml(opts.header) : ''}
${opts.config !== undefined ? configHtml(opts.config) : ''}
${opts.layers ? `<h2>Model</h2>${layersHtml(opts.layers)}` : ''}
<h2>Training curves</h2>${curvesHtml(opts.history, opts.metric)}
<h2>Metrics</h2>${metricsHtml(opts.metrics, task, task === 'binary' ? opts.views?.classes?.classes[1]?.name : undefined)}
${opts.views ? testViewsHtml(opts.views) : ''}
${opts.confusion ? `<h2>Confusion matrix (test)</h2>${confusionTable(opts.confusion.matrix, opts.confusion.names)}` : ''}
${opts.gradientSvg ? `<h2>Gradient flow</h2>${opts.gradientSvg}` : ''}
</body></html>\n`;
}
