// ROC curve, trapezoid AUC, and binary / one-vs-rest ROC AUC, tie handling as scikit-learn.
import { ArgumentError } from '../core/errors.js';
import { type VectorInput, type MatrixInput, toVector, toDense, checkPair, checkLabels, checkFinite, uniqueSorted } from './input.js';

/** Points of a ROC curve, ordered by decreasing threshold. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** thresholds[i] gives (fpr[i], tpr[i]) when predicting positive for score >= threshold; thresholds[0] = max score + 1. */
  thresholds: number[];
}

export interface RocCurveOptions {
  /** The positive class; default 1 when yTrue's labels are within {0, 1} or {-1, 1}, otherwise required. */
  posLabel?: number;
  /**
   * Drop points collinear with their neighbours (sklearn's `drop_intermediate`). Default false: every
   * distinct threshold is kept (sklearn's default is true). The area under the curve is the same either way.
   */
  dropIntermediate?: boolean;
}

/** Cumulative counts at each distinct score, highest score first (sklearn `_binary_clf_curve`). */
interface ClfCurve {
  fps: number[];
  tps: number[];
  thresholds: number[];
}

/** Turns yTrue into a 0/1 positive mask, resolving the positive label as sklearn does. */
function positiveMask(fn: string, t: Float64Array, posLabel: number | undefined): Uint8Array {
  checkLabels(fn, 'yTrue', t);
  const classes = uniqueSorted(t);
  if (classes.length > 2) {
    throw new ArgumentError(fn, `yTrue holds ${classes.length} classes [${classes.join(', ')}] but a binary target is needed; for multiclass scores use rocAucScore with [N,C] yScore`);
  }
  let pos = posLabel;
  if (pos === undefined) {
    const ok = classes.every((c) => c === 0 || c === 1) || classes.every((c) => c === -1 || c === 1);
    if (!ok) throw new ArgumentError(fn, `yTrue labels [${classes.join(', ')}] are not {0, 1} or {-1, 1}; pass posLabel to say which is positive`);
    pos = 1;
  }
  const mask = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) mask[i] = t[i] === pos ? 1 : 0;
  return mask;
}

function binaryClfCurve(positive: Uint8Array, score: Float64Array): ClfCurve {
  const order = Array.from(score.keys()).sort((a, b) => score[b]! - score[a]!);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    tp += positive[i]!;
    const next = order[k + 1];
    if (next === undefined || score[next] !== score[i]) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thresholds.push(score[i]!);
    }
  }
  return { fps, tps, thresholds };
}

function dropCollinear(c: ClfCurve): ClfCurve {
  const n = c.fps.length;
  if (n <= 2) return c;
  const keep: number[] = [0];
  for (let i = 1; i < n - 1; i++) {
    const d2f = c.fps[i + 1]! - 2 * c.fps[i]! + c.fps[i - 1]!;
    const d2t = c.tps[i + 1]! - 2 * c.tps[i]! + c.tps[i - 1]!;
    if (d2f !== 0 || d2t !== 0) keep.push(i);
  }
  keep.push(n - 1);
  return { fps: keep.map((i) => c.fps[i]!), tps: keep.map((i) => c.tps[i]!), thresholds: keep.map((i) => c.thresholds[i]!) };
}

function readBinary(fn: string, yTrue: VectorInput, yScore: VectorInput, posLabel: number | undefined): ClfCurve {
  const t = toVector(fn, 'yTrue', yTrue);
  const s = toVector(fn, 'yScore', yScore);
  checkPair(fn, t, s, 'yScore');
  checkFinite(fn, 'yScore', s);
  return binaryClfCurve(positiveMask(fn, t, posLabel), s);
}

/**
 * Receiver operating characteristic curve of a binary problem (sklearn `roc_curve`): false and true
 * positive rates at every distinct score, highest threshold first, starting from (0, 0). When yTrue has
 * no negatives (positives), fpr (tpr) is all NaN, as sklearn returns.
 *
 * @example
 * rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // { fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1], thresholds: [1.8, 0.8, 0.4, 0.35, 0.1] }
 */
export function rocCurve(yTrue: VectorInput, yScore: VectorInput, opts: RocCurveOptions = {}): RocCurve {
  let c = readBinary('rocCurve', yTrue, yScore, opts.posLabel);
  if (opts.dropIntermediate === true) c = dropCollinear(c);
  const fps = [0, ...c.fps];
  const tps = [0, ...c.tps];
  const negatives = fps[fps.length - 1]!;
  const positives = tps[tps.length - 1]!;
  return {
    fpr: fps.map((v) => (negatives === 0 ? NaN : v / negatives)),
    tpr: tps.map((v) => (positives === 0 ? NaN : v / positives)),
    thresholds: [c.thresholds[0]! + 1, ...c.thresholds],
  };
}

/**
 * Area under a curve by the trapezoid rule (sklearn `auc`); x must be monotonic (increasing or decreasing).
 *
 * @example
 * auc([0, 0.5, 1], [0, 0.75, 1]); // 0.625
 */
