// CSV text → tensors: header detection, target selection, class/one-hot encoding, errors naming line and column.
import { Tensor, getDefaultDType } from '../core/tensor.js';
import { allocate, type DType } from '../core/dtype.js';
import { ArgumentError } from '../core/errors.js';
import { parseCsv, parseNumber, type CsvParseOptions } from './csv-parse.js';

/** A column chosen by header name or by 0-based index (negative counts from the end). */
export type ColumnRef = string | number;

export interface CsvFeatureOptions extends CsvParseOptions {
  /** Whether the first row names the columns; 'auto' (default): it does when none of its cells is a number. */
  header?: boolean | 'auto';
  /** Text in a feature column is an error by default; 'onehot' one-hot encodes such columns. */
  categorical?: 'error' | 'onehot';
  /** Fixed categories per column name (from an earlier parse), so new files encode the same way. */
  categories?: Readonly<Record<string, readonly string[]>>;
  /** Feature columns to use, in this order (default: every column that is not a target). */
  columns?: readonly ColumnRef[];
  /** Tensor dtype (default: the global default, float32). */
  dtype?: DType;
}

export interface CsvDatasetOptions extends CsvFeatureOptions {
  /** The target column(s): name or index; default -1 (the last column). Several → regression y [N,K]. */
  target?: ColumnRef | readonly ColumnRef[];
  /**
   * 'auto' (default): text targets, or integer targets with at most 20 distinct values, are
   * classification; other numeric targets are regression.
   */
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
}

interface Table {
  names: string[];
  rows: string[][];
  lines: number[];
}

const MAX_AUTO_CLASSES = 20;

function loadTable(text: string, opts: CsvFeatureOptions, op: string): Table {
  const { rows, lines } = parseCsv(text, opts);
  if (rows.length === 0) throw new ArgumentError(op, 'the CSV text has no rows');
  const first = rows[0]!;
  const header = opts.header === undefined || opts.header === 'auto' ? first.every((c) => parseNumber(c) === null) : opts.header;
  const names = header ? first.map((c) => c.trim()) : first.map((_, i) => `col${i}`);
  const body = header ? rows.slice(1) : rows;
  const bodyLines = header ? lines.slice(1) : lines;
  if (body.length === 0) throw new ArgumentError(op, `no data rows after the header on line ${lines[0]}`);
  body.forEach((r, i) => {
    if (r.length !== names.length) {
      throw new ArgumentError(op, `line ${bodyLines[i]} has ${r.length} fields, expected ${names.length} (like line ${lines[0]}); fix the row or quote fields containing '${opts.delimiter ?? ','}'`);
    }
  });
  return { names, rows: body, lines: bodyLines };
}

function columnIndex(ref: ColumnRef, names: readonly string[], op: string): number {
  if (typeof ref === 'number') {
    const n = names.length;
    if (!Number.isInteger(ref) || ref < -n || ref >= n) throw new ArgumentError(op, `column index ${ref} is out of range for ${n} columns (use 0..${n - 1} or -${n}..-1)`);
    return ref < 0 ? ref + n : ref;
  }
  const i = names.indexOf(ref);
  if (i < 0) throw new ArgumentError(op, `no column named '${ref}'; the columns are ${names.map((s) => `'${s}'`).join(', ')}`);
  return i;
}

function where(t: Table, r: number, j: number): string {
  return `line ${t.lines[r]}, column '${t.names[j]}' (index ${j})`;
}

function cell(t: Table, r: number, j: number, op: string): string {
  const v = t.rows[r]![j]!.trim();
  if (v === '') throw new ArgumentError(op, `${where(t, r, j)}: empty cell; fill it in or remove the row`);
  return v;
}

function numberAt(t: Table, r: number, j: number, op: string, hint: string): number {
  const v = cell(t, r, j, op);
  const x = parseNumber(v);
  if (x === null) throw new ArgumentError(op, `${where(t, r, j)}: ${JSON.stringify(v)} is not a number${hint}`);
  return x;
}

