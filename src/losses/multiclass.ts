// Multiclass losses on logits/scores [N, C]: softmax cross-entropy (with label smoothing) and the multi-class margin loss.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { add, div, mul, neg, relu, square, sub } from '../ops/elementwise.js';
import { mean, sum } from '../ops/reduce.js';
import { reshape, takeAlongAxis } from '../ops/movement.js';
import { logSoftmax } from '../ops/softmax.js';
import {
  type ReductionOptions, checkBatchRows, checkClassLabels, checkSameShape, checkPositive, checkValues, oneHot, reduce,
} from './common.js';

export interface CrossEntropyOptions extends ReductionOptions {
  /** ε in [0, 1]: the target becomes (1-ε)·target + ε/C, as PyTorch's label_smoothing (default 0). */
  labelSmoothing?: number;
}

/** True when `target` holds class indices [N] rather than probabilities [N, C]. */
function isIndexTarget(logits: Tensor, target: Tensor): boolean {
  return target.rank !== logits.rank;
}

/**
 * Softmax cross-entropy from logits (PyTorch CrossEntropyLoss), with log p = logSoftmax(x):
 * class indices yₙ: ℓₙ = -(1-ε) log p_{n,yₙ} - (ε/C) Σ_c log p_{n,c};
 * probabilities qₙ [N, C]: ℓₙ = -Σ_c ((1-ε) q_{n,c} + ε/C) log p_{n,c}. 'mean' divides by N.
 * Computed from log-softmax, never log(softmax(x)), so large logits give no -inf.
 *
 * @example
 * crossEntropy(logits, tensor([2, 0]));                        // logits [2, C]
 * crossEntropy(logits, labels, { labelSmoothing: 0.1 });
 */
export function crossEntropy(logits: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  const op = 'crossEntropy';
  const eps = opts.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new ArgumentError(op, `labelSmoothing must be in [0, 1], got ${eps}`);
  checkBatchRows(op, logits);
  const c = logits.shape[1]!;
  const logp = logSoftmax(logits, 1);
  let losses: Tensor;
  if (isIndexTarget(logits, target)) {
    checkClassLabels(op, logits, target);
    const nll = neg(takeAlongAxis(logp, 1, target));
    losses = eps === 0 ? nll : add(mul(nll, 1 - eps), mul(neg(mean(logp, 1)), eps));
  } else {
    checkSameShape(op, logits, target, ['logits', 'target probabilities']);
    checkValues(op, target, (v) => v >= 0 && v <= 1, 'target probabilities', 'must be in [0, 1]');
    const q = eps === 0 ? target : add(mul(target, 1 - eps), eps / c);
    losses = neg(sum(mul(q, logp), 1));
  }
  return reduce(op, losses, opts.reduction);
}

export interface MultiMarginOptions extends ReductionOptions {
  /** The margin (default 1). */
  margin?: number;
  /** Exponent of each hinge term: 1 (default) or 2. */
  p?: 1 | 2;
}

/**
 * Multi-class margin loss (PyTorch MultiMarginLoss) on scores s [N, C] with labels yₙ:
 * ℓₙ = Σ_{j≠yₙ} max(0, margin - s_{n,yₙ} + s_{n,j})^p / C.
 * @example multiMargin(tensor([[2, 0.5, 1.8]]), tensor([0])) // (0 + 0.8) / 3
 */
export function multiMargin(scores: Tensor, target: Tensor, opts: MultiMarginOptions = {}): Tensor {
  const op = 'multiMargin';
  const margin = opts.margin ?? 1;
  const p = opts.p ?? 1;
  checkPositive(op, 'margin', margin);
  if (p !== 1 && p !== 2) throw new ArgumentError(op, `p must be 1 or 2, got ${String(p)}`);
  checkBatchRows(op, scores, 'scores');
  checkClassLabels(op, scores, target);
  const [n, c] = scores.shape as [number, number];
  const sy = reshape(takeAlongAxis(scores, 1, target), [n, 1]);
  const hingeTerms = relu(add(sub(scores, sy), margin));
  const terms = p === 2 ? square(hingeTerms) : hingeTerms;
  // The j = y term is max(0, margin) = margin, not part of the sum: mask it out (and its gradient).
  const others = sub(1, oneHot(target, c, scores.dtype));
  return reduce(op, div(sum(mul(terms, others), 1), c), opts.reduction);
}
