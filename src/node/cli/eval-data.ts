// The data `neurite eval`/`explain` score. Paths come only from the user (--csv, --data-dir, the
// NEURITE_FASHION_MNIST_DIR variable, the default folder) — never from model.json or config.json, so
// an edited run folder cannot make the CLI read other files. A CSV whose SHA-256 matches the training
// data gets its recorded split; any other file is scored whole, with a loud warning saying so.
import { BUILTIN_DATASETS } from '../data/builtin.js';
import { readCsvFile } from '../data/csv-file.js';
import type { ModelBundle } from '../../io/model.js';
import { numericSchema } from '../../data/schema-fit.js';
import type { DataSchema } from '../../data/schema.js';
import { defaultConfig, type TrainConfig } from './config.js';
import { type Split, loadRunData, splitCsv } from './data-source.js';

/** What the user passed: a CSV file, a built-in data set name, the Fashion-MNIST folder. */
export interface EvalDataFlags {
  csv?: string | undefined;
  dataset?: string | undefined;
  'data-dir'?: string | undefined;
  'no-header'?: boolean | undefined;
}

type Info = { data?: Partial<TrainConfig['data']>; seed?: unknown };
const short = (h: string): string => h.slice(0, 12);

/** The bundle's schema, or (models saved before schemas) one built from its feature and class names. */
export function schemaOf(bundle: ModelBundle): DataSchema {
  if (bundle.schema) return bundle.schema;
  if (!bundle.featureNames) throw new Error('the model file has neither a data schema nor feature names; retrain it with this neurite');
  return numericSchema(bundle.featureNames, bundle.classNames);
}

function csvSplits(bundle: ModelBundle, path: string, flags: EvalDataFlags, warn: (s: string) => void): Record<string, Split> {
  const schema = schemaOf(bundle), src = schema.source;
  const { table, sha256 } = readCsvFile(path, { header: flags['no-header'] ? false : schema.toJSON().header, delimiter: schema.toJSON().delimiter, missingValues: schema.toJSON().missingValues });
  if (src !== undefined && sha256 === src.sha256 && table.rows === src.rows) {
    const s = splitCsv(path, table, schema, src.split, null);
    warn(`eval: ${path} is the training data (sha256 ${short(sha256)}…, ${table.rows} rows): scoring the recorded test split (${s.test.x.shape[0]} rows)${s.val ? ` and validation split (${s.val.x.shape[0]} rows)` : ''}\n`);
    return { test: s.test, ...(s.val ? { validation: s.val } : {}) };
  }
  const cols = schema.bind(table, path, 'require');
  const { rows, dropped } = schema.rowsOf(table, path, cols);
  const skipped = dropped > 0 ? ` (${dropped} rows with a missing value skipped by the '${schema.missing}' policy)` : '';
  if (src === undefined) warn(`eval: scoring all ${rows.length} rows of ${path}${skipped}\n`);
  else {
    const same = src.rows === table.rows && src.rowSetHash === table.rowSetHash ? '; the same rows in a different order, so the recorded split cannot be located' : '';
    warn(`warning: ${path} is not the data this run trained on (training file ${src.file}: ${src.rows} rows, sha256 ${short(src.sha256)}…; this file: ${table.rows} rows, sha256 ${short(sha256)}…${same}). Scoring ALL ${rows.length} rows of ${path}${skipped}, not the recorded test split.\n`);
  }
  return { all: { x: schema.encodeFeatures(table, rows, path, cols), y: schema.encodeTarget(table, rows, path, cols) } };
}

function builtinConfig(bundle: ModelBundle, flags: EvalDataFlags): { data: TrainConfig['data']; seed: number } {
  const info = (bundle.info ?? {}) as Info, saved = info.data ?? {}, base = defaultConfig().data;
  const known = [...BUILTIN_DATASETS, 'fashion_mnist', 'fashion-mnist'];
  const name = flags.dataset ?? saved.dataset ?? 'digits';
  if (typeof name !== 'string' || !known.includes(name)) throw new Error(`eval: unknown data set ${JSON.stringify(name)}; built-in ones are ${known.join(', ')} (or pass --csv FILE)`);
  const pick = <K extends 'testSplit' | 'validationSplit' | 'subset' | 'stratify'>(k: K, ok: (v: unknown) => boolean): TrainConfig['data'][K] => (ok(saved[k]) ? saved[k] : base[k]) as TrainConfig['data'][K];
  const fraction = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v < 1;
  const data: TrainConfig['data'] = {
    ...base, dataset: name, csv: null,
    dataDir: flags['data-dir'] ?? process.env.NEURITE_FASHION_MNIST_DIR ?? null,
    testSplit: pick('testSplit', fraction), validationSplit: pick('validationSplit', fraction),
    subset: pick('subset', (v) => v === null || (Number.isInteger(v) && (v as number) > 0)), stratify: pick('stratify', (v) => typeof v === 'boolean'),
  };
  const cv = saved.cv as { folds?: unknown; fold?: unknown } | null | undefined;
  if (cv && Number.isInteger(cv.folds) && Number.isInteger(cv.fold) && (cv.folds as number) >= 2 && (cv.fold as number) >= 0 && (cv.fold as number) < (cv.folds as number)) data.cv = { folds: cv.folds as number, fold: cv.fold as number };
  const seed = Number.isInteger(info.seed) && (info.seed as number) >= 0 ? (info.seed as number) : 0;
  return { data, seed };
}

/**
 * The splits to score: `{ test, validation? }` for the recorded split, `{ all }` for a whole other file.
 * @example const splits = await evalSplits(bundle, { csv: 'data.csv' }, (s) => process.stderr.write(s));
 */
export async function evalSplits(bundle: ModelBundle, flags: EvalDataFlags, warn: (s: string) => void): Promise<Record<string, Split>> {
  if (flags.csv) return csvSplits(bundle, flags.csv, flags, warn);
  const src = bundle.schema?.source, info = (bundle.info ?? {}) as Info;
  if (src !== undefined || info.data?.csv) {
    const name = src?.file ?? 'a CSV file';
    throw new Error(`this run was trained on the CSV file '${name}'${src ? ` (${src.rows} rows, sha256 ${short(src.sha256)}…)` : ''}; pass --csv FILE (paths stored in a run folder are never read)`);
  }
  const { data, seed } = builtinConfig(bundle, flags);
  const run = await loadRunData(data, seed);
  return { test: run.test, ...(run.val ? { validation: run.val } : {}) };
}

/**
 * The recorded training split of a run trained on a built-in data set (the int8 calibration default);
 * a CSV-trained run is an error asking for the file, since paths stored in a run folder are never read.
 * @example const train = await recordedTrainingRows(bundle);
 */
export async function recordedTrainingRows(bundle: ModelBundle): Promise<Split> {
  const src = bundle.schema?.source, info = (bundle.info ?? {}) as Info;
  if (src !== undefined || info.data?.csv) {
    throw new Error(`this run was trained on the CSV file '${src?.file ?? 'a CSV file'}'; pass --calibration FILE.csv with rows of its training data (paths stored in a run folder are never read)`);
  }
  const { data, seed } = builtinConfig(bundle, {});
  return (await loadRunData(data, seed)).train;
}
