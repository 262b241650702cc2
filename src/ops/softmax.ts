// Softmax and log-softmax along an axis, with an optional temperature (losses, heads and nn.functional use them).
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import { div, exp } from './elementwise.js';
import { run } from './dispatch.js';

/** A temperature: a number (fixed) or a one-element tensor (learnable). */
export type Temperature = number | Tensor;

function scaled(x: Tensor, temperature: Temperature): Tensor {
  if (typeof temperature === 'number') {
    if (!(temperature > 0)) throw new ArgumentError('softmax', `temperature must be positive, got ${temperature}`);
    return temperature === 1 ? x : div(x, temperature);
  }
  return div(x, temperature);
}

/**
 * log softmax(x/τ) along `axis`, computed as x/τ - logsumexp(x/τ) (never -inf from underflow).
 * @example logSoftmax(logits, -1)
 */
export function logSoftmax(x: Tensor, axis = -1, temperature: Temperature = 1): Tensor {
  return run('logSoftmax', [scaled(x, temperature)], { axis: normAxis('logSoftmax', axis, x.rank) });
}

/**
 * softmax(x/τ)_i = e^{x_i/τ} / Σ_j e^{x_j/τ} along `axis`. Small τ sharpens towards argmax, large
 * τ flattens towards uniform; τ may be a learnable tensor.
 * @example softmax(tensor([1, 2, 3]), -1, 0.5)
 */
export function softmax(x: Tensor, axis = -1, temperature: Temperature = 1): Tensor {
  return exp(logSoftmax(x, axis, temperature));
}
