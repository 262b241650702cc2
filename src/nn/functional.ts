// Activation functions of the lecture as plain functions on tensors (modules wrap them in activations.ts).
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { div, gt, mul, relu, sigmoid, softplus as softplusPrim, softsign as softsignPrim, tanh, where } from '../ops/elementwise.js';
import { run } from '../ops/dispatch.js';
import { reshape } from '../ops/movement.js';

export { relu, sigmoid, tanh };

/** h(x) = x. @example identity(x) === x */
export function identity(x: Tensor): Tensor {
  return x;
}

/** softsign(x) = x / (1 + |x|), one kernel each way. @example softsign(tensor([1])) // [0.5] */
export function softsign(x: Tensor): Tensor {
  return softsignPrim(x);
}

/** hardtanh(x) = clamp(x, min, max), default [-1, 1]. @example hardtanh(tensor([-3, 0.5])) // [-1, 0.5] */
export function hardtanh(x: Tensor, min = -1, max = 1): Tensor {
  if (!(min < max)) throw new ArgumentError('hardtanh', `min ${min} must be below max ${max}`);
  // One primitive; its derivative is PyTorch's: 1 strictly inside (min, max), 0 at and beyond the bounds.
  return run('hardtanh', [x], { min, max });
}

/**
 * softplus(x) = (1/β) log(1 + e^{βx}), a smooth ReLU; computed as max(x,0) + log1p(e^{-|x|}) so
 * it is exact for large |x| (no overflow).
 * @example softplus(tensor([0])) // [0.6931]
 */
export function softplus(x: Tensor, beta = 1): Tensor {
  if (beta === 1) return softplusPrim(x);
  return div(softplusPrim(mul(x, beta)), beta);
}

/**
 * Leaky ReLU: x for x > 0, αx otherwise (derivative α at 0, as PyTorch).
 * @example leakyRelu(tensor([-2, 3]), 0.1) // [-0.2, 3]
 */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  if (!Number.isFinite(alpha)) throw new ArgumentError('leakyRelu', `alpha must be a finite number, got ${alpha}`);
  return run('leakyRelu', [x], { alpha });
}

/**
 * PReLU with a learnable slope: x for x > 0, a·x otherwise; `slope` has 1 entry or one per
 * channel (dim 1 of x).
 * @example prelu(x, tensor([0.25], { requiresGrad: true }))
 */
export function prelu(x: Tensor, slope: Tensor): Tensor {
  let a = slope;
  if (slope.size !== 1) {
    if (x.rank < 2 || x.shape[1] !== slope.size) throw new ShapeError('prelu', `${slope.size} slopes for input ${fmtShape(x.shape)}: need 1 or one per channel (dim 1)`);
    a = reshape(slope, [slope.size, ...x.shape.slice(2).map(() => 1)]);
  }
  return where(gt(x, 0), x, mul(x, a));
}

export { logSoftmax, softmax } from '../ops/softmax.js';
export type { Temperature } from '../ops/softmax.js';

void relu;
