// Fitting a data schema on a training table: strict column typing, target/task and class list,
// then imputation values and the target scaler from the TRAINING rows only.
import type { Tensor } from '../tensor/tensor.js';
import { StandardScaler } from './scalers.js';
import { DEFAULT_MISSING_VALUES, DataError, MISSING_CELL, NUMBER_CELL, type CsvColumn, type CsvTable } from './csv-table.js';
import { DataSchema, cellLabel, type BoundColumns } from './schema.js';
import type { FeatureColumnJSON, MissingPolicy, TargetJSON } from './schema-json.js';

/** A column chosen by header name or by 0-based index (negative counts from the end). */
export type ColumnRef = string | number;

export interface FitSchemaOptions {
  /** Name at the start of error messages (the CLI passes the file path). */
  file?: string;
  /** The target column(s); default -1 (the last). Several → regression [N, K]. */
  target?: ColumnRef | readonly ColumnRef[];
  /** 'auto' (default): text targets, or integers with at most 20 distinct values, classify; else regression. */
  task?: 'auto' | 'classification' | 'regression';
  /**
   * Text in a feature column: 'error' (default) or 'auto' ('onehot' is the same): a column whose
   * non-missing cells are (nearly, ≥ 95 %) all text is categorical. A numeric column with a few text
   * cells is an error listing them either way.
   */
  categorical?: 'error' | 'auto' | 'onehot';
  /** Columns that are categorical whatever their cells look like (their numbers become category names). */
  categoricalColumns?: readonly string[];
  /** Feature columns in this order (default: every column but the target). */
  columns?: readonly ColumnRef[];
  /** Missing cells: 'error' (default), 'drop', 'mean' or 'mode' (see DataSchema.rowsOf). */
  missing?: MissingPolicy;
  /** Fixed class list / categories (from an earlier fit) instead of the ones found. */
  classNames?: readonly string[];
  categories?: Readonly<Record<string, readonly string[]>>;
  /** Recorded for reading later files the same way (default ',', DEFAULT_MISSING_VALUES). */
  delimiter?: string;
  missingValues?: readonly string[];
}

const MAX_AUTO_CLASSES = 20;
/** Share of text cells from which 'auto' calls a column categorical. */
const TEXT_SHARE = 0.95;

function columnIndex(ref: ColumnRef, names: readonly string[], file: string): number {
  if (typeof ref === 'number') {
    const n = names.length;
    if (!Number.isInteger(ref) || ref < -n || ref >= n) throw new DataError(`${file}: column index ${ref} is out of range for ${n} columns (use 0..${n - 1} or -${n}..-1)`);
    return ref < 0 ? ref + n : ref;
  }
  const i = names.indexOf(ref);
  if (i < 0) throw new DataError(`${file}: no column named '${ref}'; the columns are ${names.map((s) => `'${s}'`).join(', ')}`);
  return i;
}

/** Up to 5 text cells of a column as `row 3 (line 4) "abc"`, and the total. */
function textCells(t: CsvTable, c: CsvColumn): string {
  const at: string[] = [];
  for (let r = 0; r < t.rows && at.length < 5; r++) {
    const code = c.codes![r]!;
    if (code >= 0) at.push(`row ${r + 1} (line ${t.lines[r]}) ${JSON.stringify(c.text[code])}`);
  }
  return `${at.join(', ')}${c.texts > at.length ? ` and ${c.texts - at.length} more` : ''}`;
}

