// CSV text ⇄ rows: an RFC 4180 tokenizer (quotes, doubled quotes, CRLF) that keeps line numbers, and a writer.
import type { Tensor } from '../core/tensor.js';
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

/**
 * Splits CSV text into records of fields. Quoted fields may contain the delimiter, newlines and doubled
 * quotes (`""`); CRLF, LF and CR line ends are accepted; blank lines are skipped; a leading BOM is dropped.
 *
 * @example
 * parseCsv('a,b\n1,"x, ""y"""\n').rows   // [['a','b'], ['1','x, "y"']]
 */
export function parseCsv(text: string, opts: CsvParseOptions = {}): CsvRows {
  const delim = opts.delimiter ?? ',';
  if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r') {
    throw new ArgumentError('parseCsv', `delimiter must be one character other than a quote or newline, got ${JSON.stringify(delim)}`);
  }
  const rows: string[][] = [], lines: number[] = [];
  let row: string[] = [], field = '', line = 1, start = 1, quoted = false, wasQuoted = false;
  const endRecord = (): void => {
    row.push(field);
    if (row.length > 1 || field !== '' || wasQuoted) {
      rows.push(row);
      lines.push(start);
    }
    row = [];
    field = '';
    wasQuoted = false;
  };
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else {
        if (c === '\n' || (c === '\r' && s[i + 1] !== '\n')) line++;
        field += c;
      }
    } else if (c === '"' && field === '') { quoted = true; wasQuoted = true; }
    else if (c === '"') throw new ArgumentError('parseCsv', `line ${line}: stray quote inside an unquoted field ${JSON.stringify(field)}; quote the whole field and double inner quotes ("")`);
    else if (c === delim) { row.push(field); field = ''; wasQuoted = false; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else if (wasQuoted) throw new ArgumentError('parseCsv', `line ${line}: text ${JSON.stringify(c)} after a closing quote; put the delimiter right after the quote`);
    else field += c;
  }
  if (quoted) throw new ArgumentError('parseCsv', `line ${start}: a quoted field is never closed; add the closing quote`);
  endRecord();
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
