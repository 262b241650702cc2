// Where a CLI run's data comes from: a built-in data set, Fashion-MNIST, or a CSV file, split into
// train/validation/test deterministically from the config's seed (so `neurite eval` can rebuild it).
import { readFileSync } from 'node:fs';
import type { Tensor } from '../../core/tensor.js';
import { loadBuiltinDataset, type BuiltinName } from '../data/builtin.js';
import { loadFashionMnist } from '../data/fashion-mnist.js';
import { parseCsvDataset, parseCsvFeatures } from '../../data/csv.js';
import { trainTestSplit, trainValTestSplit } from '../../data/split.js';
import type { TrainConfig } from './config.js';

export interface Split { x: Tensor; y: Tensor }

/** A run's data: splits plus what the model file needs to encode new inputs. */
export interface RunData {
  name: string;
  task: 'classification' | 'regression';
  train: Split;
  val?: Split;
  test: Split;
  classNames?: string[];
  featureNames: string[];
  /** For CSV runs: how columns were encoded (reused by eval/predict on new files). */
  csv?: { columns: string[]; categories: Record<string, string[]>; targetName: string };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read the CSV file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function targetRef(target: string): string | number {
  return /^-?\d+$/.test(target) ? Number(target) : target;
}

/** Loads a CSV as a whole data set (classification or regression), errors naming file, line and column. */
export function loadCsv(path: string, target: string, task: TrainConfig['data']['task']): { x: Tensor; y: Tensor; classNames?: string[]; featureNames: string[]; task: RunData['task']; csv: NonNullable<RunData['csv']> } {
  try {
    const d = parseCsvDataset(readText(path), { target: targetRef(target), task, categorical: 'onehot' });
    return { x: d.x, y: d.y, ...(d.classNames ? { classNames: d.classNames } : {}), featureNames: d.featureNames, task: d.task, csv: { columns: d.columns, categories: d.categories, targetName: d.targetName } };
  } catch (e) {
    if ((e as Error).message.startsWith(path)) throw e;
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/** Features of a CSV encoded like the training file (for predict). */
export function loadCsvFeatures(path: string, csv: NonNullable<RunData['csv']>): Tensor {
  try {
    return parseCsvFeatures(readText(path), { columns: csv.columns, categories: csv.categories, categorical: 'onehot' }).x;
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

function splitAll(whole: Split, cfg: TrainConfig['data'], seed: number, classification: boolean): Pick<RunData, 'train' | 'val' | 'test'> {
  const stratify = cfg.stratify && classification;
  if (cfg.validationSplit > 0) {
    const s = trainValTestSplit(whole, { testSize: cfg.testSplit, valSize: cfg.validationSplit, seed, stratify });
    return { train: s.train, val: s.val, test: s.test };
  }
  const s = trainTestSplit(whole, { testSize: cfg.testSplit, seed, stratify });
  return { train: s.train, test: s.test };
}

function limit(s: Split, n: number | null): Split {
  if (n === null || n >= s.x.shape[0]!) return s;
  return { x: s.x.slice([0], [n]), y: s.y.slice([0], [n]) };
}

/** Loads and splits the data a config describes. */
export async function loadRunData(cfg: TrainConfig['data'], seed: number): Promise<RunData> {
  if (cfg.csv) {
    const d = loadCsv(cfg.csv, cfg.target!, cfg.task);
    const whole = limit({ x: d.x, y: d.y }, cfg.subset);
    return { name: cfg.csv, task: d.task, ...splitAll(whole, cfg, seed, d.task === 'classification'), featureNames: d.featureNames, csv: d.csv, ...(d.classNames ? { classNames: d.classNames } : {}) };
  }
  const name = cfg.dataset ?? 'digits';
  if (name === 'fashion_mnist' || name === 'fashion-mnist') {
    const dir = cfg.dataDir ?? undefined;
    const train = await loadFashionMnist({ dir, subset: 'train', ...(cfg.subset ? { limit: cfg.subset } : {}) });
    const test = await loadFashionMnist({ dir, subset: 'test' });
    const base = { name, task: 'classification' as const, test: { x: test.x, y: test.y }, classNames: train.classNames, featureNames: train.featureNames };
    if (cfg.validationSplit === 0) return { ...base, train: { x: train.x, y: train.y } };
    const s = trainTestSplit({ x: train.x, y: train.y }, { testSize: cfg.validationSplit, seed, stratify: cfg.stratify });
    return { ...base, train: s.train, val: s.test };
  }
  const ds = await loadBuiltinDataset(name as BuiltinName);
  const whole = limit({ x: ds.x, y: ds.y }, cfg.subset);
  return { name, task: 'classification', ...splitAll(whole, cfg, seed, true), classNames: ds.classNames, featureNames: ds.featureNames };
}
