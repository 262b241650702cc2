// CSV records → a column-wise table: numbers go straight into typed arrays, text cells into a small
// per-column dictionary, missing markers into a code; no string is kept per cell, so big files fit.
import { CsvTokenizer, parseNumber, type CsvParseOptions } from './csv-parse.js';

/** Cells read as missing values by default (compared trimmed and case-insensitively). */
export const DEFAULT_MISSING_VALUES: readonly string[] = ['', 'NA', 'NaN', 'null', 'N/A'];

/** Code of a number cell / a missing cell in {@link CsvColumn.codes}; text cells hold their index in `text`. */
export const NUMBER_CELL = -1;
export const MISSING_CELL = -2;

/**
 * A problem in a data file; the message starts with the file (or function) name and names the row,
 * line, column and value where it can.
 * @example try { readCsvTable('a,a\n1,2\n'); } catch (e) { if (e instanceof DataError) console.error(e.message); }
 */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

export interface CsvTableOptions extends CsvParseOptions {
  /** Name used at the start of error messages (default 'csv'; the CLI passes the file path). */
  file?: string;
  /** Whether the first record names the columns (default true; never guessed from its look). */
  header?: boolean;
  /** Cells that mean "missing" (default {@link DEFAULT_MISSING_VALUES}), matched trimmed and case-insensitively. */
  missingValues?: readonly string[];
}

/** One column of a {@link CsvTable}. */
export interface CsvColumn {
  name: string;
  /** The number in each row (NaN where the cell is missing or text). */
  values: Float64Array;
  /** null when every cell is a number; else per row NUMBER_CELL, MISSING_CELL or an index into `text`. */
  codes: Int32Array | null;
  /** Distinct text cells (trimmed), in order of first appearance. */
  text: string[];
  /** How many cells are numbers / missing / text. */
  numbers: number;
  missing: number;
  texts: number;
}

/** A CSV file held column-wise. */
export interface CsvTable {
  names: string[];
  columns: CsvColumn[];
  /** Number of data rows (the header not counted). */
  rows: number;
  /** 1-based file line of each data row, for error messages. */
  lines: Int32Array;
  /** An order-independent hash of the data rows (the same rows in any order give the same value). */
  rowSetHash: string;
  /** Whether the names came from a header line (false: col0, col1, …). */
  header: boolean;
}

function grow<T extends Float64Array | Int32Array>(a: T, n: number): T {
  if (n < a.length) return a;
  const b = new (a.constructor as new (k: number) => T)(Math.max(1024, a.length * 2));
  b.set(a);
  return b;
}

function fnv(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return Math.imul(h ^ 0x1f, 0x01000193) >>> 0;
}

/**
 * Builds a {@link CsvTable} record by record (feed it from {@link CsvTokenizer}); `finish()` returns it.
 *
 * @example
 * const b = new CsvTableBuilder({ header: true });
 * const t = new CsvTokenizer((f, line) => b.add(f, line)); t.push('a,b\n1,x\n'); t.end();
 * b.finish().columns[1].text   // ['x']
 */
export class CsvTableBuilder {
  private names: string[] | null = null;
  private headerLine = 0;
  private cols: CsvColumn[] = [];
  private lines = new Int32Array(1024);
  private n = 0;
  private dict: Map<string, number>[] = [];
  private hashLo = 0;
  private hashHi = 0;
  private readonly missing: Set<string>;
  private readonly header: boolean;
  private readonly file: string;

  constructor(private readonly opts: CsvTableOptions = {}) {
    this.header = opts.header ?? true;
    this.file = opts.file ?? 'csv';
    this.missing = new Set((opts.missingValues ?? DEFAULT_MISSING_VALUES).map((m) => m.trim().toLowerCase()));
  }

