// `neurite eval | predict | summary | datasets`: use a saved run folder, or list the data sets.

import { formatHelp, parseCommand } from './argv.js';
import { datasetsSpec, evalSpec, predictSpec, summarySpec } from './command-specs.js';
import { loadModel } from '../io/model-files.js';
import { listDatasets } from '../data/fashion-mnist.js';
import { writeFileAtomic } from '../data/atomic.js';
import { predict } from '../../train/fit.js';
import { toCsv } from '../../data/csv-parse.js';
import type { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/graph.js';
import type { ModelBundle } from '../../io/model.js';
import { readCsvFile } from '../data/csv-file.js';
import { evalSplits, schemaOf } from './eval-data.js';
import { evaluateBundle } from './scoring.js';
import type { Output } from './run.js';
import { selectBackend } from './backend-choice.js';
import { summary } from '../../analysis/summary.js';

/** Parsed flag values of these commands. */
type Flags = { [k: string]: string | undefined } & { help?: boolean; json?: boolean; 'no-header'?: boolean; widen?: boolean };

/** `neurite eval --model DIR [--csv FILE [--no-header] | --dataset NAME [--data-dir DIR]] [--json]`. */
export async function evalCommand(argv: string[], io: Output): Promise<number> {
  const values = parseCommand(evalSpec, argv) as Flags;
  if (values.help) { io.out(formatHelp(evalSpec)); return 0; }
  if (!values.model) throw new Error('eval: --model DIR is required (a run folder written by neurite train)');
  const bundle = await loadModel(values.model, { keepHalf: !values.widen }); // a float16 model stays 16-bit (HalfModel)
  // The backend the run trained on by default, so metrics.json is reproduced exactly (bit for bit).
  await selectBackend(values.backend ?? ((bundle.info as { backend?: string } | undefined)?.backend ?? null));
  const target = schemaOf(bundle).target.names.join(',');
  if (values.target !== undefined && values.target !== target) throw new Error(`eval: --target ${values.target} differs from the column the model was trained to predict ('${target}'); the target comes from the model's data schema`);
  const splits = await evalSplits(bundle, values, io.err);
  const result: Record<string, Record<string, number>> = {};
  for (const [name, split] of Object.entries(splits)) result[name] = evaluateBundle(bundle, split);
  if (values.json) io.out(JSON.stringify(result) + '\n');
  else for (const [split, m] of Object.entries(result)) io.out(`${split}: ${Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ')}\n`);
  return 0;
}

/**
 * Features of a CSV file, by column name through the model's schema (a target column is ignored).
 * @example const x = featuresFor(bundle, 'new.csv', false);
 */
export function featuresFor(bundle: ModelBundle, path: string, noHeader: boolean): Tensor {
  const schema = schemaOf(bundle);
  const { table } = readCsvFile(path, { header: noHeader ? false : schema.toJSON().header, delimiter: schema.toJSON().delimiter, missingValues: schema.toJSON().missingValues });
  const cols = schema.bind(table, path, 'ignore');
  return schema.encodeFeatures(table, schema.rowsOf(table, path, cols).rows, path, cols);
}

/** `neurite predict --model DIR --csv FILE [--no-header] [--out FILE]`: predictions (and class probabilities) as CSV. */
export async function predictCommand(argv: string[], io: Output): Promise<number> {
  const values = parseCommand(predictSpec, argv) as Flags;
  if (values.help) { io.out(formatHelp(predictSpec)); return 0; }
  if (!values.model || !values.csv) throw new Error('predict: --model DIR and --csv FILE are required');
  const bundle = await loadModel(values.model, { keepHalf: !values.widen });
  await selectBackend(values.backend ?? ((bundle.info as { backend?: string } | undefined)?.backend ?? null));
  const xRaw = featuresFor(bundle, values.csv, values['no-header'] ?? false);
  const x = bundle.scaler ? bundle.scaler.transform(xRaw) : xRaw;
  const raw = noGrad(() => predict(bundle.module, bundle.head, x));
  const j = bundle.head.toJSON();
  const out = j.kind === 'regression' ? schemaOf(bundle).unscaleTarget(raw) : raw;
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
  const values = parseCommand(summarySpec, argv) as Flags;
  if (values.help) { io.out(formatHelp(summarySpec)); return 0; }
  if (!values.model) throw new Error('summary: --model DIR is required');
  const bundle = await loadModel(values.model);
  io.out(`${summary(bundle.module, [bundle.featureNames?.length ?? 0])}head: ${JSON.stringify(bundle.head.toJSON())}\n`);
  return 0;
}

/** `neurite datasets`: what is built in and what is found. */
export async function datasetsCommand(argv: string[], io: Output): Promise<number> {
  if (parseCommand(datasetsSpec, argv).help) { io.out(formatHelp(datasetsSpec)); return 0; }
  for (const d of listDatasets()) io.out(`${d.name.padEnd(16)}${(d.available ? 'available' : 'missing').padEnd(11)}${d.location}${d.available || !d.hint ? '' : `  (${d.hint})`}\n`);
  return 0;
}

