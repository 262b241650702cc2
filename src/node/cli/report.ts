// report.html for a run: loss and metric curves (SVG) and, for classification, a confusion matrix.
import type { EpochLog } from '../../train/callbacks.js';

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A line chart of several series over epochs as an SVG string (deterministic, no dependencies). */
export function lineChartSvg(title: string, series: { name: string; values: (number | undefined)[]; color: string }[], width = 420, height = 240): string {
  const pad = { l: 48, r: 12, t: 24, b: 28 };
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && Number.isFinite(v)));
  const n = Math.max(1, ...series.map((s) => s.values.length));
  let lo = Math.min(...all), hi = Math.max(...all);
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  if (hi - lo < 1e-12) { hi += 0.5; lo -= 0.5; }
  const x = (i: number): number => pad.l + (n === 1 ? 0 : (i / (n - 1)) * (width - pad.l - pad.r));
  const y = (v: number): number => pad.t + (1 - (v - lo) / (hi - lo)) * (height - pad.t - pad.b);
  const paths = series.map((s) => {
    const pts = s.values.map((v, i) => (v === undefined ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean);
    return pts.length ? `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"/>` : '';
  });
  const legend = series.map((s, i) => `<text x="${pad.l + 8 + i * 110}" y="${pad.t - 8}" fill="${s.color}" font-size="11">${esc(s.name)}</text>`);
  const ticks = [lo, (lo + hi) / 2, hi].map((v) => `<text x="${pad.l - 4}" y="${y(v) + 4}" text-anchor="end" font-size="10">${v.toPrecision(3)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<text x="${width / 2}" y="12" text-anchor="middle" font-size="12" font-weight="bold">${esc(title)}</text>
<rect x="${pad.l}" y="${pad.t}" width="${width - pad.l - pad.r}" height="${height - pad.t - pad.b}" fill="none" stroke="#ccc"/>
${ticks.join('\n')}
<text x="${width / 2}" y="${height - 6}" text-anchor="middle" font-size="10">epoch (1..${n})</text>
${paths.join('\n')}
${legend.join('\n')}
</svg>`;
}

/** A confusion matrix as an HTML table with cell shading (rows: true class, columns: predicted). */
export function confusionTable(matrix: number[][], names: string[]): string {
  const max = Math.max(1, ...matrix.flat());
  const head = `<tr><th>true \\ predicted</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}</tr>`;
  const rows = matrix.map((row, i) => `<tr><th>${esc(names[i] ?? String(i))}</th>${row
    .map((v) => `<td style="background: rgba(40,90,200,${(v / max) * 0.8 + 0.05})">${v}</td>`).join('')}</tr>`);
  return `<table class="cm">${head}${rows.join('')}</table>`;
}

/** The whole report page. */
export function reportHtml(opts: { title: string; history: EpochLog[]; metric: string; metrics: Record<string, Record<string, number>>; confusion?: { matrix: number[][]; names: string[] }; gradientSvg?: string; notice?: string }): string {
  const { history, metric } = opts;
  const loss = lineChartSvg('loss', [
    { name: 'train', values: history.map((h) => h.loss), color: '#1f77b4' },
    { name: 'validation', values: history.map((h) => h.valLoss), color: '#ff7f0e' },
  ]);
  const met = lineChartSvg(metric, [
    { name: 'train', values: history.map((h) => h.metrics[metric]), color: '#1f77b4' },
    { name: 'validation', values: history.map((h) => h.valMetrics?.[metric]), color: '#ff7f0e' },
  ]);
  const table = Object.entries(opts.metrics).map(([split, m]) => `<h3>${esc(split)}</h3><table>${Object.entries(m)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v.toFixed(4)}</td></tr>`).join('')}</table>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(opts.title)}</title>
<style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}.cm td{color:#000}</style></head>
<body><h1>${esc(opts.title)}</h1>${opts.notice ? `<p class="notice" style="border:2px solid #c00;padding:8px;color:#900"><strong>${esc(opts.notice)}</strong></p>` : ''}<div>${loss}${met}</div><h2>Metrics</h2>${table}
${opts.gradientSvg ? `<h2>Gradient flow</h2>${opts.gradientSvg}` : ''}
${opts.confusion ? `<h2>Confusion matrix (test)</h2>${confusionTable(opts.confusion.matrix, opts.confusion.names)}` : ''}
</body></html>\n`;
}
