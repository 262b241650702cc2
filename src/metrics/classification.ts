// Label-based classification metrics: accuracy and the confusion matrix (as scikit-learn computes them).
import { ArgumentError } from '../core/errors.js';
import { type VectorInput, toVector, checkPair, checkLabels, uniqueSorted, checkLabelList } from './input.js';

/**
 * Reads and validates a yTrue / yPred label pair: equal non-zero lengths, integer labels.
 *
 * @example
 * const [t, p] = readLabelPair('accuracy', [0, 1], [1, 1]); // Float64Arrays
 */
export function readLabelPair(fn: string, yTrue: VectorInput, yPred: VectorInput): [Float64Array, Float64Array] {
  const t = toVector(fn, 'yTrue', yTrue);
  const p = toVector(fn, 'yPred', yPred);
  checkPair(fn, t, p);
  checkLabels(fn, 'yTrue', t);
  checkLabels(fn, 'yPred', p);
  return [t, p];
}

export interface AccuracyOptions {
  /** When false, return the number of correct predictions instead of the fraction (default true). */
  normalize?: boolean;
}

/**
 * Fraction of samples whose predicted label equals the true label (sklearn `accuracy_score`).
 *
 * @example
 * accuracy([0, 1, 2, 2], [0, 2, 2, 2]); // 0.75
 * accuracy([0, 1], [0, 0], { normalize: false }); // 1
 */
export function accuracy(yTrue: VectorInput, yPred: VectorInput, opts: AccuracyOptions = {}): number {
  const [t, p] = readLabelPair('accuracy', yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) correct++;
  return opts.normalize === false ? correct : correct / t.length;
}

export interface ConfusionMatrixOptions {
  /** Row/column order; default: sorted union of the labels in yTrue and yPred. Other labels are ignored. */
  labels?: readonly number[];
  /** Normalise over true labels (rows), predicted labels (columns) or all samples; default: raw counts. */
  normalize?: 'true' | 'pred' | 'all';
}

/**
 * Confusion matrix C where C[i][j] counts samples with true label labels[i] predicted as labels[j]
 * (sklearn `confusion_matrix`).
 *
 * @example
 * confusionMatrix([0, 1, 1], [0, 0, 1]); // [[1, 0], [1, 1]]
 * confusionMatrix([0, 1, 1], [0, 0, 1], { labels: [1, 0] }); // [[1, 1], [0, 1]]
 */
export function confusionMatrix(yTrue: VectorInput, yPred: VectorInput, opts: ConfusionMatrixOptions = {}): number[][] {
  const fn = 'confusionMatrix';
  const [t, p] = readLabelPair(fn, yTrue, yPred);
  const labels = opts.labels === undefined ? uniqueSorted(t, p) : checkLabelList(fn, opts.labels);
  const index = new Map<number, number>();
  labels.forEach((l, i) => index.set(l, i));
  if (opts.labels !== undefined && !t.some((v) => index.has(v))) {
    throw new ArgumentError(fn, `none of labels [${labels.join(', ')}] occurs in yTrue; at least one must`);
  }
  const k = labels.length;
  const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) {
    const r = index.get(t[i]!);
    const c = index.get(p[i]!);
    if (r !== undefined && c !== undefined) cm[r]![c]!++;
  }
  return opts.normalize === undefined ? cm : normalizeMatrix(cm, opts.normalize);
}

function normalizeMatrix(cm: number[][], how: 'true' | 'pred' | 'all'): number[][] {
  const k = cm.length;
  if (how === 'all') {
    const total = cm.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
    return cm.map((row) => row.map((v) => (total === 0 ? 0 : v / total)));
  }
  if (how === 'true') {
    return cm.map((row) => {
      const s = row.reduce((a, b) => a + b, 0);
      return row.map((v) => (s === 0 ? 0 : v / s));
    });
  }
  if (how === 'pred') {
    const colSums = new Array<number>(k).fill(0);
    for (const row of cm) row.forEach((v, j) => (colSums[j]! += v));
    return cm.map((row) => row.map((v, j) => (colSums[j] === 0 ? 0 : v / colSums[j]!)));
  }
  throw new ArgumentError('confusionMatrix', `normalize must be 'true', 'pred' or 'all', got ${String(how)}`);
}