export function auc(x: VectorInput, y: VectorInput): number {
  const fn = 'auc';
  const xs = toVector(fn, 'x', x);
  const ys = toVector(fn, 'y', y);
  if (xs.length !== ys.length) throw new ArgumentError(fn, `x has ${xs.length} points but y has ${ys.length}; pass one y per x`);
  if (xs.length < 2) throw new ArgumentError(fn, `at least 2 points are needed to compute an area, got ${xs.length}`);
  let up = true;
  let down = true;
  for (let i = 1; i < xs.length; i++) {
    if (xs[i]! < xs[i - 1]!) up = false;
    if (xs[i]! > xs[i - 1]!) down = false;
  }
  if (!up && !down) throw new ArgumentError(fn, 'x is neither increasing nor decreasing; sort the points by x first');
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((xs[i]! - xs[i - 1]!) * (ys[i]! + ys[i - 1]!)) / 2;
  return up ? area : -area;
}

/** Exact ROC AUC from integer counts: one division at the end, ties contribute half. */
function binaryAuc(fn: string, c: ClfCurve): number {
  const n = c.fps[c.fps.length - 1]!;
  const p = c.tps[c.tps.length - 1]!;
  if (n === 0 || p === 0) {
    throw new ArgumentError(fn, `only one class present in yTrue (${p} positives, ${n} negatives); ROC AUC is not defined in that case`);
  }
  let twice = 0;
  let pf = 0;
  let pt = 0;
  for (let i = 0; i < c.fps.length; i++) {
    twice += (c.fps[i]! - pf) * (c.tps[i]! + pt);
    pf = c.fps[i]!;
    pt = c.tps[i]!;
  }
  return twice / (2 * n * p);
}

export interface RocAucOptions {
  /** Positive class for binary yTrue (see rocCurve). */
  posLabel?: number;
  /** One-vs-rest averaging for [N,C] scores with C > 2: 'macro' (default) or 'weighted' by class prevalence. */
  average?: 'macro' | 'weighted';
}

/**
 * Area under the ROC curve (sklearn `roc_auc_score`). Binary: yScore is [N] (or [N,2], column 1 is used).
 * Multiclass: yScore is [N,C] probabilities (rows summing to 1) and the result is the one-vs-rest AUC
 * averaged over classes 0..C-1 (sklearn `multi_class='ovr'`), each of which must occur in yTrue.
 *
 * @example
 * rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * rocAucScore([0, 1, 2], [[0.8, 0.1, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6]]); // 1
 */
export function rocAucScore(yTrue: VectorInput, yScore: MatrixInput, opts: RocAucOptions = {}): number {
  const fn = 'rocAucScore';
  const d = toDense(fn, 'yScore', yScore);
  if (d.cols === 0) return binaryAuc(fn, readBinary(fn, yTrue, d.data, opts.posLabel));
  if (d.cols === 1 || d.cols === 2) {
    const col = d.data.filter((_, i) => i % d.cols === d.cols - 1);
    return binaryAuc(fn, readBinary(fn, yTrue, col, opts.posLabel));
  }
  return ovrAuc(fn, yTrue, d.data, d.rows, d.cols, opts.average ?? 'macro');
}

function ovrAuc(fn: string, yTrue: VectorInput, score: Float64Array, rows: number, cols: number, average: string): number {
  if (average !== 'macro' && average !== 'weighted') throw new ArgumentError(fn, `average must be 'macro' or 'weighted', got ${average}`);
  const t = toVector(fn, 'yTrue', yTrue);
  checkPair(fn, t, { length: rows }, 'yScore');
  checkLabels(fn, 'yTrue', t);
  checkFinite(fn, 'yScore', score);
  const counts = new Array<number>(cols).fill(0);
  t.forEach((v, i) => {
    if (v < 0 || v >= cols) throw new ArgumentError(fn, `yTrue[${i}] = ${v} is outside 0..${cols - 1} (yScore has ${cols} columns)`);
    counts[v]!++;
  });
  const missing = counts.flatMap((c, k) => (c === 0 ? [k] : []));
  if (missing.length > 0) {
    throw new ArgumentError(fn, `class(es) ${missing.join(', ')} never occur in yTrue but yScore has ${cols} columns; one-vs-rest AUC needs every class present`);
  }
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let k = 0; k < cols; k++) s += score[i * cols + k]!;
    if (Math.abs(s - 1) > 1e-8 + 1e-5) {
      throw new ArgumentError(fn, `yScore row ${i} sums to ${s}, not 1; multiclass ROC AUC needs probabilities (apply softmax first)`);
    }
  }
  let total = 0;
  let weightSum = 0;
  for (let k = 0; k < cols; k++) {
    const positive = Uint8Array.from(t, (v) => (v === k ? 1 : 0));
    const column = score.filter((_, i) => i % cols === k);
    const w = average === 'weighted' ? counts[k]! : 1;
    total += w * binaryAuc(fn, binaryClfCurve(positive, column));
    weightSum += w;
  }
  return total / weightSum;
}
