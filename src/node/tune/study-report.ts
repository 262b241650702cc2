// STUDY/report.html: the study at a glance — optimisation history (each trial's metric and the best
// so far), parallel coordinates of parameters against the metric, parameter importance (η², see
// src/tune/importance.ts), and the trial table with links to each trial's run report.
import { join } from 'node:path';
import { writeFileAtomic } from '../data/atomic.js';
import { esc, xyChartSvg } from '../cli/report/chart.js';
import type { StudySummary } from '../../tune/tune.js';
import type { TrialRecord } from '../../tune/storage/types.js';
import { type ParamDef, type SearchSpace, toOverrides } from '../../tune/space.js';
import { importance } from '../../tune/importance.js';
import { foldsOf } from './study-files.js';
import { foldFolder } from './trial-run.js';

export const STUDY_REPORT = 'report.html';

/** Optimisation history: complete and pruned trials' values by trial number, and the best so far. */
function historySvg(s: StudySummary): string {
  const done = s.trials.filter((t) => t.state === 'complete');
  const pruned = s.trials.filter((t) => t.state === 'pruned' && (t.value ?? t.intermediate.at(-1)?.value) !== undefined);
  let best: number | undefined;
  const bestX: number[] = [], bestY: number[] = [];
  for (const t of done) {
    best = best === undefined ? t.value! : s.direction === 'maximize' ? Math.max(best, t.value!) : Math.min(best, t.value!);
    bestX.push(t.number); bestY.push(best);
  }
  return xyChartSvg('Optimisation history', [
    { name: 'complete', x: done.map((t) => t.number), y: done.map((t) => t.value!), color: '#1f77b4', kind: 'scatter' },
    { name: 'pruned (last value)', x: pruned.map((t) => t.number), y: pruned.map((t) => t.value ?? t.intermediate.at(-1)!.value), color: '#bbb', kind: 'scatter' },
    { name: 'best so far', x: bestX, y: bestY, color: '#d62728' },
  ], { xLabel: 'trial', yLabel: `validation ${s.metric}`, width: 620, height: 300 });
}

/** Position of a value on a parameter's axis in [0, 1] (log axes for log ranges, one slot per choice). */
function axisPos(p: ParamDef, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (p.type === 'categorical') { const i = p.choices.findIndex((c) => c === v); return p.choices.length === 1 ? 0.5 : i / (p.choices.length - 1); }
  const f = p.log ? Math.log : (x: number): number => x;
  return (f(v as number) - f(p.low)) / (f(p.high) - f(p.low));
}

const colour = (u: number): string => `rgb(${Math.round(68 + u * (253 - 68))},${Math.round(1 + u * (231 - 1))},${Math.round(84 + u * (37 - 84))})`;

