// Scoring a model bundle on raw data: features through the saved scaler, targets through the saved
// target scaler, regression metrics back in the target's original units.
import { evaluate, type MetricsFn } from '../../train/fit.js';
import { metricsFor, metricsForHead } from '../../train/metrics.js';
import type { ModelBundle } from '../../io/model.js';
import type { Split } from './data-source.js';

/**
 * The metrics of a bundle's head; for regression with a saved target scaler, y and predictions are
 * inverse-transformed first, so MSE/MAE/R² are in the target's original units.
 * @example fit({ ...options, metrics: bundleMetrics(bundle) })
 */
export function bundleMetrics(bundle: Pick<ModelBundle, 'head' | 'schema'>): MetricsFn {
  const { head, schema } = bundle;
  if (head.toJSON().kind !== 'regression' || schema === undefined) return metricsForHead(head);
  const original = metricsFor({ task: 'regression', activate: (raw) => schema.unscaleTarget(head.activate(raw)) });
  return (y, raw) => original(schema.unscaleTarget(y), raw);
}

/**
 * Loss and metrics of a saved or fresh bundle on raw (unscaled) data — the one path train and eval
 * share. The loss is the training objective (on the standardised target for regression).
 * @example const m = evaluateBundle(bundle, { x, y });   // { loss, mse, mae, r2 } or { loss, accuracy, … }
 */
export function evaluateBundle(bundle: ModelBundle, split: Split): Record<string, number> {
  const x = bundle.scaler ? bundle.scaler.transform(split.x) : split.x;
  const y = bundle.schema ? bundle.schema.scaleTarget(split.y) : split.y;
  const r = evaluate(bundle.module, bundle.head, x, y, { metrics: bundleMetrics(bundle) });
  return { loss: r.loss, ...r.metrics };
}
