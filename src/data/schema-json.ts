// The saved form of a data schema (model.json "schema") and its strict validation on load.
import { ArgumentError } from '../core/errors.js';
import type { ScalerJSON } from './scalers.js';

/** What happens to missing cells: an error (default), dropping the row, or imputation fitted on training rows. */
export type MissingPolicy = 'error' | 'drop' | 'mean' | 'mode';
export const MISSING_POLICIES: readonly MissingPolicy[] = ['error', 'drop', 'mean', 'mode'];

/** One feature column: its name in the file, its type, categories and the imputation value. */
export interface FeatureColumnJSON {
  name: string;
  type: 'numeric' | 'categorical';
  /** Categories in one-hot order (categorical columns). */
  categories?: string[];
  /** Value put in missing cells (mean/mode policies), fitted on the training rows. */
  fill?: number | string;
}

/** The target: column name(s), task, class names (label encoder) and the target scaler (regression). */
export interface TargetJSON {
  names: string[];
  task: 'classification' | 'regression';
  classes?: string[];
  scaler?: ScalerJSON;
}

/** Where the training data came from: file name (never read back), hashes, row count and how it was split. */
export interface DataSourceJSON {
  file: string;
  sha256: string;
  rowSetHash: string;
  rows: number;
  /** cv: validation was fold `fold` of `folds` over the non-test rows (the test rows are the same as without it). */
  split: { seed: number; testSplit: number; validationSplit: number; stratify: boolean; subset: number | null; cv?: { folds: number; fold: number } | null };
}

/** A data schema fitted once at training time and saved in model.json. */
export interface DataSchemaJSON {
  /** Every column of the training file, in file order. */
  columns: string[];
  header: boolean;
  delimiter: string;
  missingValues: string[];
  missing: MissingPolicy;
  features: FeatureColumnJSON[];
  target: TargetJSON;
  source?: DataSourceJSON;
}

type Obj = Record<string, unknown>;
const OP = 'DataSchema.fromJSON';
const has = (o: Obj, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function fail(path: string, what: string, v: unknown): never {
  throw new ArgumentError(OP, `schema.${path} must be ${what}, got ${JSON.stringify(v)?.slice(0, 80)}`);
}

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Obj;
}

function strings(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) fail(path, 'a list of strings', v);
  return [...(v as string[])];
}

function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'a finite number', v);
  return v as number;
}

function oneOf<T extends string>(v: unknown, values: readonly T[], path: string): T {
  if (!values.includes(v as T)) fail(path, `one of ${values.join(', ')}`, v);
  return v as T;
}

function feature(v: unknown, i: number): FeatureColumnJSON {
  const o = obj(v, `features[${i}]`);
  const name = typeof o.name === 'string' ? o.name : fail(`features[${i}].name`, 'a string', o.name);
  const type = oneOf(o.type, ['numeric', 'categorical'] as const, `features[${i}].type`);
  const f: FeatureColumnJSON = { name, type };
  if (type === 'categorical') f.categories = strings(o.categories, `features[${i}].categories`);
  if (has(o, 'fill')) {
    if (type === 'numeric') f.fill = num(o.fill, `features[${i}].fill`);
    else f.fill = typeof o.fill === 'string' && f.categories!.includes(o.fill) ? o.fill : fail(`features[${i}].fill`, 'one of its categories', o.fill);
  }
  return f;
}

function target(v: unknown): TargetJSON {
  const o = obj(v, 'target');
  const t: TargetJSON = { names: strings(o.names, 'target.names'), task: oneOf(o.task, ['classification', 'regression'] as const, 'target.task') };
  if (t.names.length === 0) fail('target.names', 'a non-empty list', o.names);
  if (t.task === 'classification') t.classes = strings(o.classes, 'target.classes');
  if (has(o, 'scaler') && o.scaler !== undefined) t.scaler = obj(o.scaler, 'target.scaler') as unknown as ScalerJSON;
  return t;
}

function source(v: unknown): DataSourceJSON {
  const o = obj(v, 'source'), s = obj(o.split, 'source.split');
  const str = (k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : fail(`source.${k}`, 'a string', o[k]));
  const subset = s.subset === null ? null : num(s.subset, 'source.split.subset');
  if (typeof s.stratify !== 'boolean') fail('source.split.stratify', 'true or false', s.stratify);
  const cv = !has(s, 'cv') || s.cv === null || s.cv === undefined ? null : obj(s.cv, 'source.split.cv');
  return {
    file: str('file'), sha256: str('sha256'), rowSetHash: str('rowSetHash'), rows: num(o.rows, 'source.rows'),
    split: { seed: num(s.seed, 'source.split.seed'), testSplit: num(s.testSplit, 'source.split.testSplit'), validationSplit: num(s.validationSplit, 'source.split.validationSplit'), stratify: s.stratify as boolean, subset,
      ...(cv ? { cv: { folds: num(cv.folds, 'source.split.cv.folds'), fold: num(cv.fold, 'source.split.cv.fold') } } : {}) },
  };
}

/**
 * Checks a parsed schema object field by field; errors name the field (`schema.features[2].type`).
 * @example const json = checkSchemaJSON(JSON.parse(text).schema);
 */
export function checkSchemaJSON(raw: unknown): DataSchemaJSON {
  const o = obj(raw, '(root)');
  if (!Array.isArray(o.features) || o.features.length === 0) fail('features', 'a non-empty list', o.features);
  const delimiter = typeof o.delimiter === 'string' && o.delimiter.length === 1 ? o.delimiter : fail('delimiter', 'one character', o.delimiter);
  if (typeof o.header !== 'boolean') fail('header', 'true or false', o.header);
  const json: DataSchemaJSON = {
    columns: strings(o.columns, 'columns'), header: o.header as boolean, delimiter, missingValues: strings(o.missingValues, 'missingValues'),
    missing: oneOf(o.missing, MISSING_POLICIES, 'missing'), features: (o.features as unknown[]).map(feature), target: target(o.target),
  };
  if (has(o, 'source') && o.source !== undefined) json.source = source(o.source);
  return json;
}