function sortLabels(labels: Iterable<string>): string[] {
  const list = [...new Set(labels)];
  const numeric = list.every((s) => parseNumber(s) !== null);
  return numeric ? list.sort((a, b) => Number(a) - Number(b)) : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A label's canonical text: numbers normalised ('1.0' → '1'), text trimmed. */
function labelOf(v: string): string {
  const x = parseNumber(v);
  return x === null ? v : String(x);
}

function encodeFeatures(t: Table, cols: number[], opts: CsvFeatureOptions, op: string): CsvFeatures {
  const n = t.rows.length;
  const featureNames: string[] = [], categories: Record<string, string[]> = {};
  const plan: (string[] | null)[] = cols.map((j) => {
    const name = t.names[j]!;
    const fixed = opts.categories?.[name];
    if (fixed !== undefined) return (categories[name] = [...fixed]);
    let bad = -1;
    for (let r = 0; r < n && bad < 0; r++) if (parseNumber(cell(t, r, j, op)) === null) bad = r;
    if (bad < 0) return null;
    if (opts.categorical !== 'onehot') {
      throw new ArgumentError(op, `${where(t, bad, j)}: ${JSON.stringify(t.rows[bad]![j]!.trim())} is not a number; pass categorical: 'onehot' to one-hot encode text columns, or drop the column`);
    }
    return (categories[name] = sortLabels(t.rows.map((_, r) => cell(t, r, j, op))));
  });
  plan.forEach((cats, k) => {
    const name = t.names[cols[k]!]!;
    if (cats === null) featureNames.push(name);
    else for (const c of cats) featureNames.push(`${name}=${c}`);
  });
  const f = featureNames.length;
  const data = allocate(opts.dtype ?? getDefaultDType(), n * f);
  for (let r = 0; r < n; r++) {
    let o = r * f;
    plan.forEach((cats, k) => {
      const j = cols[k]!;
      if (cats === null) data[o++] = numberAt(t, r, j, op, '');
      else {
        const v = cell(t, r, j, op), idx = cats.indexOf(v);
        if (idx < 0) throw new ArgumentError(op, `${where(t, r, j)}: unknown category ${JSON.stringify(v)}; known: ${cats.map((c) => JSON.stringify(c)).join(', ')}`);
        data[o + idx] = 1;
        o += cats.length;
      }
    });
  }
  return { x: new Tensor(data, [n, f]), featureNames, columns: cols.map((j) => t.names[j]!), categories };
}

function featureColumns(t: Table, opts: CsvFeatureOptions, exclude: readonly number[], op: string): number[] {
  const cols = opts.columns !== undefined
    ? opts.columns.map((c) => columnIndex(c, t.names, op))
    : t.names.map((_, j) => j).filter((j) => !exclude.includes(j));
  const clash = cols.find((j) => exclude.includes(j));
  if (clash !== undefined) throw new ArgumentError(op, `column '${t.names[clash]}' (index ${clash}) is both a feature and the target; remove it from columns`);
  if (cols.length === 0) throw new ArgumentError(op, 'no feature columns left; the file needs at least one column besides the target');
  return cols;
}

/**
 * Parses CSV text into features only (no target), e.g. for `neurite predict`. Pass the `columns`
 * and `categories` of the training parse so that new files encode the same way.
 *
 * @example
 * const { x } = parseCsvFeatures(text, { columns: train.columns, categories: train.categories });
 */
export function parseCsvFeatures(text: string, opts: CsvFeatureOptions = {}): CsvFeatures {
  const op = 'parseCsvFeatures';
  const t = loadTable(text, opts, op);
  return encodeFeatures(t, featureColumns(t, opts, [], op), opts, op);
}

/**
 * Parses CSV text into a supervised data set: features x [N,F] and a target y chosen by name or index.
 * Class labels become indices into the sorted `classNames`; errors name the line and column.
 *
 * @example
 * const d = parseCsvDataset('a,b,species\n1,2,setosa\n3,4,virginica\n', { target: 'species' });
 * d.classNames   // ['setosa', 'virginica'];  d.y → [0, 1]
 */
export function parseCsvDataset(text: string, opts: CsvDatasetOptions = {}): CsvDataset {
  const op = 'parseCsvDataset';
  const t = loadTable(text, opts, op);
  const refs = Array.isArray(opts.target) ? (opts.target as readonly ColumnRef[]) : [(opts.target ?? -1) as ColumnRef];
  if (refs.length === 0) throw new ArgumentError(op, 'target is an empty list; name at least one column');
  const targets = refs.map((r) => columnIndex(r, t.names, op));
  const features = encodeFeatures(t, featureColumns(t, opts, targets, op), opts, op);
  const targetNames = targets.map((j) => t.names[j]!);
  const target = encodeTarget(t, targets, opts, op);
  return { ...features, ...target, targetName: targetNames.join(','), targetNames };
}

function encodeTarget(t: Table, cols: number[], opts: CsvDatasetOptions, op: string): Pick<CsvDataset, 'y' | 'task' | 'classNames'> {
  const n = t.rows.length, dtype = opts.dtype ?? getDefaultDType();
  const j = cols[0]!;
  const task = opts.task === undefined || opts.task === 'auto' ? autoTask(t, cols, op) : opts.task;
  if (task === 'regression') {
    const y = allocate(dtype, n * cols.length);
    const hint = '; a text target needs task: \'classification\'';
    for (let r = 0; r < n; r++) cols.forEach((c, k) => (y[r * cols.length + k] = numberAt(t, r, c, op, hint)));
    return { y: new Tensor(y, cols.length === 1 ? [n] : [n, cols.length]), task };
  }
  if (cols.length !== 1) throw new ArgumentError(op, `classification takes one target column, got ${cols.length}; use task: 'regression' for several`);
  const labels = t.rows.map((_, r) => labelOf(cell(t, r, j, op)));
  const classNames = opts.classNames !== undefined ? [...opts.classNames] : sortLabels(labels);
  const index = new Map(classNames.map((c, i) => [c, i]));
  const y = allocate(dtype, n);
  labels.forEach((l, r) => {
    const k = index.get(l);
    if (k === undefined) throw new ArgumentError(op, `${where(t, r, j)}: class ${JSON.stringify(l)} is not one of the known classes ${JSON.stringify(classNames)}`);
    y[r] = k;
  });
  return { y: new Tensor(y, [n]), task, classNames };
}

function autoTask(t: Table, cols: number[], op: string): 'classification' | 'regression' {
  if (cols.length > 1) return 'regression';
  const j = cols[0]!;
  const values = t.rows.map((_, r) => parseNumber(cell(t, r, j, op)));
  if (values.some((v) => v === null)) return 'classification';
  const ints = values.every((v) => Number.isInteger(v));
  return ints && new Set(values).size <= MAX_AUTO_CLASSES ? 'classification' : 'regression';
}
