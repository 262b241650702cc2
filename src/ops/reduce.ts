// Reductions along axes: sum, mean, max/min, argmax/argmin, logsumexp, variance.
import type { Tensor } from '../tensor/tensor.js';
import { normAxes, normAxis } from '../core/shape.js';
import { run } from './dispatch.js';
import { add, div, exp, log, mul, neg, sub } from './elementwise.js';

/** Axes to reduce over: one axis, several, or all when omitted. */
export type Axes = number | readonly number[] | undefined;

/**
 * Sum over `axes` (all when omitted).
 * @example sum(tensor([[1, 2], [3, 4]]), 1) // [3, 7]
 */
export function sum(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return run('sum', [x], { axes: normAxes('sum', axes, x.rank), keepdims });
}

/** Mean over `axes`. @example mean(tensor([1, 2, 3])) // 2 */
export function mean(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  const ax = normAxes('mean', axes, x.rank);
  const count = ax.reduce((n, a) => n * x.shape[a]!, 1);
  return div(sum(x, ax, keepdims), count);
}

/** Maximum over `axes`; ties share the gradient equally (PyTorch's amax). @example max(x, 1) */
export function max(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return run('max', [x], { axes: normAxes('max', axes, x.rank), keepdims });
}

/** Minimum over `axes`. */
export function min(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return neg(max(neg(x), axes, keepdims));
}

/** Index of the maximum along `axis` (float-valued indices, no gradient). @example argmax(logits, 1) */
export function argmax(x: Tensor, axis = -1, keepdims = false): Tensor {
  return run('argmax', [x], { axis: normAxis('argmax', axis, x.rank), keepdims });
}

/** Index of the minimum along `axis`. */
export function argmin(x: Tensor, axis = -1, keepdims = false): Tensor {
  return argmax(neg(x), axis, keepdims);
}

/** log Σ exp(x) over `axes`, shifted by the max so it never overflows. */
export function logsumexp(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  const ax = normAxes('logsumexp', axes, x.rank);
  // The shift is a constant (no gradient needed: the result does not depend on it); ±inf → 0.
  const m = max(x, ax, true).detach().clone();
  for (let i = 0; i < m.size; i++) if (!Number.isFinite(m.data[i]!)) m.data[i] = 0;
  const s = log(sum(exp(sub(x, m)), ax, true));
  const out = add(s, m);
  return keepdims ? out : run('reshape', [out], { shape: x.shape.filter((_, i) => !ax.includes(i)) });
}

/** Variance over `axes` (biased by default, as BatchNorm's normalisation; `unbiased` divides by n-1). */
export function variance(x: Tensor, axes?: Axes, keepdims = false, unbiased = false): Tensor {
  const ax = normAxes('variance', axes, x.rank);
  const n = ax.reduce((c, a) => c * x.shape[a]!, 1);
  const d = sub(x, mean(x, ax, true));
  const ss = sum(mul(d, d), ax, keepdims);
  return div(ss, unbiased ? n - 1 : n);
}
