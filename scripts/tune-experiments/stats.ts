// Small statistics and formatting for the experiment tables: mean, sample standard deviation,
// "mean ± std" cells, and markdown table rows.

/** Arithmetic mean (NaN for no values). @example mean([1, 2, 3]) // 2 */
export const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/**
 * Sample standard deviation (n − 1); 0 for a single value.
 * @example std([1, 3]) // 1.4142135623730951
 */
export function std(v: readonly number[]): number {
  if (v.length < 2) return 0;
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

/** `0.953 ± 0.012` (digits after the point). @example pm([0.9, 1], 3) // '0.950 ± 0.071' */
export const pm = (v: readonly number[], digits = 3): string => `${mean(v).toFixed(digits)} ± ${std(v).toFixed(digits)}`;

/** `0.900 – 1.000`. @example range([1, 0.9]) // '0.900 – 1.000' */
export const range = (v: readonly number[], digits = 3): string => `${Math.min(...v).toFixed(digits)} – ${Math.max(...v).toFixed(digits)}`;

/**
 * A markdown table: header row, separator, rows.
 * @example table(['a', 'b'], [['1', '2']]) // '| a | b |\n|---|---|\n| 1 | 2 |'
 */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** A parameter value as a short cell (4 significant digits, layer lists as 64-32). @example short(0.0012345) // '0.001235' */
export function short(v: unknown): string {
  if (typeof v === 'number') return String(Number(v.toPrecision(4)));
  if (Array.isArray(v)) return v.join('-');
  return String(v);
}
