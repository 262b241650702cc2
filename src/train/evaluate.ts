// predict / predictRaw / evaluate: batched no-grad inference and scoring, and the row-count check
// that fit and evaluate share.
import { type NestedArray, type Tensor, asTensor } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { noGrad } from '../autograd/graph.js';
import { concat, narrow } from '../ops/movement.js';
import type { Module } from '../nn/module.js';
import { inferEval } from '../nn/infer.js';
import { inferCaptured } from './compile.js';
import { checkOptions as checkOptionKeys } from '../core/options.js';
import type { MetricsFn, TrainableHead } from './fit.js';

/**
 * Checks that inputs and targets have the same, non-zero number of rows; `what` names the data set.
 * @example checkData(x, y, 'validation');
 */
export function checkData(x: Tensor, y: Tensor, what: string): void {
  if (x.rank < 1 || y.rank < 1 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError('fit', `${what} inputs ${fmtShape(x.shape)} and targets ${fmtShape(y.shape)} must have the same number of rows`);
  }
  if (x.shape[0] === 0) throw new ArgumentError('fit', `${what} data is empty`);
}

/**
 * Runs the model over `x` in eval mode and batches, without recording gradients; returns raw outputs.
 * The pure form `apply(params, x, { mode: 'eval', state })`: the model (its mode flags included) is
 * not touched. Sequentials of Linear, the built-in activations, Dropout and BatchNorm1d take the
 * fused no-grad path of nn/infer.ts (bit-identical results, always a fresh output tensor).
 * With `capture` (default true) each chunk shape runs as a captured step (train/compile.ts:
 * bit-identical, replayed from the third call of a shape on; eager where it does not apply).
 * @example const logits = predictRaw(model, x);
 */
export function predictRaw(model: Module, input: Tensor | NestedArray, batchSize = 1024, capture = true): Tensor {
  const x = asTensor(input, 'predict', 'x');
  return noGrad(() => {
    const n = x.shape[0]!;
    const parts: Tensor[] = [];
    for (let i = 0; i < n; i += batchSize) {
      const chunk = n <= batchSize ? x : narrow(x, 0, i, Math.min(batchSize, n - i));
      parts.push(capture ? inferCaptured(model, chunk) : inferEval(model, chunk));
    }
    return concat(parts, 0);
  });
}

/**
 * Predictions through the head's output activation (probabilities or values).
 * @example const probs = predict(model, head, x);
 */
export function predict(model: Module, head: TrainableHead, x: Tensor | NestedArray, batchSize = 1024): Tensor {
  return noGrad(() => head.activate(predictRaw(model, x, batchSize)));
}

/**
 * Loss and metrics of `model` on (x, y).
 * @example evaluate(model, head, xTest, yTest, { metrics: metricsFor(head) })
 */
export function evaluate(model: Module, head: TrainableHead, xs: Tensor | NestedArray, ys: Tensor | NestedArray, opts: { metrics?: MetricsFn; batchSize?: number } = {}): { loss: number; metrics: Record<string, number> } {
  checkOptionKeys('evaluate', opts, ['metrics', 'batchSize']);
  const x = asTensor(xs, 'evaluate', 'x'), y = asTensor(ys, 'evaluate', 'y');
  checkData(x, y, 'evaluation');
  head.checkTargets(y);
  const raw = predictRaw(model, x, opts.batchSize);
  const loss = noGrad(() => head.loss(raw, y)).item();
  return { loss, metrics: opts.metrics ? opts.metrics(y, raw) : {} };
}
