// Regression losses: MSE, MAE, Huber (per element) and squared-L2 / L1 norms of each row's error vector.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { abs, lt, mul, square, sub, where } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { type ReductionOptions, checkPositive, checkSameShape, reduce } from './common.js';

/** Checks prediction/target shapes and returns the error d = input - target. */
function residual(op: string, input: Tensor, target: Tensor): Tensor {
  checkSameShape(op, input, target);
  return sub(input, target);
}

function checkRows(op: string, input: Tensor): void {
  if (input.rank === 0) throw new ArgumentError(op, 'needs vectors (rank >= 1; the last dim is the vector), got a scalar; use mse/mae for scalars');
}

/**
 * Mean squared error (PyTorch MSELoss): ℓᵢ = (xᵢ - yᵢ)², averaged over all elements by default.
 * @example mse(tensor([1, 2]), tensor([0, 0])) // 2.5
 */
export function mse(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  return reduce('mse', square(residual('mse', input, target)), opts.reduction);
}

/**
 * Mean absolute error (PyTorch L1Loss): ℓᵢ = |xᵢ - yᵢ|; the gradient at xᵢ = yᵢ is 0 (sign(0)).
 * @example mae(tensor([1, -2]), tensor([0, 0])) // 1.5
 */
export function mae(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  return reduce('mae', abs(residual('mae', input, target)), opts.reduction);
}

/**
 * Squared L2 norm of each row's error (vector regression): ℓₙ = Σ_k (x_{n,k} - y_{n,k})² over the
 * last dim, then reduced over rows (mean over rows by default). Equals C · mse for C columns.
 * @example squaredL2(tensor([[1, 2], [0, 0]]), zeros([2, 2])) // (5 + 0) / 2 = 2.5
 */
export function squaredL2(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  checkRows('squaredL2', input);
  return reduce('squaredL2', sum(square(residual('squaredL2', input, target)), -1), opts.reduction);
}

/**
 * L1 norm of each row's error (vector regression): ℓₙ = Σ_k |x_{n,k} - y_{n,k}| over the last
 * dim, then reduced over rows (mean over rows by default).
 * @example l1(tensor([[1, -2], [0, 1]]), zeros([2, 2])) // (3 + 1) / 2 = 2
 */
export function l1(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  checkRows('l1', input);
  return reduce('l1', sum(abs(residual('l1', input, target)), -1), opts.reduction);
}

export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1, as PyTorch HuberLoss). */
  delta?: number;
}

/**
 * Huber loss (PyTorch HuberLoss): with d = x - y, ℓ = ½d² if |d| < δ, else δ(|d| - ½δ).
 * Quadratic near 0, linear (gradient ±δ) for outliers.
 * @example huber(tensor([0.5, 3]), zeros([2]), { delta: 1 }) // (0.125 + 2.5) / 2
 */
export function huber(input: Tensor, target: Tensor, opts: HuberOptions = {}): Tensor {
  const delta = opts.delta ?? 1;
  checkPositive('huber', 'delta', delta);
  const d = residual('huber', input, target);
  const a = abs(d);
  const losses = where(lt(a, delta), mul(square(d), 0.5), mul(sub(a, 0.5 * delta), delta));
  return reduce('huber', losses, opts.reduction);
}
