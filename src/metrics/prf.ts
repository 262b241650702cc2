// Precision, recall and F-scores (binary, macro, micro, weighted, per-class) matching scikit-learn.
import { ArgumentError } from '../core/errors.js';
import { type VectorInput, uniqueSorted, checkLabelList } from './input.js';
import { readLabelPair } from './classification.js';

/** How per-class scores are combined: sklearn's `average` (`'none'` = sklearn's `None`, a per-class array). */
export type Average = 'binary' | 'macro' | 'micro' | 'weighted' | 'none';

/** Options that average to a single number (any average but 'none'). */
export type AveragedPrfOptions = PrfOptions & { average?: Exclude<Average, 'none'> };

export interface PrfOptions {
  /** Default 'binary' (as sklearn): score only `posLabel`; multiclass data then needs another average. */
  average?: Average;
  /** The positive class for average 'binary' (default 1). */
  posLabel?: number;
  /** Labels to score (and their order for 'none'); default: sorted labels present in yTrue or yPred. */
  labels?: readonly number[];
  /** Value for an undefined ratio (0/0): 0 (default, sklearn's 'warn'), 1, or NaN (NaN classes are skipped when averaging). */
  zeroDivision?: number;
}

/** Per-class precision, recall, F-beta and support, in the order of `labels`. */
export interface PerClassScores {
  labels: number[];
  precision: number[];
  recall: number[];
  fscore: number[];
  /** Number of true samples of each label. */
  support: number[];
}

interface Counts {
  labels: number[];
  tp: number[];
  predSum: number[];
  trueSum: number[];
}

function checkZeroDivision(fn: string, z: number | undefined): number {
  const v = z ?? 0;
  if (v !== 0 && v !== 1 && !Number.isNaN(v)) throw new ArgumentError(fn, `zeroDivision must be 0, 1 or NaN, got ${v}`);
  return v;
}

/** Chooses the labels to score, applying sklearn's rules for average 'binary'. */
function chooseLabels(fn: string, t: Float64Array, p: Float64Array, opts: PrfOptions): number[] {
  const present = uniqueSorted(t, p);
  const average = opts.average ?? 'binary';
  if (average === 'binary') {
    if (present.length > 2) {
      throw new ArgumentError(fn, `yTrue/yPred hold ${present.length} classes [${present.join(', ')}] but average is 'binary'; choose average 'macro', 'micro', 'weighted' or 'none'`);
    }
    const pos = opts.posLabel ?? 1;
    if (!present.includes(pos) && present.length >= 2) {
      throw new ArgumentError(fn, `posLabel=${pos} is not a valid label; it should be one of [${present.join(', ')}]`);
    }
    return [pos];
  }
  if (!['macro', 'micro', 'weighted', 'none'].includes(average)) {
    throw new ArgumentError(fn, `average must be 'binary', 'macro', 'micro', 'weighted' or 'none', got ${String(average)}`);
  }
  return opts.labels === undefined ? present : checkLabelList(fn, opts.labels);
}

function countPerLabel(t: Float64Array, p: Float64Array, labels: number[]): Counts {
  const index = new Map<number, number>();
  labels.forEach((l, i) => index.set(l, i));
  const k = labels.length;
  const tp = new Array<number>(k).fill(0);
  const predSum = new Array<number>(k).fill(0);
  const trueSum = new Array<number>(k).fill(0);
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]!);
    const b = index.get(p[i]!);
    if (a !== undefined) trueSum[a]!++;
    if (b !== undefined) predSum[b]!++;
    if (a !== undefined && t[i] === p[i]) tp[a]!++;
  }
  return { labels, tp, predSum, trueSum };
}

const divide = (num: number, den: number, zero: number): number => (den === 0 ? zero : num / den);

function scoresFromCounts(c: Counts, beta: number, zero: number): Omit<PerClassScores, 'labels' | 'support'> {
  const b2 = beta * beta;
  const precision = c.tp.map((tp, i) => divide(tp, c.predSum[i]!, zero));
  const recall = c.tp.map((tp, i) => divide(tp, c.trueSum[i]!, zero));
  let fscore: number[];
  if (beta === Infinity) fscore = recall;
  else if (beta === 0) fscore = precision;
  else fscore = c.tp.map((tp, i) => divide((1 + b2) * tp, b2 * c.trueSum[i]! + c.predSum[i]!, zero));
  return { precision, recall, fscore };
}

/** Mean of `values` weighted by `weights` (or plain), skipping NaN entries as sklearn's `_nanaverage`. */
function nanAverage(values: number[], weights?: number[]): number {
  const keep = values.map((v, i) => i).filter((i) => !Number.isNaN(values[i]!));
  if (keep.length === 0) return NaN;
  if (weights !== undefined) {
    let num = 0;
    let den = 0;
    for (const i of keep) {
      num += weights[i]! * values[i]!;
      den += weights[i]!;
    }
    if (den > 0) return num / den;
  }
  // No weights, or all weights zero (sklearn then falls back to the plain mean).
  return keep.reduce((s, i) => s + values[i]!, 0) / keep.length;
}

type Which = 'precision' | 'recall' | 'fscore';

