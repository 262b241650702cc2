// Gradient clipping pieces with PyTorch's semantics: clip_grad_norm_ (global L2 norm) and clip_grad_value_.
import { clamp, mul } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { noGrad } from '../autograd/graph.js';
import { type ParamTree, leaves, map } from '../tree/tree.js';
import { type GradientTransformation, transformation } from './transform.js';
import { positive } from './validate.js';

/**
 * The L2 norm of all leaves taken together: ‖g‖ = √(Σ_leaves Σ g²).
 * @example globalNorm({ w: tensor([3]), b: tensor([4]) }) // 5
 */
export function globalNorm(tree: ParamTree): number {
  return noGrad(() => Math.sqrt(leaves(tree).reduce((s, g) => s + sum(mul(g, g)).item(), 0)));
}

/**
 * Scales all updates by c = min(1, maxNorm / (‖g‖ + 1e-6)) (PyTorch clip_grad_norm_), so the
 * global norm is at most maxNorm; with ‖g‖ ≤ maxNorm the updates pass through unchanged.
 * @example chain(clipByGlobalNorm(1.0), scaleByAdam(), scaleByLearningRate(1e-3))
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<Record<string, never>> {
  positive('clipByGlobalNorm', 'maxNorm', maxNorm);
  return transformation(() => ({}), (g, state) => {
    const c = maxNorm / (globalNorm(g) + 1e-6);
    return { updates: c < 1 ? map(g, (x) => mul(x, c)) : g, state };
  });
}

/**
 * Clamps every element into [−maxAbs, maxAbs] (PyTorch clip_grad_value_): g ← min(max(g, −c), c).
 * @example chain(clipByValue(0.5), scaleByLearningRate(0.1))
 */
export function clipByValue(maxAbs: number): GradientTransformation<Record<string, never>> {
  positive('clipByValue', 'maxAbs', maxAbs);
  return transformation(() => ({}), (g, state) => ({ updates: map(g, (x) => clamp(x, -maxAbs, maxAbs)), state }));
}
