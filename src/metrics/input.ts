// Input coercion and validation shared by the metrics: tensors or plain arrays in, float64 arrays out.
import { Tensor } from '../tensor/tensor.js';
import { ArgumentError, fmtShape } from '../core/errors.js';

/** A 1-D input: a Tensor of shape [N] (or [N,1]), a number[] or a typed array. */
export type VectorInput = Tensor | ArrayLike<number>;
/** A 1-D or 2-D input: a Tensor [N] / [N,C], a flat array, or rows as number[][]. */
export type MatrixInput = Tensor | ArrayLike<number> | readonly ArrayLike<number>[];

/** A dense row-major float64 matrix; `cols` is 0 when the input was 1-D. */
export interface Dense {
  readonly data: Float64Array;
  readonly rows: number;
  /** Number of columns, or 0 when the input was a 1-D vector. */
  readonly cols: number;
}

/**
 * Reads a 1-D input into a Float64Array; [N,1] tensors are accepted as vectors.
 *
 * @example
 * toVector('accuracy', 'yTrue', [0, 1, 1]); // Float64Array [0, 1, 1]
 */
export function toVector(fn: string, name: string, x: VectorInput): Float64Array {
  if (x instanceof Tensor) {
    const s = x.shape;
    if (s.length === 1 || (s.length === 2 && s[1] === 1)) return Float64Array.from(x.data);
    throw new ArgumentError(fn, `${name} must be 1-D (shape [N]) but has shape ${fmtShape(s)}; flatten it or pass one column`);
  }
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new ArgumentError(fn, `${name} must be a Tensor or an array of numbers, got ${typeof x}`);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number') {
      throw new ArgumentError(fn, `${name}[${i}] is ${Array.isArray(v) ? 'an array' : typeof v}, expected a number (pass a 1-D array)`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Reads a 1-D or 2-D input (Tensor, flat array, or array of rows) into a dense float64 matrix.
 *
 * @example
 * toDense('rocAucScore', 'yScore', [[0.2, 0.8], [0.6, 0.4]]); // { rows: 2, cols: 2, data }
 */
export function toDense(fn: string, name: string, x: MatrixInput): Dense {
  if (x instanceof Tensor) {
    const s = x.shape;
    if (s.length === 1) return { data: Float64Array.from(x.data), rows: s[0]!, cols: 0 };
    if (s.length === 2) return { data: Float64Array.from(x.data), rows: s[0]!, cols: s[1]! };
    throw new ArgumentError(fn, `${name} must be 1-D [N] or 2-D [N,C] but has shape ${fmtShape(s)}`);
  }
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new ArgumentError(fn, `${name} must be a Tensor or an array, got ${typeof x}`);
  }
  if (x.length === 0 || typeof x[0] === 'number') return { data: toVector(fn, name, x as ArrayLike<number>), rows: x.length, cols: 0 };
  const rows = x as readonly ArrayLike<number>[];
  const cols = rows[0]!.length;
  const data = new Float64Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row === null || typeof row !== 'object' || row.length !== cols) {
      throw new ArgumentError(fn, `${name} row ${i} has ${row?.length ?? 'no'} entries but row 0 has ${cols}; rows must all have the same length`);
    }
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw new ArgumentError(fn, `${name}[${i}][${j}] is ${typeof v}, expected a number`);
      data[i * cols + j] = v;
    }
  }
  return { data, rows: rows.length, cols };
}

/**
 * Throws unless both arrays are non-empty and of equal length.
 *
 * @example
 * checkPair('accuracy', yTrue, yPred, 'yPred');
 */
export function checkPair(fn: string, yTrue: { length: number }, other: { length: number }, otherName = 'yPred'): void {
  if (yTrue.length !== other.length) {
    throw new ArgumentError(fn, `yTrue has ${yTrue.length} entries but ${otherName} has ${other.length}; pass one ${otherName} entry per sample`);
  }
  if (yTrue.length === 0) throw new ArgumentError(fn, 'yTrue and ' + otherName + ' are empty; pass at least one sample');
}

/**
 * Throws unless every entry is a finite integer (class labels are integers in neurite).
 *
 * @example
 * checkLabels('confusionMatrix', 'yTrue', Float64Array.of(0, 1, 2));
 */
export function checkLabels(fn: string, name: string, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isInteger(v)) {
      throw new ArgumentError(fn, `${name}[${i}] = ${v} is not an integer class label; pass integer labels (e.g. argmax of the scores)`);
    }
  }
}

/**
 * Throws unless every entry is finite (no NaN or ±Infinity).
 *
 * @example
 * checkFinite('meanSquaredError', 'yPred', Float64Array.of(1, 2));
 */
export function checkFinite(fn: string, name: string, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]!)) throw new ArgumentError(fn, `${name}[${i}] is ${y[i]}; all values must be finite`);
  }
}

/**
 * The sorted distinct values of one or more label arrays (sklearn's `unique_labels`).
 *
 * @example
 * uniqueSorted(Float64Array.of(2, 0, 2), Float64Array.of(1)); // [0, 1, 2]
 */
export function uniqueSorted(...arrays: Float64Array[]): number[] {
  const seen = new Set<number>();
  for (const a of arrays) for (const v of a) seen.add(v === 0 ? 0 : v);
  return [...seen].sort((a, b) => a - b);
}

/**
 * Validates an explicit label list: non-empty, integers, no duplicates.
 *
 * @example
 * checkLabelList('precision', [0, 1, 2]);
 */
export function checkLabelList(fn: string, labels: readonly number[]): number[] {
  if (labels.length === 0) throw new ArgumentError(fn, 'labels is empty; pass at least one label or leave it out');
  const seen = new Set<number>();
  for (const v of labels) {
    if (!Number.isInteger(v)) throw new ArgumentError(fn, `labels contains ${v}, which is not an integer class label`);
    if (seen.has(v)) throw new ArgumentError(fn, `labels contains ${v} twice; each label may appear once`);
    seen.add(v);
  }
  return [...labels];
}
