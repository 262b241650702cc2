// `neurite eval | predict | summary | datasets`: use a saved run folder, or list the data sets.

import { parseArgs } from 'node:util';
import { loadModel } from '../io/model-files.js';
import { listDatasets } from '../data/fashion-mnist.js';
import { Graph, formatGraphSummary } from '../../nn/graph.js';
import { writeFileAtomic } from '../data/atomic.js';
import { predict } from '../../train/fit.js';
import { toCsv } from '../../data/csv-parse.js';
import { tensor } from '../../core/tensor.js';
import { noGrad } from '../../autograd/graph.js';
import type { ModelBundle } from '../../io/model.js';
import { defaultConfig, type TrainConfig } from './config.js';
import { type RunData, loadCsv, loadCsvFeatures, loadRunData } from './data-source.js';
import { evaluateBundle, type Output } from './run.js';
import { parseCsv } from '../../data/csv-parse.js';
import { readFileSync } from 'node:fs';
import { selectBackend } from './backend-choice.js';
import { HyperNetwork } from '../../hyper/index.js';
import { hyperSummary } from './hyper-summary.js';
import { layerRows } from './layer-rows.js';

function dataConfig(bundle: ModelBundle): { data: TrainConfig['data']; seed: number } {
  const info = (bundle.info ?? {}) as { data?: TrainConfig['data']; seed?: number };
  return { data: { ...defaultConfig().data, ...(info.data ?? {}) }, seed: info.seed ?? 0 };
}

/** `neurite eval --model DIR [--dataset NAME | --csv FILE --target COL] [--json]`. */
export async function evalCommand(argv: string[], io: Output): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { model: { type: 'string' }, dataset: { type: 'string' }, csv: { type: 'string' }, target: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' }, backend: { type: 'string' } } });
  if (!values.model) throw new Error('eval: --model DIR is required (a run folder written by neurite train)');
  const bundle = await loadModel(values.model);
  // The backend the run trained on by default, so metrics.json is reproduced exactly (bit for bit).
  await selectBackend(values.backend ?? ((bundle.info as { backend?: string } | undefined)?.backend ?? null));
  let result: Record<string, Record<string, number>>;
  if (values.csv) {
    const csvInfo = (bundle.info as { csv?: RunData['csv'] } | undefined)?.csv;
    const target = values.target ?? csvInfo?.targetName;
    if (!target) throw new Error('eval: --csv needs --target COLUMN');
    const d = loadCsv(values.csv, target, dataConfig(bundle).data.task);
    result = { test: evaluateBundle(bundle, { x: d.x, y: d.y }) };
  } else {
    const { data, seed } = dataConfig(bundle);
    if (values.dataset) { data.dataset = values.dataset; data.csv = null; }
    if (values['data-dir']) data.dataDir = values['data-dir'];
    const run = await loadRunData(data, seed);
    result = { test: evaluateBundle(bundle, run.test) };
    if (run.val) result.validation = evaluateBundle(bundle, run.val);
  }
  if (values.json) io.out(JSON.stringify(result) + '\n');
  else for (const [split, m] of Object.entries(result)) io.out(`${split}: ${Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ')}\n`);
  return 0;
}

function featuresFor(bundle: ModelBundle, path: string) {
  const csvInfo = (bundle.info as { csv?: RunData['csv'] } | undefined)?.csv;
  if (csvInfo) return loadCsvFeatures(path, csvInfo);
  const rows = parseCsv(readFileSync(path, 'utf8'));
  const body = rows.rows.filter((r) => r.some((c) => c.trim() !== ''));
  const numeric = (r: string[]): boolean => r.every((c) => c.trim() !== '' && Number.isFinite(Number(c)));
  const data = body.length > 0 && !numeric(body[0]!) ? body.slice(1) : body;
  const width = bundle.featureNames?.length ?? data[0]?.length ?? 0;
  data.forEach((r, i) => {
    if (r.length !== width) throw new Error(`${path}: row ${i + 1} has ${r.length} columns, the model expects ${width} features`);
    r.forEach((c, j) => { if (!Number.isFinite(Number(c)) || c.trim() === '') throw new Error(`${path}: row ${i + 1}, column ${j + 1}: "${c}" is not a number`); });
  });
  return tensor(data.flatMap((r) => r.map(Number)), { shape: [data.length, width] });
}

