// Where a CLI run's data comes from: a built-in data set, Fashion-MNIST, or a CSV file typed by a data
// schema, split into train/validation/test deterministically from the seed (so `neurite eval` can
// rebuild the recorded split of the same file).
import { basename } from 'node:path';
import type { Tensor } from '../../tensor/tensor.js';
import { Dataset } from '../../data/dataset.js';
import { loadBuiltinDataset, type BuiltinName } from '../data/builtin.js';
import { loadFashionMnist } from '../data/fashion-mnist.js';
import { readCsvFile } from '../data/csv-file.js';
import type { CsvTable } from '../../data/csv-table.js';
import type { DataSchema } from '../../data/schema.js';
import type { DataSourceJSON } from '../../data/schema-json.js';
import { fitImputation, fitSchema, fitTargetScaler, numericSchema } from '../../data/schema-fit.js';
import { kFoldSplits, trainTestSplit, trainValTestSplit } from '../../data/split.js';
import { ConfigError } from './schema.js';
import type { TrainConfig } from './config.js';

export interface Split { x: Tensor; y: Tensor }

/** A run's data: splits (targets in original units) plus the schema the model file keeps. */
export interface RunData {
  name: string;
  task: 'classification' | 'regression';
  train: Split;
  val?: Split;
  test: Split;
  classNames?: string[];
  featureNames: string[];
  schema: DataSchema;
  /** Rows the missing policy skipped. */
  dropped: number;
}

/** How a run splits its rows (recorded in the schema's source). */
export type SplitConfig = DataSourceJSON['split'];

/** The split settings of a config. @example splitConfig(cfg.data, cfg.train.seed) */
export function splitConfig(cfg: TrainConfig['data'], seed: number): SplitConfig {
  return { seed, testSplit: cfg.testSplit, validationSplit: cfg.validationSplit, stratify: cfg.stratify, subset: cfg.subset, ...(cfg.cv ? { cv: { ...cfg.cv } } : {}) };
}

function targetRef(target: string): string | number {
  return /^-?\d+$/.test(target) ? Number(target) : target;
}

type Positions = { train: Int32Array; val?: Int32Array; test: Int32Array };

/**
 * With `cv`, fold `cv.fold` of `cv.folds` over the non-test rows (train and validation, in that
 * order) becomes the validation split and the other folds train; the test rows are untouched.
 */
function withFold(p: Positions, y: Tensor, s: SplitConfig, stratify: boolean): Positions {
  const cv = s.cv;
  if (!cv) return p;
  const rest = p.val ? Int32Array.from([...p.train, ...p.val]) : p.train;
  const labels = stratify ? Array.from(rest, (i) => y.data[i]!) : false;
  let folds;
  try {
    folds = kFoldSplits(rest.length, { folds: cv.folds, seed: s.seed, stratify: labels });
  } catch (e) {
    throw new ConfigError('data.cv.folds', `${(e as Error).message.replace(/^kFoldSplits: /, '')} (over the ${rest.length} non-test rows)`);
  }
  const f = folds[cv.fold]!;
  return { train: f.trainIndices.map((i) => rest[i]!), val: f.valIndices.map((i) => rest[i]!), test: p.test };
}

/** Row positions of train/validation/test among n rows (seeded, optionally stratified by y; `cv` picks a fold as validation). */
function splitPositions(y: Tensor, s: SplitConfig, classification: boolean): Positions {
  const stratify = s.stratify && classification;
  if (s.validationSplit > 0) {
    const p = trainValTestSplit({ x: y, y }, { testSize: s.testSplit, valSize: s.validationSplit, seed: s.seed, stratify });
    return withFold({ train: p.trainIndices, val: p.valIndices, test: p.testIndices }, y, s, stratify);
  }
  const p = trainTestSplit({ x: y, y }, { testSize: s.testSplit, seed: s.seed, stratify });
  return withFold({ train: p.trainIndices, test: p.testIndices }, y, s, stratify);
}

/** A CSV table split as a run does it. */
export interface CsvSplits {
  schema: DataSchema;
  train: Split;
  val?: Split;
  test: Split;
  dropped: number;
}

/**
 * Rows kept by the missing policy, the first `subset` of them, then the seeded split. With `fit`
 * (training) imputation values (and the target scaler if asked) are fitted on the training rows; with
 * null (eval) the saved schema is applied as it is.
 * @example const s = splitCsv('a.csv', table, schema, splitConfig(cfg.data, 0), { scaleTarget: true });
 */
