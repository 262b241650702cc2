// The test-set views of report.html computed from the final model: per-class table, ROC curves
// (binary, and one-vs-rest for multiclass), and predicted-vs-actual pairs for regression.
import { noGrad } from '../../../autograd/graph.js';
import { predictRaw } from '../../../train/fit.js';
import { softmax } from '../../../ops/softmax.js';
import { argmax } from '../../../ops/reduce.js';
import { classificationReport, rocCurve, auc, type ClassificationReport } from '../../../metrics/index.js';
import type { ModelBundle } from '../../../io/model.js';
import type { Split } from '../data-source.js';

/** One ROC curve: the class it is for (positive class / one-vs-rest) and its AUC. */
export interface RocSeries { name: string; fpr: number[]; tpr: number[]; auc: number }

/** What the report shows about the test split beyond the scalar metrics. */
export interface TestViews {
  classes?: ClassificationReport;
  roc?: RocSeries[];
  regression?: { actual: number[]; predicted: number[] };
}

/**
 * Per-class report and ROC curves (classification) or predicted/actual pairs in the target's units
 * (single-output regression) for `bundle` on `split`; `{}` for other heads.
 * @example const v = testViews(bundle, data.test, ['cat', 'dog']);   // { classes, roc: [{ name: 'dog', auc: 0.93, ... }] }
 */
export function testViews(bundle: ModelBundle, split: Split, names: readonly string[] = []): TestViews {
  const head = bundle.head.toJSON();
  const x = bundle.scaler ? bundle.scaler.transform(split.x) : split.x;
  const raw = noGrad(() => predictRaw(bundle.module, x));
  const y = split.y.toFlat();
  if (head.kind === 'binary') {
    const truth = y.map((v) => (v > 0 ? 1 : 0)), score = raw.toFlat(), pred = score.map((s) => (s > 0 ? 1 : 0));
    const classes = classificationReport(truth, pred, { labels: [0, 1], classNames: names.length === 2 ? names : ['0', '1'] });
    return { classes, ...(new Set(truth).size === 2 ? { roc: [curve(names[1] ?? 'positive', truth, score)] } : {}) };
  }
  if (head.kind === 'multiclass') {
    const k = head.numClasses, pred = noGrad(() => argmax(raw, -1).toFlat());
    const probs = noGrad(() => softmax(raw, -1).toFlat());
    const label = (c: number): string => names[c] ?? String(c);
    const classes = classificationReport(y, pred, { labels: Array.from({ length: k }, (_, c) => c), classNames: Array.from({ length: k }, (_, c) => label(c)) });
    const roc = Array.from({ length: k }, (_, c) => c).filter((c) => y.includes(c) && y.some((v) => v !== c))
      .map((c) => curve(label(c), y.map((v) => (v === c ? 1 : 0)), probs.filter((_, i) => i % k === c)));
    return { classes, roc };
  }
  if (head.kind === 'regression') {
    const pred = noGrad(() => bundle.head.activate(raw));
    const predicted = (bundle.schema ? bundle.schema.unscaleTarget(pred) : pred).toFlat();
    return { regression: { actual: y, predicted } };
  }
  return {};
}

function curve(name: string, truth: number[], score: number[]): RocSeries {
  const r = rocCurve(truth, score, { dropIntermediate: true });
  return { name, fpr: r.fpr, tpr: r.tpr, auc: auc(r.fpr, r.tpr) };
}