/** `neurite predict --model DIR --csv FILE [--out FILE]`: predictions (and class probabilities) as CSV. */
export async function predictCommand(argv: string[], io: Output): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { model: { type: 'string' }, csv: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string' } } });
  if (!values.model || !values.csv) throw new Error('predict: --model DIR and --csv FILE are required');
  const bundle = await loadModel(values.model);
  await selectBackend(values.backend ?? ((bundle.info as { backend?: string } | undefined)?.backend ?? null));
  const xRaw = featuresFor(bundle, values.csv);
  const x = bundle.scaler ? bundle.scaler.transform(xRaw) : xRaw;
  const out = noGrad(() => predict(bundle.module, bundle.head, x));
  const j = bundle.head.toJSON();
  const n = x.shape[0]!, k = out.size / Math.max(1, n);
  const names = bundle.classNames ?? [];
  let header: string[], rows: (string | number)[][];
  if (j.kind === 'multiclass') {
    header = ['prediction', ...names.map((c) => `p_${c}`)];
    rows = Array.from({ length: n }, (_, i) => {
      const p = Array.from(out.data.subarray(i * k, (i + 1) * k));
      return [names[p.indexOf(Math.max(...p))] ?? p.indexOf(Math.max(...p)), ...p];
    });
  } else if (j.kind === 'binary') {
    const hinge = j.loss === 'hinge';
    header = hinge ? ['prediction', 'score'] : ['prediction', `p_${names[1] ?? '1'}`];
    rows = Array.from(out.data, (p) => [names[(hinge ? p > 0 : p > 0.5) ? 1 : 0] ?? ((hinge ? p > 0 : p > 0.5) ? 1 : 0), p]);
  } else {
    header = k === 1 ? ['prediction'] : Array.from({ length: k }, (_, i) => `prediction_${i}`);
    rows = Array.from({ length: n }, (_, i) => Array.from(out.data.subarray(i * k, (i + 1) * k)));
  }
  const text = toCsv(rows.map((r) => r.map(String)), header);
  if (values.out) await writeFileAtomic(values.out, text);
  else io.out(text);
  return 0;
}

/** `neurite summary --model DIR`: a table of layers, output shapes and parameter counts. */
export async function summaryCommand(argv: string[], io: Output): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { model: { type: 'string' } } });
  if (!values.model) throw new Error('summary: --model DIR is required');
  const bundle = await loadModel(values.model);
  const width = bundle.featureNames?.length ?? 0;
  const total = bundle.module.numParams();
  if (bundle.module instanceof HyperNetwork) {
    io.out(`${hyperSummary(bundle.module, width)}head: ${JSON.stringify(bundle.head.toJSON())}\n`);
    return 0;
  }
  if (bundle.module instanceof Graph) {
    io.out(`input ${bundle.module.inputs.join(', ')}: [N, ${width}]\n${formatGraphSummary(bundle.module.summaryRows([width]))}\n`);
    io.out(`total parameters: ${total.toLocaleString('en-US')} (trainable ${total.toLocaleString('en-US')})\nhead: ${JSON.stringify(bundle.head.toJSON())}\n`);
    return 0;
  }
  const rows = layerRows(bundle.module, width);
  const line = '─'.repeat(64);
  io.out(`${'layer'.padEnd(30)}${'output shape'.padEnd(20)}${'params'.padStart(14)}\n${line}\n`);
  io.out(`${'input'.padEnd(30)}${`[N, ${width}]`.padEnd(20)}${'0'.padStart(14)}\n`);
  for (const [name, shape, p] of rows) io.out(`${name.padEnd(30)}${shape.padEnd(20)}${p.toLocaleString('en-US').padStart(14)}\n`);
  io.out(`${line}\ntotal parameters: ${total.toLocaleString('en-US')} (trainable ${total.toLocaleString('en-US')})\nhead: ${JSON.stringify(bundle.head.toJSON())}\n`);
  return 0;
}

/** `neurite datasets`: what is built in and what is found. */
export async function datasetsCommand(_argv: string[], io: Output): Promise<number> {
  for (const d of listDatasets()) io.out(`${d.name.padEnd(16)}${(d.available ? 'available' : 'missing').padEnd(11)}${d.location}${d.available || !d.hint ? '' : `  (${d.hint})`}\n`);
  return 0;
}

