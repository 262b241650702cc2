// Seeded train/test and train/val/test splits and K folds (optionally stratified by class) and one-hot encoding.
import { Tensor, getDefaultDType } from '../tensor/tensor.js';
import { allocate, type DType } from '../core/dtype.js';
import { Rng } from '../core/rng.js';
import { ArgumentError } from '../core/errors.js';
import { Dataset } from './dataset.js';

export interface SplitOptions {
  /** Seed of the shuffling (default 0); the same seed gives the same split. */
  seed?: number;
  /** Alternatively a random stream to draw from (advanced by the call). */
  rng?: Rng;
  /**
   * Keep class proportions equal across the parts: true uses y (class indices [N], or one-hot [N,K]),
   * or pass the labels. Default false.
   */
  stratify?: boolean | ArrayLike<number> | Tensor;
  /** Shuffle before splitting (default true); false keeps row order (train first). */
  shuffle?: boolean;
}

export interface TrainTestSplit {
  train: Dataset;
  test: Dataset;
  trainIndices: Int32Array;
  testIndices: Int32Array;
}

export interface TrainValTestSplit extends TrainTestSplit {
  val: Dataset;
  valIndices: Int32Array;
}

/** Rows of a size option: a fraction in (0, 1) of n (rounded up, as scikit-learn) or a whole count. */
function rowsFor(op: string, name: string, size: number, n: number): number {
  const rows = size > 0 && size < 1 ? Math.ceil(size * n) : size;
  if (!Number.isInteger(rows) || rows < 1 || rows >= n) {
    throw new ArgumentError(op, `${name} ${size} gives ${rows} of ${n} rows; use a fraction in (0, 1) or a count in 1..${n - 1}`);
  }
  return rows;
}

function labelsOf(op: string, stratify: true | ArrayLike<number> | Tensor, y: Tensor | undefined, n: number): number[] {
  let labels: number[];
  if (stratify === true) {
    if (y === undefined) throw new ArgumentError(op, 'stratify: true needs the data set (its y); with a row count, pass the labels as stratify');
    if (y.rank === 2) {
      const k = y.shape[1]!;
      labels = Array.from({ length: n }, (_, i) => {
        let best = 0;
        for (let j = 1; j < k; j++) if (y.data[i * k + j]! > y.data[i * k + best]!) best = j;
        return best;
      });
    } else if (y.rank === 1) labels = Array.from(y.data);
    else throw new ArgumentError(op, `stratify: true needs y of shape [N] (class indices) or [N,K] (one-hot), got rank ${y.rank}; pass the labels instead`);
  } else labels = Array.from(stratify instanceof Tensor ? stratify.data : stratify);
  if (labels.length !== n) throw new ArgumentError(op, `stratify has ${labels.length} labels for ${n} rows`);
  const bad = labels.findIndex((v) => !Number.isInteger(v));
  if (bad >= 0) throw new ArgumentError(op, `stratify needs class labels, but row ${bad} has ${labels[bad]}; regression targets cannot be stratified`);
  return labels;
}

/** Splits rows 0..n-1 into parts of the given sizes (sum n); the last part takes what is left. */
function splitIndices(sizes: number[], labels: number[] | null, rng: Rng, shuffle: boolean): Int32Array[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  if (labels === null) {
    const order = shuffle ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    let start = 0;
    return sizes.map((s) => order.slice(start, (start += s)));
  }
  const groups = new Map<number, number[]>();
  labels.forEach((c, i) => (groups.get(c) ?? groups.set(c, []).get(c)!).push(i));
  const members = [...groups.keys()].sort((a, b) => a - b).map((c) => {
    const rows = groups.get(c)!;
    const p = rng.permutation(rows.length);
    return Array.from(p, (j) => rows[j]!);
  });
  const left = members.map((m) => m.length);
  const parts: number[][] = sizes.map(() => []);
  for (let p = 0; p < sizes.length - 1; p++) {
    const take = allocateCounts(members.map((m) => (m.length * sizes[p]!) / n), left, sizes[p]!);
    members.forEach((m, c) => {
      const from = m.length - left[c]!;
      parts[p]!.push(...m.slice(from, from + take[c]!));
      left[c]! -= take[c]!;
    });
  }
  members.forEach((m, c) => parts[sizes.length - 1]!.push(...m.slice(m.length - left[c]!)));
  return parts.map((rows) => {
    const p = rng.permutation(rows.length);
    return Int32Array.from(p, (j) => rows[j]!);
  });
}