/** Parallel coordinates: one vertical axis per parameter and one for the metric; a line per complete trial, coloured by its metric. */
function parallelSvg(s: StudySummary, space: SearchSpace): string {
  const done = s.trials.filter((t) => t.state === 'complete');
  const axes = space.params, width = Math.max(420, 110 * (axes.length + 1)), height = 300, top = 30, bottom = height - 40;
  const vals = done.map((t) => t.value!), lo = Math.min(...vals), hi = Math.max(...vals);
  const metricPos = (v: number): number => (hi === lo ? 0.5 : (v - lo) / (hi - lo));
  const x = (i: number): number => 50 + (i * (width - 100)) / Math.max(1, axes.length);
  const y = (u: number): number => bottom - u * (bottom - top);
  const lines = done.map((t) => {
    const pts = [...axes.map((p, i) => [i, axisPos(p, t.params[p.name])] as const), [axes.length, metricPos(t.value!)] as const];
    const segs = pts.filter(([, u]) => u !== null).map(([i, u]) => `${x(i).toFixed(1)},${y(u!).toFixed(1)}`).join(' ');
    const good = s.direction === 'maximize' ? metricPos(t.value!) : 1 - metricPos(t.value!);
    return `<polyline fill="none" stroke="${colour(good)}" stroke-opacity="0.75" stroke-width="1.5" points="${segs}"><title>trial ${t.number}: ${t.value}</title></polyline>`;
  });
  const label = (p: ParamDef, u: number): string => (p.type === 'categorical' ? String(p.choices[Math.round(u * (p.choices.length - 1))]) : String(Number((p.log ? Math.exp(Math.log(p.low) + u * (Math.log(p.high) - Math.log(p.low))) : p.low + u * (p.high - p.low)).toPrecision(3))));
  const axisSvg = [...axes.map((p, i) => [p.name, i, (u: number) => label(p, u)] as const), [`${s.metric}`, axes.length, (u: number) => String(Number((lo + u * (hi - lo)).toPrecision(3)))] as const].map(([name, i, lab]) =>
    `<line x1="${x(i)}" x2="${x(i)}" y1="${top}" y2="${bottom}" stroke="#333"/><text x="${x(i)}" y="${bottom + 16}" text-anchor="middle" font-size="10">${esc(name)}</text>` +
    `<text x="${x(i) + 3}" y="${top - 4}" font-size="9">${esc(lab(1))}</text><text x="${x(i) + 3}" y="${bottom - 2}" font-size="9">${esc(lab(0))}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif"><text x="${width / 2}" y="14" text-anchor="middle" font-size="12" font-weight="bold">Parallel coordinates (complete trials; yellow = best)</text>${lines.join('')}${axisSvg.join('')}</svg>`;
}

function importanceHtml(s: StudySummary, space: SearchSpace): string {
  const rows = importance(space, s.trials);
  if (rows.length === 0) return '<p>Too few complete trials to estimate importance (each parameter needs 3).</p>';
  return `<p>η² (correlation ratio): the share of the metric's variance explained by each parameter alone — complete trials grouped by choice, or into 5 equal-count bins of the value. It ignores interactions and reads high on few trials.</p>
<table class="importance"><tr><th>parameter</th><th>η²</th><th>trials</th><th></th></tr>${rows.map((r) => `<tr><td style="text-align:left">${esc(r.param)}</td><td>${r.eta2.toFixed(3)}</td><td>${r.trials}</td><td style="text-align:left"><span style="display:inline-block;background:#1f77b4;height:10px;width:${Math.round(200 * r.eta2)}px"></span></td></tr>`).join('')}</table>`;
}

/** A trial's run report links: its run folder's, or each fold's of a cross-validated trial. */
function runLinks(t: TrialRecord): string {
  if (!t.runDir) return '';
  const f = foldsOf(t);
  if (!f) return `<a href="${esc(t.runDir)}/report.html">${esc(t.runDir)}</a>`;
  return `${esc(t.runDir)}: ${f.folds.map((_, k) => `<a href="${esc(t.runDir!)}/${foldFolder(k)}/report.html">${foldFolder(k)}</a>`).join(' ')}`;
}

/** The metric cell: the value, and ± the fold std with the per-fold values of a cross-validated trial. */
function valueCell(t: TrialRecord, v: number | null | undefined): string {
  if (v === undefined || v === null) return '';
  const f = foldsOf(t);
  return f ? `<span title="folds: ${f.folds.map((x) => x.toFixed(4)).join(', ')}">${v.toFixed(4)} ± ${f.std.toFixed(4)}</span>` : v.toFixed(4);
}

function trialRow(t: TrialRecord, space: SearchSpace): string {
  const v = t.value ?? t.intermediate.at(-1)?.value;
  const link = runLinks(t);
  const params = Object.entries(toOverrides(space, t.params)).map(([k, x]) => `${k}=${typeof x === 'number' ? Number(x.toPrecision(4)) : JSON.stringify(x)}`).join(' ');
  return `<tr><td>${t.number}</td><td style="text-align:left">${t.state}${t.retryOf !== null ? ` (retry of ${t.retryOf})` : ''}</td><td>${valueCell(t, v)}</td><td>${t.intermediate.length}</td><td style="text-align:left">${esc(params)}</td><td style="text-align:left">${link}${t.error ? ` ${esc(t.error)}` : ''}</td></tr>`;
}

/**
 * The study report page (self-contained HTML, inline SVG, no scripts).
 * @example const html = studyReportHtml(result, parseSpace(config));
 */
export function studyReportHtml(s: StudySummary, space: SearchSpace): string {
  const best = s.best;
  return `<!doctype html><html><head><meta charset="utf-8"><title>neurite study ${esc(s.name)}</title>
<style>body{font-family:sans-serif;margin:24px;max-width:1200px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f6f6f6}svg{margin:0 12px 12px 0}</style></head>
<body><h1>neurite study ${esc(s.name)}</h1>
<p>${s.trials.length} trials: ${s.counts.complete} complete, ${s.counts.pruned} pruned, ${s.counts.failed} failed, ${s.counts.running} running; ${s.steps} epochs in all. Metric: validation ${esc(s.metric)} (${s.direction}).</p>
<p>${best ? `Best: trial ${best.number}, ${esc(s.metric)} ${valueCell(best, best.value)}${best.runDir ? ` — ${foldsOf(best) ? `its fold run reports: ${runLinks(best)}` : `<a href="${esc(best.runDir)}/report.html">its run report</a>`}` : ''}; <code>neurite train --config best-config.json</code> ${foldsOf(best) ? 'trains its configuration on the standard split (the folds were for choosing it)' : 'reproduces it'}.` : 'No trial has completed yet.'}</p>
<h2>Optimisation history</h2>${historySvg(s)}
<h2>Parameters against the metric</h2>${s.counts.complete > 0 ? parallelSvg(s, space) : '<p>No complete trial yet.</p>'}
<h2>Parameter importance</h2>${importanceHtml(s, space)}
<h2>Trials</h2><table><tr><th>trial</th><th>state</th><th>${esc(s.metric)}</th><th>epochs</th><th>params</th><th>run</th></tr>${s.trials.map((t) => trialRow(t, space)).join('')}</table>
</body></html>\n`;
}

/** Writes STUDY/report.html (atomically); returns its path. */
export async function writeStudyReport(dir: string, s: StudySummary, space: SearchSpace): Promise<string> {
  const path = join(dir, STUDY_REPORT);
  await writeFileAtomic(path, studyReportHtml(s, space));
  return path;
}
