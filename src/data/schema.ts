// A data schema fitted once on the training file and applied to new files by column NAME: types,
// categories, label encoder, imputation values and the target scaler. Nothing is re-derived from the
// file being scored; an unknown category, unseen class or missing column is an error naming it.
import { Tensor, getDefaultDType } from '../tensor/tensor.js';
import { allocate, type DType } from '../core/dtype.js';
import { StandardScaler, scalerFromJSON, type MinMaxScaler } from './scalers.js';
import { DataError, MISSING_CELL, NUMBER_CELL, readCsvTable, type CsvColumn, type CsvTable } from './csv-table.js';
import { checkSchemaJSON, type DataSchemaJSON } from './schema-json.js';

/** A cell's label text: the trimmed text, or the canonical form of its number ('1.0' → '1'); null when missing. */
export function cellLabel(c: CsvColumn, r: number): string | null {
  const code = c.codes === null ? NUMBER_CELL : c.codes[r]!;
  if (code === MISSING_CELL) return null;
  return code === NUMBER_CELL ? String(c.values[r]) : c.text[code]!;
}

/** "file: row 3 (line 4), column 'b'" for messages. */
export function cellWhere(file: string, t: CsvTable, r: number, name: string): string {
  return `${file}: row ${r + 1} (line ${t.lines[r]}), column '${name}'`;
}

/** Which table column each schema column reads (by name), and the target columns when wanted. */
export interface BoundColumns {
  features: CsvColumn[];
  targets: CsvColumn[] | null;
}

/**
 * A fitted data schema (see {@link fitSchema}); saved in model.json as `schema`.
 *
 * @example
 * const schema = DataSchema.fromJSON(modelJson.schema);
 * const table = schema.readTable(csvText);
 * const x = schema.encodeFeatures(table, schema.rowsOf(table, 'new.csv').rows, 'new.csv');
 */
export class DataSchema {
  private readonly json: DataSchemaJSON;
  private readonly yScaler: StandardScaler | MinMaxScaler | undefined;

  constructor(json: DataSchemaJSON) {
    this.json = json;
    this.yScaler = json.target.scaler ? scalerFromJSON(json.target.scaler) : undefined;
  }

  /** Restores a schema saved with toJSON(), checking every field. @example DataSchema.fromJSON(saved) */
  static fromJSON(raw: unknown): DataSchema {
    return new DataSchema(checkSchemaJSON(raw));
  }

  /** The JSON stored in model.json. @example JSON.stringify(schema) */
  toJSON(): DataSchemaJSON {
    return structuredClone(this.json);
  }

  get features(): DataSchemaJSON['features'] { return this.json.features; }
  get target(): DataSchemaJSON['target'] { return this.json.target; }
  get source(): DataSchemaJSON['source'] { return this.json.source; }
  get missing(): DataSchemaJSON['missing'] { return this.json.missing; }

  /** Names of the encoded features, one-hot columns as `name=category`. @example schema.featureNames() */
  featureNames(): string[] {
    return this.json.features.flatMap((f) => (f.type === 'numeric' ? [f.name] : f.categories!.map((c) => `${f.name}=${c}`)));
  }

  /** A copy with some fields replaced (used while fitting). @example schema.with({ source }) */
  with(patch: Partial<DataSchemaJSON>): DataSchema {
    return new DataSchema({ ...this.toJSON(), ...structuredClone(patch) });
  }

  /**
   * Reads CSV text (or chunks) with the training file's delimiter and missing markers; `header`
   * defaults to the training file's.
   * @example const table = schema.readTable(text);
   */
  readTable(text: string | Iterable<string>, opts: { header?: boolean; file?: string } = {}): CsvTable {
    return readCsvTable(text, { ...(opts.file !== undefined ? { file: opts.file } : {}), delimiter: this.json.delimiter, missingValues: this.json.missingValues, header: opts.header ?? this.json.header });
  }

  /** Headerless files: columns by position, as all training columns or as the features only. */
  private namesOf(t: CsvTable, file: string): string[] {
    if (t.header) return t.names;
    const all = this.json.columns, feats = this.json.features.map((f) => f.name);
    if (t.names.length === all.length) return all;
    if (t.names.length === feats.length) return feats;
    throw new DataError(`${file}: has no header and ${t.names.length} columns; the model needs ${feats.length} (features ${feats.join(', ')}) or ${all.length} (all training columns); add the header line`);
  }

