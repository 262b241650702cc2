// Hand-written SVG charts for report.html: nice axis ticks, line charts over epochs, and x–y plots
// (scatter and curves) with the legend below the plot area, as TensorBoard/tfjs-vis users expect.

export const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * About `count` "nice" tick values (steps of 1, 2 or 5 × 10^k) covering [lo, hi]; the range they span.
 * @example niceTicks(0.13, 0.91)   // { ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], lo: 0, hi: 1 }
 */
export function niceTicks(lo: number, hi: number, count = 5): { ticks: number[]; lo: number; hi: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) { lo = 0; hi = 1; }
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) { lo -= 0.5; hi += 0.5; }
  const raw = (hi - lo) / Math.max(1, count), mag = 10 ** Math.floor(Math.log10(raw)), f = raw / mag;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  const a = Math.floor(lo / step + 1e-9) * step, b = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = a; v <= b + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { ticks, lo: a, hi: b };
}

/** Integer ticks for epochs 1..n (about `count` of them). @example epochTicks(30)   // [1, 5, 10, 15, 20, 25, 30] */
export function epochTicks(n: number, count = 6): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i + 1);
  const step = niceTicks(0, n, count).ticks[1]!;
  const out = [1];
  for (let v = step; v <= n; v += step) if (v > 1) out.push(v);
  return out;
}

const fmt = (v: number): string => (v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(4))));

/** One series of an x–y plot: a polyline (`line`) or dots (`scatter`). */
export interface XYSeries { name: string; x: readonly number[]; y: readonly (number | undefined)[]; color: string; kind?: 'line' | 'scatter'; dash?: boolean }

export interface XYOptions { xLabel: string; yLabel?: string; width?: number; height?: number; xTicks?: number[]; square?: [number, number] }

/** Layout of every chart: plot box, legend rows below the x-axis label. */
function box(width: number, height: number, legendRows: number): { l: number; r: number; t: number; b: number } {
  return { l: 56, r: width - 14, t: 26, b: height - 40 - 16 * legendRows };
}

/**
 * An x–y chart as an SVG string: nice ticks on both axes with grid lines, axis labels, and a legend
 * below the plot area (never over it). Non-finite or missing points are skipped.
 * @example xyChartSvg('ROC', [{ name: 'AUC 0.93', x: fpr, y: tpr, color: '#1f77b4' }], { xLabel: 'false positive rate', square: [0, 1] })
 */
export function xyChartSvg(title: string, series: XYSeries[], opts: XYOptions): string {
  const { width = 440, height = 280 } = opts;
  const shown = series.filter((s) => s.name !== '');
  const perRow = Math.max(1, Math.floor((width - 60) / 130)), rows = Math.ceil(shown.length / perRow);
  const p = box(width, height, rows);
  const ok = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);
  const xs = series.flatMap((s) => s.x.filter(ok)), ys = series.flatMap((s) => s.y.filter(ok));
  const xr = opts.square ? { ticks: niceTicks(...opts.square).ticks, lo: opts.square[0], hi: opts.square[1] } : niceTicks(Math.min(...xs), Math.max(...xs));
  const yr = opts.square ? xr : niceTicks(Math.min(...ys), Math.max(...ys));
  const xt = opts.xTicks ?? xr.ticks, xlo = opts.xTicks ? Math.min(...xt, ...xs) : xr.lo, xhi = opts.xTicks ? Math.max(...xt, ...xs) : xr.hi;
  const sx = (v: number): number => p.l + (xhi === xlo ? 0.5 : (v - xlo) / (xhi - xlo)) * (p.r - p.l);
  const sy = (v: number): number => p.b - ((v - yr.lo) / (yr.hi - yr.lo)) * (p.b - p.t);
  const f1 = (v: number): string => v.toFixed(1);
  const grid = [
    ...yr.ticks.map((v) => `<line x1="${p.l}" x2="${p.r}" y1="${f1(sy(v))}" y2="${f1(sy(v))}" stroke="#eee"/><text class="ytick" x="${p.l - 4}" y="${f1(sy(v) + 3)}" text-anchor="end" font-size="10">${fmt(v)}</text>`),
    ...xt.map((v) => `<line x1="${f1(sx(v))}" x2="${f1(sx(v))}" y1="${p.t}" y2="${p.b}" stroke="#eee"/><text class="xtick" x="${f1(sx(v))}" y="${p.b + 13}" text-anchor="middle" font-size="10">${fmt(v)}</text>`),
  ];
  const marks = series.map((s) => {
    const pts = s.x.map((x, i) => [x, s.y[i]] as const).filter(([x, y]) => ok(x) && ok(y)).map(([x, y]) => [f1(sx(x)), f1(sy(y!))]);
    if (s.kind === 'scatter') return `<g class="scatter" fill="${s.color}" fill-opacity="0.6">${pts.map(([a, b]) => `<circle cx="${a}" cy="${b}" r="2.5"/>`).join('')}</g>`;
    return pts.length ? `<polyline class="series" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ' stroke-dasharray="4 3"' : ''} points="${pts.map((q) => q.join(',')).join(' ')}"/>` : '';
  });
  const legend = shown.map((s, i) => {
    const lx = p.l + (i % perRow) * 130, ly = height - 10 - 16 * (rows - 1 - Math.floor(i / perRow));
    return `<g class="legend"><rect x="${lx}" y="${ly - 8}" width="14" height="3" fill="${s.color}"/><text x="${lx + 18}" y="${ly}" font-size="11">${esc(s.name)}</text></g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<text x="${width / 2}" y="14" text-anchor="middle" font-size="12" font-weight="bold">${esc(title)}</text>
${grid.join('\n')}
<rect x="${p.l}" y="${p.t}" width="${p.r - p.l}" height="${p.b - p.t}" fill="none" stroke="#999"/>
${marks.join('\n')}
<text x="${(p.l + p.r) / 2}" y="${p.b + 27}" text-anchor="middle" font-size="10">${esc(opts.xLabel)}</text>
${opts.yLabel ? `<text transform="translate(12 ${(p.t + p.b) / 2}) rotate(-90)" text-anchor="middle" font-size="10">${esc(opts.yLabel)}</text>` : ''}
${legend.join('\n')}
</svg>`;
}

/**
 * A line chart of several series over epochs 1..n (x ticks are epochs).
 * @example lineChartSvg('loss', [{ name: 'train', values: [0.9, 0.5, 0.4], color: '#1f77b4' }])
 */
export function lineChartSvg(title: string, series: { name: string; values: (number | undefined)[]; color: string }[], width = 440, height = 280): string {
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const epochs = Array.from({ length: n }, (_, i) => i + 1);
  const withData = series.filter((s) => s.values.some((v) => v !== undefined && Number.isFinite(v)));
  return xyChartSvg(title, withData.map((s) => ({ name: s.name, x: epochs, y: s.values, color: s.color })), { xLabel: 'epoch', width, height, xTicks: epochTicks(n) });
}