export function splitCsv(file: string, table: CsvTable, schema: DataSchema, split: SplitConfig, fit: { scaleTarget: boolean } | null): CsvSplits {
  const cols = schema.bind(table, file, 'require');
  const usable = schema.rowsOf(table, file, cols);
  const rows = split.subset !== null && split.subset < usable.rows.length ? usable.rows.slice(0, split.subset) : usable.rows;
  const y = schema.encodeTarget(table, rows, file, cols);
  const pos = splitPositions(y, split, schema.target.task === 'classification');
  const rowsAt = (p: Int32Array): Int32Array => p.map((i) => rows[i]!);
  let fitted = fit ? fitImputation(schema, table, cols, rowsAt(pos.train), file) : schema;
  const part = (p: Int32Array): Split => ({ x: fitted.encodeFeatures(table, rowsAt(p), file, cols), y: fitted.encodeTarget(table, rowsAt(p), file, cols) });
  const train = part(pos.train);
  if (fit?.scaleTarget) fitted = fitTargetScaler(fitted, train.y);
  return { schema: fitted, train, ...(pos.val ? { val: part(pos.val) } : {}), test: part(pos.test), dropped: usable.dropped };
}

/** Reads, types and splits the CSV a config names; the schema records the file name, hashes and split. */
export function loadCsvRun(cfg: TrainConfig['data'], seed: number): RunData {
  const path = cfg.csv!;
  const opts = { header: cfg.header, missingValues: cfg.missingValues };
  const { table, sha256 } = readCsvFile(path, opts);
  const schema = fitSchema(table, {
    file: path, target: targetRef(cfg.target!), task: cfg.task, categorical: 'auto', categoricalColumns: cfg.categorical,
    missing: cfg.missing, missingValues: cfg.missingValues,
  });
  const split = splitConfig(cfg, seed);
  const s = splitCsv(path, table, schema, split, { scaleTarget: cfg.scaleTarget === 'standard' });
  const final = s.schema.with({ source: { file: basename(path), sha256, rowSetHash: table.rowSetHash, rows: table.rows, split } });
  const tg = final.target;
  return {
    name: path, task: tg.task, train: s.train, ...(s.val ? { val: s.val } : {}), test: s.test, featureNames: final.featureNames(), schema: final, dropped: s.dropped,
    ...(tg.classes ? { classNames: [...tg.classes] } : {}),
  };
}

function limit(s: Split, n: number | null): Split {
  if (n === null || n >= s.x.shape[0]!) return s;
  return { x: s.x.slice([0], [n]), y: s.y.slice([0], [n]) };
}

function splitWhole(whole: Split, cfg: TrainConfig['data'], seed: number): Pick<RunData, 'train' | 'val' | 'test'> {
  const pos = splitPositions(whole.y, splitConfig(cfg, seed), true);
  const ds = new Dataset(whole.x, whole.y);
  const part = (p: Int32Array): Split => { const d = ds.subset(p); return { x: d.x, y: d.y }; };
  return { train: part(pos.train), ...(pos.val ? { val: part(pos.val) } : {}), test: part(pos.test) };
}

/** Fashion-MNIST's training images split into train and validation (its test set is the official one). */
function splitFashion(train: Split, cfg: TrainConfig['data'], seed: number): Pick<RunData, 'train' | 'val'> {
  if (cfg.cv) {
    const ds = new Dataset(train.x, train.y), n = train.y.shape[0]!;
    const all = { train: Int32Array.from({ length: n }, (_, i) => i), test: new Int32Array(0) };
    const pos = withFold(all, train.y, splitConfig(cfg, seed), cfg.stratify);
    return { train: ds.subset(pos.train), val: ds.subset(pos.val!) };
  }
  if (cfg.validationSplit === 0) return { train };
  const s = trainTestSplit(train, { testSize: cfg.validationSplit, seed, stratify: cfg.stratify });
  return { train: s.train, val: s.test };
}

/** Loads and splits the data a config describes. */
export async function loadRunData(cfg: TrainConfig['data'], seed: number): Promise<RunData> {
  if (cfg.csv) return loadCsvRun(cfg, seed);
  const name = cfg.dataset ?? 'digits';
  if (name === 'fashion_mnist' || name === 'fashion-mnist') {
    const dir = cfg.dataDir ?? undefined;
    const train = await loadFashionMnist({ dir, subset: 'train', ...(cfg.subset ? { limit: cfg.subset } : {}) });
    const test = await loadFashionMnist({ dir, subset: 'test' });
    const base = { name, task: 'classification' as const, test: { x: test.x, y: test.y }, classNames: train.classNames, featureNames: train.featureNames, schema: numericSchema(train.featureNames, train.classNames), dropped: 0 };
    return { ...base, ...splitFashion({ x: train.x, y: train.y }, cfg, seed) };
  }
  const ds = await loadBuiltinDataset(name as BuiltinName);
  const whole = limit({ x: ds.x, y: ds.y }, cfg.subset);
  return { name, task: 'classification', ...splitWhole(whole, cfg, seed), classNames: ds.classNames, featureNames: ds.featureNames, schema: numericSchema(ds.featureNames, ds.classNames), dropped: 0 };
}