/** Integer counts near `ideal` (largest remainder), each ≤ available, summing to `total`. */
function allocateCounts(ideal: number[], available: number[], total: number): number[] {
  const take = ideal.map((v, c) => Math.min(Math.floor(v), available[c]!));
  let missing = total - take.reduce((a, b) => a + b, 0);
  const byRemainder = ideal.map((v, c) => c).sort((a, b) => (ideal[b]! - Math.floor(ideal[b]!)) - (ideal[a]! - Math.floor(ideal[a]!)) || a - b);
  while (missing > 0) {
    let moved = false;
    for (const c of byRemainder) {
      if (missing > 0 && take[c]! < available[c]!) {
        take[c]!++;
        missing--;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return take;
}

function doSplit(op: string, data: Dataset | { x: Tensor; y: Tensor }, sizes: number[], opts: SplitOptions): { ds: Dataset; parts: Int32Array[] } {
  const ds = data instanceof Dataset ? data : new Dataset(data.x, data.y);
  const shuffle = opts.shuffle ?? true;
  const strat = opts.stratify ?? false;
  if (strat !== false && !shuffle) throw new ArgumentError(op, 'stratify needs shuffle: true (a stratified split draws rows per class)');
  const labels = strat === false ? null : labelsOf(op, strat, ds.y, ds.length);
  const rng = opts.rng ?? new Rng(opts.seed ?? 0);
  return { ds, parts: splitIndices(sizes, labels, rng, shuffle) };
}

/**
 * Splits a data set into train and test parts (testSize: fraction, default 0.25, or a row count).
 *
 * @example
 * const { train, test } = trainTestSplit({ x, y }, { testSize: 0.2, seed: 42, stratify: true });
 */
export function trainTestSplit(data: Dataset | { x: Tensor; y: Tensor }, opts: SplitOptions & { testSize?: number } = {}): TrainTestSplit {
  const op = 'trainTestSplit';
  const n = data.x.shape[0] ?? 0;
  const test = rowsFor(op, 'testSize', opts.testSize ?? 0.25, n);
  const { ds, parts } = doSplit(op, data, [n - test, test], opts);
  const [trainIndices, testIndices] = parts as [Int32Array, Int32Array];
  return { train: ds.subset(trainIndices), test: ds.subset(testIndices), trainIndices, testIndices };
}

/**
 * Splits a data set into train, validation and test parts (sizes as fractions of all rows or counts;
 * defaults 0.15 and 0.15).
 *
 * @example
 * const { train, val, test } = trainValTestSplit(ds, { valSize: 0.1, testSize: 0.2, seed: 0, stratify: true });
 */
export function trainValTestSplit(data: Dataset | { x: Tensor; y: Tensor }, opts: SplitOptions & { valSize?: number; testSize?: number } = {}): TrainValTestSplit {
  const op = 'trainValTestSplit';
  const n = data.x.shape[0] ?? 0;
  const test = rowsFor(op, 'testSize', opts.testSize ?? 0.15, n);
  const val = rowsFor(op, 'valSize', opts.valSize ?? 0.15, n);
  if (test + val >= n) throw new ArgumentError(op, `valSize and testSize take ${val} + ${test} of ${n} rows, leaving none to train on; make them smaller`);
  const { ds, parts } = doSplit(op, data, [n - val - test, val, test], opts);
  const [trainIndices, valIndices, testIndices] = parts as [Int32Array, Int32Array, Int32Array];
  return { train: ds.subset(trainIndices), val: ds.subset(valIndices), test: ds.subset(testIndices), trainIndices, valIndices, testIndices };
}

/** One fold of a K-fold split: the rows it trains on (every other fold) and the rows it validates on. */
export interface Fold {
  trainIndices: Int32Array;
  valIndices: Int32Array;
}

/**
 * K folds over a data set's rows (scikit-learn's KFold / StratifiedKFold): a seeded shuffle, then
 * every row in exactly one validation fold, fold sizes within one row of each other. Stratified
 * (`stratify: true` or labels), each class's rows are shuffled and dealt round-robin over the folds,
 * so every fold holds ⌊m/K⌋ or ⌈m/K⌉ of a class with m rows — its class shares close to the whole's.
 * Fold k trains on the other K − 1 folds' rows (in fold order). `data` may be a row count n (rows
 * 0..n-1; stratify then takes the labels).
 *
 * @example
 * const folds = kFoldSplits({ x, y }, { folds: 5, seed: 0, stratify: true });
 * const { trainIndices, valIndices } = folds[2]!;   // train on ds.subset(trainIndices), validate on ds.subset(valIndices)
 */
export function kFoldSplits(data: Dataset | { x: Tensor; y: Tensor } | number, opts: SplitOptions & { folds: number }): Fold[] {
  const op = 'kFoldSplits';
  const n = typeof data === 'number' ? data : data.x.shape[0] ?? 0, k = opts.folds;
  if (!Number.isInteger(k) || k < 2) throw new ArgumentError(op, `folds must be an integer >= 2, got ${k}; one fold would leave no rows to train on`);
  if (k > n) throw new ArgumentError(op, `folds ${k} is more than the ${n} rows; use at most ${n} folds`);
  const shuffle = opts.shuffle ?? true, strat = opts.stratify ?? false;
  if (strat !== false && !shuffle) throw new ArgumentError(op, 'stratify needs shuffle: true (a stratified split draws rows per class)');
  const rng = opts.rng ?? new Rng(opts.seed ?? 0);
  let order: number[];
  if (strat === false) {
    order = shuffle ? Array.from(rng.permutation(n)) : Array.from({ length: n }, (_, i) => i);
  } else {
    const labels = labelsOf(op, strat, typeof data === 'number' ? undefined : data.y, n);
    const groups = new Map<number, number[]>();
    labels.forEach((c, i) => (groups.get(c) ?? groups.set(c, []).get(c)!).push(i));
    const classes = [...groups.keys()].sort((a, b) => a - b);
    const small = classes.find((c) => groups.get(c)!.length < k);
    if (small !== undefined) throw new ArgumentError(op, `class ${small} has ${groups.get(small)!.length} rows, fewer than the ${k} folds, so some validation folds would lack it; use at most ${groups.get(small)!.length} folds or stratify: false`);
    order = classes.flatMap((c) => { const rows = groups.get(c)!; return Array.from(rng.permutation(rows.length), (j) => rows[j]!); });
  }
  const parts: number[][] = Array.from({ length: k }, () => []);
  if (strat === false) {
    let start = 0;
    for (let f = 0; f < k; f++) { const size = Math.floor(n / k) + (f < n % k ? 1 : 0); parts[f]!.push(...order.slice(start, (start += size))); }
  } else order.forEach((row, j) => parts[j % k]!.push(row));
  const folds = parts.map((rows) => (strat === false ? Int32Array.from(rows) : Int32Array.from(rng.permutation(rows.length), (j) => rows[j]!)));
  return folds.map((valIndices, f) => ({ trainIndices: Int32Array.from(folds.flatMap((p, g) => (g === f ? [] : Array.from(p)))), valIndices }));
}

/**
 * One-hot encodes class indices: labels [N] → [N, numClasses] (numClasses defaults to max label + 1).
 *
 * @example
 * oneHot([2, 0], 3).toArray()   // [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot(labels: ArrayLike<number> | Tensor, numClasses?: number, opts: { dtype?: DType } = {}): Tensor {
  const src = labels instanceof Tensor ? labels.data : labels;
  if (labels instanceof Tensor && labels.rank !== 1) throw new ArgumentError('oneHot', `labels must be 1-D [N], got rank ${labels.rank}`);
  const n = src.length;
  let k = numClasses ?? 0;
  if (numClasses === undefined) for (let i = 0; i < n; i++) k = Math.max(k, src[i]! + 1);
  if (!Number.isInteger(k) || k < 1) throw new ArgumentError('oneHot', `numClasses must be a positive integer, got ${numClasses ?? k}`);
  const out = allocate(opts.dtype ?? getDefaultDType(), n * k);
  for (let i = 0; i < n; i++) {
    const c = src[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= k) throw new ArgumentError('oneHot', `label ${c} at position ${i} is not a class index in 0..${k - 1}`);
    out[i * k + c] = 1;
  }
  return new Tensor(out, [n, k]);
}