  /**
   * Finds every schema column in the table by name (any order; extra columns are ignored).
   * `target`: 'require' (eval) or 'ignore' (predict: a target column present is skipped).
   * @example const cols = schema.bind(table, 'new.csv', 'ignore');
   */
  bind(t: CsvTable, file: string, target: 'require' | 'ignore'): BoundColumns {
    const names = this.namesOf(t, file);
    const index = new Map(names.map((n, j) => [n, j]));
    const find = (name: string, role: string): CsvColumn => {
      const j = index.get(name);
      if (j === undefined) throw new DataError(`${file}: the ${role} column '${name}' is missing; the model was trained on columns ${this.json.columns.map((c) => `'${c}'`).join(', ')} and the file has ${names.map((c) => `'${c}'`).join(', ')}`);
      return { ...t.columns[j]!, name };
    };
    return {
      features: this.json.features.map((f) => find(f.name, 'feature')),
      targets: target === 'require' ? this.json.target.names.map((n) => find(n, 'target')) : null,
    };
  }

  /**
   * The rows to use under the missing policy: 'error' throws naming the cells, 'drop' skips rows with a
   * missing cell, 'mean'/'mode' keep them (imputed) but skip rows whose TARGET is missing (a label is
   * never made up). At prediction time (no target) 'drop' cannot skip rows, so a missing cell is an error.
   * @example const { rows, dropped } = schema.rowsOf(table, 'data.csv', cols);
   */
  rowsOf(t: CsvTable, file: string, cols: BoundColumns = this.bind(t, file, 'ignore')): { rows: Int32Array; dropped: number } {
    const policy = this.json.missing;
    const imputed = policy === 'mean' || policy === 'mode';
    const strict = [...(imputed ? [] : cols.features), ...(cols.targets ?? [])].filter((c) => c.missing > 0);
    if (strict.length === 0) return { rows: Int32Array.from({ length: t.rows }, (_, i) => i), dropped: 0 };
    const canDrop = policy !== 'error' && (policy !== 'drop' || cols.targets !== null);
    if (!canDrop) throw missingError(t, file, strict, policy);
    const keep: number[] = [];
    for (let r = 0; r < t.rows; r++) if (strict.every((c) => c.codes![r] !== MISSING_CELL)) keep.push(r);
    if (keep.length === 0) throw new DataError(`${file}: every row has a missing value in ${strict.map((c) => `'${c.name}'`).join(', ')}; nothing is left to use`);
    return { rows: Int32Array.from(keep), dropped: t.rows - keep.length };
  }

  /**
   * Features [rows, F] of the given rows: numbers as they are, categories one-hot, missing cells filled
   * with the fitted value. Text in a numeric column or an unknown category is an error naming the cell.
   * @example const x = schema.encodeFeatures(table, rows, 'new.csv');
   */
  encodeFeatures(t: CsvTable, rows: Int32Array, file: string, cols: BoundColumns = this.bind(t, file, 'ignore'), dtype: DType = getDefaultDType()): Tensor {
    const n = rows.length, f = this.featureNames().length;
    const data = allocate(dtype, n * f);
    let offset = 0;
    this.json.features.forEach((spec, k) => {
      const c = cols.features[k]!;
      if (spec.type === 'numeric') {
        for (let i = 0; i < n; i++) data[i * f + offset] = numericCell(t, c, rows[i]!, file, spec.fill);
        offset += 1;
        return;
      }
      const cats = spec.categories!, at = new Map(cats.map((v, j) => [v, j]));
      for (let i = 0; i < n; i++) {
        const r = rows[i]!, label = cellLabel(c, r) ?? fillOrFail(t, c, r, file, spec.fill);
        const j = at.get(label as string);
        if (j === undefined) throw new DataError(`${cellWhere(file, t, r, c.name)}: unknown category ${JSON.stringify(label)}; the model knows ${cats.map((v) => JSON.stringify(v)).join(', ')}`);
        data[i * f + offset + j] = 1;
      }
      offset += cats.length;
    });
    return new Tensor(data, [n, f]);
  }

