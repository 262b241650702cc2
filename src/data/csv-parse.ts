// CSV text ⇄ rows: an RFC 4180 tokenizer (quotes, doubled quotes, CRLF) that keeps line numbers, and a writer.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';

/** Parsed CSV records, each with the 1-based line number it starts on (for error messages). */
export interface CsvRows {
  rows: string[][];
  lines: number[];
}

export interface CsvParseOptions {
  /** Field separator, one character (default ','). */
  delimiter?: string;
}

/** Receives each record's fields and the 1-based line it starts on. */
export type CsvRecordSink = (fields: string[], line: number) => void;

function checkDelimiter(delim: string): void {
  if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r') {
    throw new ArgumentError('parseCsv', `delimiter must be one character other than a quote or newline, got ${JSON.stringify(delim)}`);
  }
}

/**
 * An incremental RFC 4180 tokenizer: feed text in chunks of any size with `push`, then `end()`; each
 * complete record goes to the sink as soon as it is read, so a large file never needs to be one string.
 * Same rules as {@link parseCsv}.
 *
 * @example
 * const rows: string[][] = [];
 * const t = new CsvTokenizer((f) => rows.push(f));
 * t.push('a,b\n1,'); t.push('2\n'); t.end();   // rows: [['a','b'], ['1','2']]
 */
export class CsvTokenizer {
  private row: string[] = [];
  private field = '';
  private line = 1;
  private start = 1;
  private quoted = false;
  private wasQuoted = false;
  /** A quote or CR at the very end of a chunk, decided when the next chunk arrives. */
  private pending = '';
  private first = true;
  private readonly delim: string;

  constructor(private readonly sink: CsvRecordSink, opts: CsvParseOptions = {}) {
    this.delim = opts.delimiter ?? ',';
    checkDelimiter(this.delim);
  }

  private endRecord(): void {
    this.row.push(this.field);
    if (this.row.length > 1 || this.field !== '' || this.wasQuoted) this.sink(this.row, this.start);
    this.row = [];
    this.field = '';
    this.wasQuoted = false;
  }

  /** Tokenizes the next piece of text. @example tokenizer.push(chunk) */
  push(chunk: string): void {
    let s = this.pending + chunk;
    this.pending = '';
    if (this.first && s.length > 0) { if (s.charCodeAt(0) === 0xfeff) s = s.slice(1); this.first = false; }
    this.scan(s, false);
  }

  /** Ends the input: flushes the last record; throws on an unclosed quote. @example tokenizer.end() */
  end(): void {
    const s = this.pending;
    this.pending = '';
    this.scan(s, true);
    if (this.quoted) throw new ArgumentError('parseCsv', `line ${this.start}: a quoted field is never closed; add the closing quote`);
    this.endRecord();
  }

  private scan(s: string, last: boolean): void {
    const delim = this.delim;
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (!last && i === s.length - 1 && (c === '"' || c === '\r')) { this.pending = c; return; }
      if (this.quoted) {
        if (c === '"') {
          if (s[i + 1] === '"') { this.field += '"'; i++; } else this.quoted = false;
        } else {
          if (c === '\n' || (c === '\r' && s[i + 1] !== '\n')) this.line++;
          this.field += c;
        }
      } else if (c === '"' && this.field === '') { this.quoted = true; this.wasQuoted = true; }
      else if (c === '"') throw new ArgumentError('parseCsv', `line ${this.line}: stray quote inside an unquoted field ${JSON.stringify(this.field)}; quote the whole field and double inner quotes ("")`);
      else if (c === delim) { this.row.push(this.field); this.field = ''; this.wasQuoted = false; }
      else if (c === '\n' || c === '\r') {
        if (c === '\r' && s[i + 1] === '\n') i++;
        this.endRecord();
        this.line++;
        this.start = this.line;
      } else if (this.wasQuoted) throw new ArgumentError('parseCsv', `line ${this.line}: text ${JSON.stringify(c)} after a closing quote; put the delimiter right after the quote`);
      else this.field += c;
    }
  }
}

/**
 * Splits CSV text into records of fields. Quoted fields may contain the delimiter, newlines and doubled
 * quotes (`""`); CRLF, LF and CR line ends are accepted; blank lines are skipped; a leading BOM is dropped.
 *
 * @example
 * parseCsv('a,b\n1,"x, ""y"""\n').rows   // [['a','b'], ['1','x, "y"']]
 */
export function parseCsv(text: string, opts: CsvParseOptions = {}): CsvRows {
  const rows: string[][] = [], lines: number[] = [];
  const t = new CsvTokenizer((f, line) => { rows.push(f); lines.push(line); }, opts);
  t.push(text);
  t.end();
  return { rows, lines };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number in a cell (surrounding spaces allowed), or null when it is not a plain decimal number. @example parseNumber(' 1.5e3') // 1500 */
export function parseNumber(cell: string): number | null {
  const t = cell.trim();
  return NUMBER.test(t) ? Number(t) : null;
}

/** Shortest decimal that reads back as the same float32 value. @example formatFloat32(Math.fround(0.1)) // '0.1' */
export function formatFloat32(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let p = 1; p < 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(Number(v.toPrecision(9)));
}

function quoteField(v: string, delim: string): string {
  return v.includes(delim) || v.includes('"') || v.includes('\n') || v.includes('\r') ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Writes rows (arrays of numbers/strings, or a 2-D tensor) as CSV text with an optional header line.
 * Fields with the delimiter, quotes or newlines are quoted; float32 tensors print their shortest exact form.
 *
 * @example
 * toCsv([[0, 0.25], [1, 0.5]], ['class', 'p'])   // 'class,p\n0,0.25\n1,0.5\n'
 */
export function toCsv(rows: readonly (readonly (number | string)[])[] | Tensor, header?: readonly string[], opts: CsvParseOptions = {}): string {
  const delim = opts.delimiter ?? ',';
  const fmt = (v: number | string, f32: boolean): string => quoteField(typeof v === 'number' ? (f32 ? formatFloat32(v) : String(v)) : v, delim);
  const out: string[] = [];
  let width = header?.length;
  if (header !== undefined) out.push(header.map((h) => quoteField(h, delim)).join(delim));
  const check = (n: number, r: number): void => {
    width ??= n;
    if (n !== width) throw new ArgumentError('toCsv', `row ${r} has ${n} fields, expected ${width} (as in ${header ? 'the header' : 'row 0'})`);
  };
  if ('shape' in rows) {
    if (rows.rank !== 2) throw new ArgumentError('toCsv', `tensor must be 2-D [rows, columns], got rank ${rows.rank}`);
    const [n, m] = rows.shape as [number, number];
    const f32 = rows.dtype === 'float32';
    for (let r = 0; r < n; r++) {
      check(m, r);
      const cells: string[] = [];
      for (let j = 0; j < m; j++) cells.push(fmt(rows.data[r * m + j]!, f32));
      out.push(cells.join(delim));
    }
  } else {
    rows.forEach((row, r) => {
      check(row.length, r);
      out.push(row.map((v) => fmt(v, false)).join(delim));
    });
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}
