// Binary classification losses: cross-entropy on probabilities or (stably) on logits, and the hinge loss on raw scores.
import type { Tensor } from '../tensor/tensor.js';
import { abs, add, gt, log, maximum, mul, neg, relu, softplus, sub, where } from '../ops/elementwise.js';
import { type ReductionOptions, checkPositive, checkSameShape, checkValues, reduce } from './common.js';

const isProbability = (v: number): boolean => v >= 0 && v <= 1;

/**
 * max(log x, -100) as PyTorch's BCE clamps its logs, so p = 0 or 1 gives a finite loss.
 * NOTE: log(x) alone at x = 0 is -inf, and its backward 0/x would be 0/0 = NaN even where the
 * clamp passes no gradient; taking the log of `x` only where x > 0 (1 elsewhere) keeps every
 * gradient finite. Where the clamp is active the gradient is 0 (the clamped function is flat).
 */
function clampedLog(x: Tensor): Tensor {
  const pos = gt(x, 0);
  return maximum(where(pos, log(where(pos, x, 1)), -100), -100);
}

/**
 * Binary cross-entropy on probabilities (PyTorch BCELoss):
 * ℓᵢ = -[yᵢ · max(log pᵢ, -100) + (1 - yᵢ) · max(log(1 - pᵢ), -100)].
 * `prob` must lie in [0, 1]; targets are probabilities in [0, 1] (usually labels 0/1).
 * Prefer binaryCrossEntropyWithLogits when you have logits: it stays exact when σ saturates.
 *
 * NOTE: gradients differ from PyTorch only where p(1-p) < 1e-12: PyTorch's backward divides by
 * max(p(1-p), 1e-12), capping |∂ℓ/∂p| near 1e12; here the gradient is the exact derivative of the
 * clamped loss, -y/p + (1-y)/(1-p), and 0 where a log is clamped (p or 1-p below e^-100).
 *
 * @example binaryCrossEntropy(tensor([0.9, 0.2]), tensor([1, 0])) // -(log 0.9 + log 0.8) / 2
 */
export function binaryCrossEntropy(prob: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const op = 'binaryCrossEntropy';
  checkSameShape(op, prob, target, ['prob', 'target']);
  checkValues(op, prob, isProbability, 'prob', 'must be probabilities in [0, 1]', '; apply sigmoid to scores, or use binaryCrossEntropyWithLogits');
  checkValues(op, target, isProbability, 'targets', 'must be in [0, 1] (labels 0 or 1, or soft labels)');
  const pos = mul(target, clampedLog(prob));
  const negPart = mul(sub(1, target), clampedLog(sub(1, prob)));
  return reduce(op, neg(add(pos, negPart)), opts.reduction);
}

/**
 * Binary cross-entropy on logits (PyTorch BCEWithLogitsLoss): ℓᵢ = -[yᵢ log σ(xᵢ) + (1-yᵢ) log(1-σ(xᵢ))],
 * computed as (max(x, 0) - x·y) + log1p(e^{-|x|}); gradient σ(x) - y.
 *
 * NOTE: composing log(sigmoid(x)) is unstable: σ(x) rounds to 0 or 1 for |x| ≳ 37 (float64) or
 * ≳ 17 (float32), giving log 0 = -inf and NaN gradients. This form never evaluates e^{|x|}; the
 * bracket is exact for labels 0/1 (0 or |x|), so a tiny loss such as log1p(e^{-50}) for a
 * confident correct logit keeps full relative precision (softplus(x) - x·y would round it to 0).
 * At x = 0 the gradient is still σ(0) - y: max's tie rule gives ½ and |x|'s sign(0) gives 0.
 *
 * @example binaryCrossEntropyWithLogits(tensor([-30, 40]), tensor([0, 1])) // ≈ 4.7e-14
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  checkSameShape(op, logits, target, ['logits', 'target']);
  checkValues(op, target, isProbability, 'targets', 'must be in [0, 1] (labels 0 or 1, or soft labels)');
  const linear = sub(maximum(logits, 0), mul(logits, target));
  return reduce(op, add(linear, softplus(neg(abs(logits)))), opts.reduction);
}

export interface HingeOptions extends ReductionOptions {
  /** The margin α (default 1). */
  margin?: number;
}

/**
 * Hinge loss on raw scores with labels ±1: ℓᵢ = max(0, α - yᵢ·sᵢ); gradient -yᵢ where the margin
 * is violated (α - y·s > 0), else 0.
 * @example hinge(tensor([2, -0.5]), tensor([1, 1])) // (0 + 1.5) / 2
 */
export function hinge(scores: Tensor, target: Tensor, opts: HingeOptions = {}): Tensor {
  const op = 'hinge';
  const margin = opts.margin ?? 1;
  checkPositive(op, 'margin', margin);
  checkSameShape(op, scores, target, ['scores', 'target']);
  checkValues(op, target, (v) => v === 1 || v === -1, 'labels', 'must be -1 or +1', '; map 0/1 labels with y → 2y - 1');
  return reduce(op, relu(sub(margin, mul(target, scores))), opts.reduction);
}
