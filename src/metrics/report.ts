// classificationReport: per-class precision/recall/F1/support plus accuracy and macro/weighted averages.
import { ArgumentError } from '../core/errors.js';
import { type VectorInput, checkLabelList } from './input.js';
import { readLabelPair } from './classification.js';
import { precision, recall, f1Score, precisionRecallFscoreSupport } from './prf.js';

/** Scores of one class or one average. */
export interface ReportRow {
  precision: number;
  recall: number;
  f1: number;
  /** True samples counted (for averages: the total over the reported classes). */
  support: number;
}

/** The result of classificationReport: a plain, JSON-serialisable object. */
export interface ClassificationReport {
  classes: (ReportRow & { label: number; name: string })[];
  /** Fraction of all samples predicted correctly. */
  accuracy: number;
  macroAvg: ReportRow;
  weightedAvg: ReportRow;
}

export interface ClassificationReportOptions {
  /**
   * Display names indexed by label value (classNames[k] names label k). When given without `labels`,
   * the report lists labels 0..classNames.length-1, including classes that never occur.
   */
  classNames?: readonly string[];
  /** Labels to report, in order; default: sorted labels present in yTrue or yPred (or all named classes). */
  labels?: readonly number[];
  /** Value for undefined ratios: 0 (default), 1 or NaN (see precision). */
  zeroDivision?: number;
}

function resolveLabels(fn: string, t: Float64Array, p: Float64Array, opts: ClassificationReportOptions): number[] | undefined {
  const names = opts.classNames;
  if (opts.labels !== undefined) return checkLabelList(fn, opts.labels);
  if (names === undefined) return undefined;
  if (names.length === 0) throw new ArgumentError(fn, 'classNames is empty; pass one name per class or leave it out');
  for (const [name, y] of [['yTrue', t], ['yPred', p]] as const) {
    const i = y.findIndex((v) => v < 0 || v >= names.length);
    if (i >= 0) throw new ArgumentError(fn, `${name}[${i}] = ${y[i]} has no entry in classNames (${names.length} names for labels 0..${names.length - 1})`);
  }
  return names.map((_, k) => k);
}

/**
 * Per-class precision, recall, F1 and support with accuracy and macro / weighted averages
 * (sklearn `classification_report(..., output_dict=True)`). Use formatClassificationReport for text.
 *
 * @example
 * const r = classificationReport([0, 1, 2, 2], [0, 2, 2, 1], { classNames: ['cat', 'dog', 'bird'] });
 * r.classes[2]; // { label: 2, name: 'bird', precision: 0.5, recall: 0.5, f1: 0.5, support: 2 }
 * r.accuracy;   // 0.5
 */
export function classificationReport(yTrue: VectorInput, yPred: VectorInput, opts: ClassificationReportOptions = {}): ClassificationReport {
  const fn = 'classificationReport';
  const [t, p] = readLabelPair(fn, yTrue, yPred);
  const labels = resolveLabels(fn, t, p, opts);
  const common = { labels, zeroDivision: opts.zeroDivision };
  const per = precisionRecallFscoreSupport(t, p, common);
  const names = opts.classNames;
  const classes = per.labels.map((label, i) => ({
    label,
    name: names?.[label] ?? String(label),
    precision: per.precision[i]!,
    recall: per.recall[i]!,
    f1: per.fscore[i]!,
    support: per.support[i]!,
  }));
  const total = per.support.reduce((a, b) => a + b, 0);
  const avg = (average: 'macro' | 'weighted'): ReportRow => ({
    precision: precision(t, p, { ...common, average }),
    recall: recall(t, p, { ...common, average }),
    f1: f1Score(t, p, { ...common, average }),
    support: total,
  });
  let correct = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) correct++;
  return { classes, accuracy: correct / t.length, macroAvg: avg('macro'), weightedAvg: avg('weighted') };
}

/**
 * Renders a classification report as an aligned text table (sklearn's text layout).
 *
 * @example
 * console.log(formatClassificationReport(classificationReport([0, 1, 1], [0, 1, 0])));
 */
export function formatClassificationReport(report: ClassificationReport, digits = 2): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 15) {
    throw new ArgumentError('formatClassificationReport', `digits must be an integer in 0..15, got ${digits}`);
  }
  const rowNames = [...report.classes.map((c) => c.name), 'weighted avg'];
  const width = Math.max(...rowNames.map((n) => n.length), digits);
  const num = (v: number): string => v.toFixed(digits).padStart(Math.max(9, digits + 2));
  const line = (name: string, r: ReportRow): string =>
    `${name.padStart(width)} ${num(r.precision)} ${num(r.recall)} ${num(r.f1)} ${String(r.support).padStart(9)}`;
  const head = `${''.padStart(width)} ${'precision'.padStart(9)} ${'recall'.padStart(9)} ${'f1-score'.padStart(9)} ${'support'.padStart(9)}`;
  const total = report.macroAvg.support;
  const acc = `${'accuracy'.padStart(width)} ${''.padStart(9)} ${''.padStart(9)} ${num(report.accuracy)} ${String(total).padStart(9)}`;
  return [head, '', ...report.classes.map((c) => line(c.name, c)), '', acc, line('macro avg', report.macroAvg), line('weighted avg', report.weightedAvg), ''].join('\n');
}