  /**
   * One call for new data: reads CSV text, finds the feature columns by name (a target column is
   * ignored) and encodes every row, filling missing cells with the fitted values.
   * @example const x = bundle.schema.encodeCsvFeatures(text, 'new.csv');   // then scaler, then predict
   */
  encodeCsvFeatures(text: string | Iterable<string>, file = 'csv', opts: { header?: boolean } = {}): Tensor {
    const t = this.readTable(text, { ...opts, file });
    const cols = this.bind(t, file, 'ignore');
    return this.encodeFeatures(t, this.rowsOf(t, file, cols).rows, file, cols);
  }

  /**
   * Targets of the given rows in original units: class indices [N] from the saved class list (an unseen
   * class is an error), or regression values [N] / [N, K].
   * @example const y = schema.encodeTarget(table, rows, 'test.csv');
   */
  encodeTarget(t: CsvTable, rows: Int32Array, file: string, cols: BoundColumns = this.bind(t, file, 'require'), dtype: DType = getDefaultDType()): Tensor {
    const tg = this.json.target, targets = cols.targets!, n = rows.length, k = targets.length;
    const y = allocate(dtype, n * k);
    if (tg.task === 'classification') {
      const at = new Map(tg.classes!.map((c, i) => [c, i])), c = targets[0]!;
      for (let i = 0; i < n; i++) {
        const r = rows[i]!, label = cellLabel(c, r) ?? fillOrFail(t, c, r, file, undefined);
        const idx = at.get(label as string);
        if (idx === undefined) throw new DataError(`${cellWhere(file, t, r, c.name)}: class ${JSON.stringify(label)} is not one the model was trained on (${tg.classes!.map((v) => JSON.stringify(v)).join(', ')})`);
        y[i] = idx;
      }
      return new Tensor(y, [n]);
    }
    targets.forEach((c, j) => { for (let i = 0; i < n; i++) y[i * k + j] = numericCell(t, c, rows[i]!, file, undefined); });
    return new Tensor(y, k === 1 ? [n] : [n, k]);
  }

  /** Targets → the units the network trains on (standardised when a target scaler is saved). @example schema.scaleTarget(y) */
  scaleTarget(y: Tensor): Tensor {
    return this.yScaler ? this.yScaler.transform(y) : y;
  }

  /** Network outputs → original target units (the inverse of scaleTarget). @example schema.unscaleTarget(pred) */
  unscaleTarget(pred: Tensor): Tensor {
    return this.yScaler ? this.yScaler.inverseTransform(pred) : pred;
  }
}

function fillOrFail(t: CsvTable, c: CsvColumn, r: number, file: string, fill: number | string | undefined): number | string {
  if (fill !== undefined) return fill;
  throw new DataError(`${cellWhere(file, t, r, c.name)}: the value is missing and the model has no imputation value for it; fill it in (or train with --missing mean|mode)`);
}

function numericCell(t: CsvTable, c: CsvColumn, r: number, file: string, fill: number | string | undefined): number {
  const code = c.codes === null ? NUMBER_CELL : c.codes[r]!;
  if (code === NUMBER_CELL) return c.values[r]!;
  if (code === MISSING_CELL) return fillOrFail(t, c, r, file, fill) as number;
  throw new DataError(`${cellWhere(file, t, r, c.name)}: ${JSON.stringify(c.text[code])} is not a number, and the column is numeric`);
}

/** "missing values in column 'b' at row 3 (line 4), … (N cells)" with what to do. */
export function missingError(t: CsvTable, file: string, cols: readonly CsvColumn[], policy: string): DataError {
  const parts = cols.map((c) => {
    const at: string[] = [];
    for (let r = 0; r < t.rows && at.length < 5; r++) if (c.codes![r] === MISSING_CELL) at.push(`row ${r + 1} (line ${t.lines[r]})`);
    return `column '${c.name}' at ${at.join(', ')}${c.missing > at.length ? ` and ${c.missing - at.length} more` : ''}`;
  });
  const fix = policy === 'error' ? 'fill them in, or choose a policy: --missing drop|mean|mode (config data.missing)' : 'fill them in: a prediction cannot drop rows';
  return new DataError(`${file}: missing values (empty, NA, …) in ${parts.join('; ')}; ${fix}`);
}