  private setNames(names: string[], line: number): void {
    const seen = new Map<string, number>();
    names.forEach((name, j) => {
      const prev = seen.get(name);
      if (prev !== undefined) throw new DataError(`${this.file}: line ${line}: duplicate column name '${name}' (columns ${prev + 1} and ${j + 1}); give every column its own name`);
      seen.set(name, j);
    });
    this.names = names;
    this.headerLine = line;
    this.cols = names.map((name) => ({ name, values: new Float64Array(1024), codes: null, text: [], numbers: 0, missing: 0, texts: 0 }));
    this.dict = names.map(() => new Map());
  }

  /** Adds one record (the header first when the table has one). @example builder.add(['1', '2'], 2) */
  add(fields: readonly string[], line: number): void {
    if (this.names === null) {
      if (this.header) { this.setNames(fields.map((f, j) => f.trim() || `col${j}`), line); return; }
      this.setNames(fields.map((_, j) => `col${j}`), line);
    }
    const m = this.names!.length;
    if (fields.length !== m) {
      throw new DataError(`${this.file}: line ${line} has ${fields.length} fields, expected ${m} (like line ${this.headerLine}); fix the row or quote fields containing '${this.opts.delimiter ?? ','}'`);
    }
    const r = this.n++;
    this.lines = grow(this.lines, r);
    this.lines[r] = line;
    let lo = 0x811c9dc5, hi = 0x12345679;
    for (let j = 0; j < m; j++) {
      const raw = fields[j]!;
      lo = fnv(raw, lo);
      hi = fnv(raw, hi ^ j);
      this.addCell(j, r, raw);
    }
    this.hashLo = (this.hashLo + lo) >>> 0;
    this.hashHi = (this.hashHi + hi) >>> 0;
  }

  private addCell(j: number, r: number, raw: string): void {
    const c = this.cols[j]!;
    c.values = grow(c.values, r);
    const x = parseNumber(raw);
    if (x !== null) {
      c.values[r] = x;
      c.numbers++;
      if (c.codes !== null) { c.codes = grow(c.codes, r); c.codes[r] = NUMBER_CELL; }
      return;
    }
    c.values[r] = NaN;
    if (c.codes === null) {
      c.codes = new Int32Array(Math.max(1024, c.values.length)).fill(NUMBER_CELL);
    }
    c.codes = grow(c.codes, r);
    const v = raw.trim();
    if (this.missing.has(v.toLowerCase())) { c.codes[r] = MISSING_CELL; c.missing++; return; }
    const d = this.dict[j]!;
    let k = d.get(v);
    if (k === undefined) { k = c.text.length; d.set(v, k); c.text.push(v); }
    c.codes[r] = k;
    c.texts++;
  }

  /** The finished table; throws when there is no data row. @example const table = builder.finish() */
  finish(): CsvTable {
    if (this.names === null) throw new DataError(`${this.file}: the CSV text has no rows`);
    if (this.n === 0) throw new DataError(`${this.file}: no data rows after the header on line ${this.headerLine}`);
    const n = this.n;
    for (const c of this.cols) {
      c.values = c.values.slice(0, n);
      if (c.codes !== null) c.codes = c.codes.slice(0, n);
    }
    const hex = (v: number): string => v.toString(16).padStart(8, '0');
    return { names: this.names, columns: this.cols, rows: n, lines: this.lines.slice(0, n), rowSetHash: hex(this.hashHi) + hex(this.hashLo), header: this.header };
  }
}

/**
 * Reads CSV text (one string, or chunks of it) into a column-wise {@link CsvTable}.
 *
 * @example
 * const t = readCsvTable('price,city\n1.5,Oslo\nNA,Rome\n');
 * t.columns[0].missing   // 1;   t.columns[1].text → ['Oslo', 'Rome']
 */
export function readCsvTable(text: string | Iterable<string>, opts: CsvTableOptions = {}): CsvTable {
  const b = new CsvTableBuilder(opts);
  const t = new CsvTokenizer((f, line) => b.add(f, line), opts);
  if (typeof text === 'string') t.push(text);
  else for (const chunk of text) t.push(chunk);
  t.end();
  return b.finish();
}