/** Precision/recall/F for one averaging mode: the shared engine behind precision, recall and fbetaScore. */
function prf(fn: string, which: Which, yTrue: VectorInput, yPred: VectorInput, beta: number, opts: PrfOptions): number | number[] {
  const zero = checkZeroDivision(fn, opts.zeroDivision);
  const [t, p] = readLabelPair(fn, yTrue, yPred);
  const labels = chooseLabels(fn, t, p, opts);
  let c = countPerLabel(t, p, labels);
  const average = opts.average ?? 'binary';
  if (average === 'micro') {
    const total = (a: number[]): number[] => [a.reduce((x, y) => x + y, 0)];
    c = { labels: [NaN], tp: total(c.tp), predSum: total(c.predSum), trueSum: total(c.trueSum) };
  }
  if (average === 'weighted' && c.trueSum.every((v) => v === 0)) {
    // sklearn: no true samples of any scored label.
    if (c.predSum.every((v) => v === 0)) return zero;
    return which === 'recall' ? zero : 0;
  }
  const scores = scoresFromCounts(c, beta, zero)[which];
  if (average === 'none') return scores;
  if (average === 'binary' || average === 'micro') return scores[0]!;
  return nanAverage(scores, average === 'weighted' ? c.trueSum : undefined);
}

/**
 * Precision tp / (tp + fp) (sklearn `precision_score`).
 *
 * @example
 * precision([0, 1, 1, 0], [0, 1, 0, 1]); // 0.5 (binary, posLabel 1)
 * precision([0, 1, 2, 2], [0, 2, 2, 1], { average: 'macro' }); // (1 + 0 + 0.5) / 3
 * precision([0, 1, 2], [0, 1, 1], { average: 'none' }); // [1, 0.5, 0]
 */
export function precision(yTrue: VectorInput, yPred: VectorInput, opts: PrfOptions & { average: 'none' }): number[];
export function precision(yTrue: VectorInput, yPred: VectorInput, opts?: AveragedPrfOptions): number;
export function precision(yTrue: VectorInput, yPred: VectorInput, opts: PrfOptions): number | number[];
export function precision(yTrue: VectorInput, yPred: VectorInput, opts: PrfOptions = {}): number | number[] {
  return prf('precision', 'precision', yTrue, yPred, 1, opts);
}

/**
 * Recall tp / (tp + fn) (sklearn `recall_score`).
 *
 * @example
 * recall([0, 1, 1, 0], [0, 1, 0, 1]); // 0.5
 * recall([0, 1, 2, 2], [0, 2, 2, 1], { average: 'micro' }); // 0.5
 */
export function recall(yTrue: VectorInput, yPred: VectorInput, opts: PrfOptions & { average: 'none' }): number[];
export function recall(yTrue: VectorInput, yPred: VectorInput, opts?: AveragedPrfOptions): number;
export function recall(yTrue: VectorInput, yPred: VectorInput, opts: PrfOptions): number | number[];
export function recall(yTrue: VectorInput, yPred: VectorInput, opts: PrfOptions = {}): number | number[] {
  return prf('recall', 'recall', yTrue, yPred, 1, opts);
}

/**
 * F1 score 2·tp / (2·tp + fp + fn), the harmonic mean of precision and recall (sklearn `f1_score`).
 *
 * @example
 * f1Score([0, 1, 1, 0], [0, 1, 0, 1]); // 0.5
 * f1Score([0, 1, 2, 2], [0, 2, 2, 1], { average: 'weighted' });
 */
export function f1Score(yTrue: VectorInput, yPred: VectorInput, opts: PrfOptions & { average: 'none' }): number[];
export function f1Score(yTrue: VectorInput, yPred: VectorInput, opts?: AveragedPrfOptions): number;
export function f1Score(yTrue: VectorInput, yPred: VectorInput, opts: PrfOptions): number | number[];
export function f1Score(yTrue: VectorInput, yPred: VectorInput, opts: PrfOptions = {}): number | number[] {
  return prf('f1Score', 'fscore', yTrue, yPred, 1, opts);
}

/**
 * F-beta score (1+β²)·tp / ((1+β²)·tp + β²·fn + fp); β > 1 favours recall (sklearn `fbeta_score`).
 *
 * @example
 * fbetaScore([0, 1, 1, 0], [0, 1, 0, 1], 2); // 0.5
 */
export function fbetaScore(yTrue: VectorInput, yPred: VectorInput, beta: number, opts: PrfOptions & { average: 'none' }): number[];
export function fbetaScore(yTrue: VectorInput, yPred: VectorInput, beta: number, opts?: AveragedPrfOptions): number;
export function fbetaScore(yTrue: VectorInput, yPred: VectorInput, beta: number, opts: PrfOptions): number | number[];
export function fbetaScore(yTrue: VectorInput, yPred: VectorInput, beta: number, opts: PrfOptions = {}): number | number[] {
  if (!(beta >= 0)) throw new ArgumentError('fbetaScore', `beta must be >= 0, got ${beta}`);
  return prf('fbetaScore', 'fscore', yTrue, yPred, beta, opts);
}

/**
 * Per-class precision, recall, F-beta (default β = 1) and support for every label
 * (sklearn `precision_recall_fscore_support` with `average=None`).
 *
 * @example
 * const s = precisionRecallFscoreSupport([0, 1, 2], [0, 1, 1]);
 * s.labels;  // [0, 1, 2]
 * s.support; // [1, 1, 1]
 */
export function precisionRecallFscoreSupport(
  yTrue: VectorInput,
  yPred: VectorInput,
  opts: Omit<PrfOptions, 'average' | 'posLabel'> & { beta?: number } = {},
): PerClassScores {
  const fn = 'precisionRecallFscoreSupport';
  const beta = opts.beta ?? 1;
  if (!(beta >= 0)) throw new ArgumentError(fn, `beta must be >= 0, got ${beta}`);
  const zero = checkZeroDivision(fn, opts.zeroDivision);
  const [t, p] = readLabelPair(fn, yTrue, yPred);
  const labels = chooseLabels(fn, t, p, { ...opts, average: 'none' });
  const c = countPerLabel(t, p, labels);
  return { labels, ...scoresFromCounts(c, beta, zero), support: c.trueSum };
}