/** Distinct labels sorted: by value when all are numbers, else as text. */
export function sortLabels(labels: Iterable<string>): string[] {
  const list = [...new Set(labels)];
  const numeric = list.every((s) => s.trim() !== '' && Number.isFinite(Number(s)));
  return numeric ? list.sort((a, b) => Number(a) - Number(b)) : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function labelsOf(t: CsvTable, c: CsvColumn): string[] {
  const out = new Set<string>();
  for (let r = 0; r < t.rows; r++) { const l = cellLabel(c, r); if (l !== null) out.add(l); }
  return sortLabels(out);
}

/** The type (and categories) of one feature column, by the strict typing rules. @example fitFeatureColumn(table, table.columns[0], {}, 'a.csv') */
export function fitFeatureColumn(t: CsvTable, c: CsvColumn, opts: FitSchemaOptions, file: string): FeatureColumnJSON {
  const fixed = opts.categories?.[c.name];
  if (fixed !== undefined) return { name: c.name, type: 'categorical', categories: [...fixed] };
  if (opts.categoricalColumns?.includes(c.name)) return { name: c.name, type: 'categorical', categories: labelsOf(t, c) };
  if (c.numbers + c.texts === 0) throw new DataError(`${file}: column '${c.name}' has only missing values; drop the column or fill it in`);
  if (c.texts === 0) return { name: c.name, type: 'numeric' };
  const auto = opts.categorical === 'auto' || opts.categorical === 'onehot';
  const textual = c.texts >= TEXT_SHARE * (c.texts + c.numbers);
  if (auto && textual) return { name: c.name, type: 'categorical', categories: labelsOf(t, c) };
  if (textual) throw new DataError(`${file}: column '${c.name}' holds text (${textCells(t, c)}); pass categorical: 'auto' or categoricalColumns: ['${c.name}'] to one-hot encode it, or drop the column`);
  throw new DataError(`${file}: column '${c.name}' is numeric (${c.numbers} numbers) but has non-numeric cells: ${textCells(t, c)}; fix them, declare them missing (--missing-values, data.missingValues), or name the column categorical (--categorical ${c.name})`);
}

function targetSpec(t: CsvTable, cols: CsvColumn[], opts: FitSchemaOptions, file: string): TargetJSON {
  const names = cols.map((c) => c.name), c = cols[0]!;
  let task = opts.task ?? 'auto';
  if (task === 'auto') {
    if (cols.length > 1 || (c.texts === 0 && !fewIntegers(t, c))) task = 'regression';
    else task = 'classification';
  }
  if (task === 'regression') {
    for (const col of cols) if (col.texts > 0) throw new DataError(`${file}: target column '${col.name}' is numeric (regression) but has non-numeric cells ${textCells(t, col)}; fix them, declare them missing, or use task classification`);
    return { names, task };
  }
  if (cols.length !== 1) throw new DataError(`${file}: classification takes one target column, got ${cols.length}; use task regression for several`);
  const classes = opts.classNames !== undefined ? [...opts.classNames] : labelsOf(t, c);
  if (classes.length < 2 && opts.classNames === undefined) throw new DataError(`${file}: target column '${c.name}' has ${classes.length} class${classes.length === 1 ? ` (${JSON.stringify(classes[0])})` : 'es'}; classification needs at least 2`);
  return { names, task, classes };
}

function fewIntegers(t: CsvTable, c: CsvColumn): boolean {
  const seen = new Set<number>();
  for (let r = 0; r < t.rows; r++) {
    if (c.codes !== null && c.codes[r] !== NUMBER_CELL) continue;
    const v = c.values[r]!;
    if (!Number.isInteger(v)) return false;
    seen.add(v);
    if (seen.size > MAX_AUTO_CLASSES) return false;
  }
  return true;
}

/**
 * Fits a schema on a training table: feature types, categories, target and class list. Imputation
 * values and the target scaler come later, from the training rows only ({@link fitImputation},
 * {@link fitTargetScaler}).
 *
 * @example
 * const table = readCsvTable(text);
 * const schema = fitSchema(table, { target: 'price', missing: 'mean', categorical: 'auto' });
 */
export function fitSchema(t: CsvTable, opts: FitSchemaOptions = {}): DataSchema {
  const file = opts.file ?? 'csv';
  const refs = Array.isArray(opts.target) ? (opts.target as readonly ColumnRef[]) : [(opts.target ?? -1) as ColumnRef];
  if (refs.length === 0) throw new DataError(`${file}: target is an empty list; name at least one column`);
  const targets = refs.map((r) => columnIndex(r, t.names, file));
  const feats = opts.columns !== undefined ? opts.columns.map((r) => columnIndex(r, t.names, file)) : t.names.map((_, j) => j).filter((j) => !targets.includes(j));
  const clash = feats.find((j) => targets.includes(j));
  if (clash !== undefined) throw new DataError(`${file}: column '${t.names[clash]}' is both a feature and the target; remove it from columns`);
  if (feats.length === 0) throw new DataError(`${file}: no feature columns left; the file needs at least one column besides the target`);
  return new DataSchema({
    columns: [...t.names], header: t.header, delimiter: opts.delimiter ?? ',', missingValues: [...(opts.missingValues ?? DEFAULT_MISSING_VALUES)],
    missing: opts.missing ?? 'error',
    features: feats.map((j) => fitFeatureColumn(t, t.columns[j]!, opts, file)),
    target: targetSpec(t, targets.map((j) => t.columns[j]!), opts, file),
  });
}

function numericFill(c: CsvColumn, rows: Int32Array, policy: MissingPolicy): number | null {
  let sum = 0, n = 0;
  const counts = new Map<number, number>();
  for (const r of rows) {
    if (c.codes !== null && c.codes[r] === MISSING_CELL) continue;
    const v = c.values[r]!;
    if (policy === 'mean') { sum += v; n++; } else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (policy === 'mean') return n === 0 ? null : sum / n;
  return mostCommon(counts);
}

function mostCommon<K extends number | string>(counts: Map<K, number>): K | null {
  let best: K | null = null, bestN = 0;
  for (const [k, n] of counts) if (n > bestN || (n === bestN && best !== null && k < best)) { best = k; bestN = n; }
  return best;
}

/**
 * Adds imputation values (mean/mode policies) fitted on `trainRows` only: the mean (or most common
 * value) of a numeric column, the most common category of a categorical one.
 * @example schema = fitImputation(schema, table, cols, split.trainRows, 'train.csv');
 */
export function fitImputation(schema: DataSchema, t: CsvTable, cols: BoundColumns, trainRows: Int32Array, file: string): DataSchema {
  const policy = schema.missing;
  if (policy !== 'mean' && policy !== 'mode') return schema;
  const features = schema.features.map((f, k) => {
    const c = cols.features[k]!;
    if (c.missing === 0) return f;
    let fill: number | string | null;
    if (f.type === 'numeric') fill = numericFill(c, trainRows, policy);
    else {
      const counts = new Map<string, number>();
      for (const r of trainRows) { const l = cellLabel(c, r); if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1); }
      fill = mostCommon(counts);
    }
    if (fill === null) throw new DataError(`${file}: column '${f.name}' has no value in the training rows to impute from; drop the column or fill it in`);
    return { ...f, fill };
  });
  return schema.with({ features });
}

/**
 * Adds a StandardScaler for a regression target, fitted on the training targets (original units).
 * @example schema = fitTargetScaler(schema, yTrain);
 */
export function fitTargetScaler(schema: DataSchema, yTrain: Tensor): DataSchema {
  if (schema.target.task !== 'regression') return schema;
  return schema.with({ target: { ...schema.target, scaler: new StandardScaler().fit(yTrain).toJSON() } });
}

/**
 * The schema of an all-numeric data set given by names (built-in data sets, models saved before
 * schemas existed): features in order, a target column `target` with the class list (or regression).
 * @example const s = numericSchema(['sepal length (cm)', 'sepal width (cm)'], ['setosa', 'versicolor', 'virginica']);
 */
export function numericSchema(featureNames: readonly string[], classNames?: readonly string[], target = 'target'): DataSchema {
  return new DataSchema({
    columns: [...featureNames, target], header: true, delimiter: ',', missingValues: [...DEFAULT_MISSING_VALUES], missing: 'error',
    features: featureNames.map((name) => ({ name, type: 'numeric' as const })),
    target: classNames ? { names: [target], task: 'classification', classes: [...classNames] } : { names: [target], task: 'regression' },
  });
}
