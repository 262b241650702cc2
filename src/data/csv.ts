// CSV text → tensors through a fitted data schema: strict typing, missing-value policy, target and
// class encoding; errors name the row, line, column and value.
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../core/dtype.js';
import { DEFAULT_MISSING_VALUES, DataError, readCsvTable, type CsvTable, type CsvTableOptions } from './csv-table.js';
import { DataSchema } from './schema.js';
import { fitFeatureColumn, fitImputation, fitSchema, type ColumnRef, type FitSchemaOptions } from './schema-fit.js';

export type { ColumnRef } from './schema-fit.js';

export interface CsvFeatureOptions extends Omit<CsvTableOptions, 'file'>, Omit<FitSchemaOptions, 'file' | 'target' | 'task' | 'classNames'> {
  /** Tensor dtype (default: the global default, float32). */
  dtype?: DType;
}

export interface CsvDatasetOptions extends CsvFeatureOptions {
  /** The target column(s): name or index; default -1 (the last column). Several → regression y [N,K]. */
  target?: ColumnRef | readonly ColumnRef[];
  /** 'auto' (default): text targets, or integer targets with at most 20 distinct values, classify. */
  task?: 'auto' | 'classification' | 'regression';
  /** Fixed class list (from an earlier parse); a label outside it is an error. */
  classNames?: readonly string[];
}

/** Encoded features of a CSV file. */
export interface CsvFeatures {
  /** [N, F] features (one-hot columns expanded). */
  x: Tensor;
  /** Names of the F encoded features; one-hot columns give `name=category`. */
  featureNames: string[];
  /** The source columns used as features, before one-hot expansion. */
  columns: string[];
  /** Categories of each one-hot encoded column (empty when none). */
  categories: Record<string, string[]>;
}

/** A CSV file as a supervised data set. */
export interface CsvDataset extends CsvFeatures {
  /** [N] class indices or regression values, or [N,K] for several regression targets. */
  y: Tensor;
  targetName: string;
  targetNames: string[];
  /** Class names in index order (classification only): numeric labels sorted by value, text sorted. */
  classNames?: string[];
  task: 'classification' | 'regression';
  /** The schema fitted on this file (apply it to later files with its encode methods). */
  schema: DataSchema;
  /** Rows skipped by the missing policy ('drop', or a missing target under 'mean'/'mode'). */
  dropped: number;
}

function table(op: string, text: string, opts: CsvFeatureOptions): CsvTable {
  if ((opts.header as unknown) === 'auto') throw new DataError(`${op}: header 'auto' is no longer supported (a header is never guessed); pass header: true (default) or false`);
  return readCsvTable(text, { ...opts, file: op });
}

function features(schema: DataSchema, x: Tensor): CsvFeatures {
  const categories: Record<string, string[]> = {};
  for (const f of schema.features) if (f.type === 'categorical') categories[f.name] = [...f.categories!];
  return { x, featureNames: schema.featureNames(), columns: schema.features.map((f) => f.name), categories };
}

/**
 * Parses CSV text into features only (no target), e.g. for predictions. Pass the `columns` and
 * `categories` of the training parse (or better, use the training `schema` directly) so that new
 * files encode the same way.
 *
 * @example
 * const { x } = parseCsvFeatures(text, { columns: train.columns, categories: train.categories });
 */
export function parseCsvFeatures(text: string, opts: CsvFeatureOptions = {}): CsvFeatures {
  const op = 'parseCsvFeatures';
  const t = table(op, text, opts);
  const cols = opts.columns !== undefined ? opts.columns.map((c) => (typeof c === 'number' ? t.names[c < 0 ? c + t.names.length : c] ?? String(c) : c)) : t.names;
  const byName = new Map(t.columns.map((c) => [c.name, c]));
  const specs = cols.map((name) => {
    const c = byName.get(name);
    if (c === undefined) throw new DataError(`${op}: no column named '${name}'; the columns are ${t.names.map((s) => `'${s}'`).join(', ')}`);
    return fitFeatureColumn(t, c, opts, op);
  });
  const schema = new DataSchema({
    columns: [...t.names], header: t.header, delimiter: opts.delimiter ?? ',', missingValues: [...(opts.missingValues ?? DEFAULT_MISSING_VALUES)], missing: opts.missing ?? 'error',
    features: specs, target: { names: [], task: 'regression' },
  });
  const bound = schema.bind(t, op, 'ignore');
  const { rows } = schema.rowsOf(t, op, bound);
  const fitted = fitImputation(schema, t, bound, rows, op);
  return features(fitted, fitted.encodeFeatures(t, rows, op, bound, opts.dtype));
}

/**
 * Parses CSV text into a supervised data set: features x [N,F] and a target y chosen by name or index,
 * through a schema fitted on this file (strict typing; see fitSchema). The first line is the header
 * unless `header: false`. Mean/mode imputation here is fitted on all rows of the text.
 *
 * @example
 * const d = parseCsvDataset('a,b,species\n1,2,setosa\n3,4,virginica\n', { target: 'species' });
 * d.classNames   // ['setosa', 'virginica'];  d.y → [0, 1]
 */
export function parseCsvDataset(text: string, opts: CsvDatasetOptions = {}): CsvDataset {
  const op = 'parseCsvDataset';
  const t = table(op, text, opts);
  let schema = fitSchema(t, { ...opts, file: op });
  const bound = schema.bind(t, op, 'require');
  const { rows, dropped } = schema.rowsOf(t, op, bound);
  schema = fitImputation(schema, t, bound, rows, op);
  const x = schema.encodeFeatures(t, rows, op, bound, opts.dtype);
  const y = schema.encodeTarget(t, rows, op, bound, opts.dtype);
  const tg = schema.target;
  return { ...features(schema, x), y, targetName: tg.names.join(','), targetNames: [...tg.names], ...(tg.classes ? { classNames: [...tg.classes] } : {}), task: tg.task, schema, dropped };
}
