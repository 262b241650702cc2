// Loss along the straight line between two parameter sets, and its barrier (mode connectivity).
import { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { noGrad } from '../autograd/graph.js';
import { add, mul } from '../ops/elementwise.js';
import { map2, type ParamTree } from '../tree/tree.js';

export interface InterpolationResult { ts: number[]; losses: number[]; /** max_t L(θ_t) − [(1−t)L(θ_0) + t L(θ_1)]. */ barrier: number }

/**
 * Evaluates `loss(θ_t)` for θ_t = (1−t)θ_A + tθ_B at `steps` evenly spaced t ∈ [0, 1] and returns
 * the barrier max_t [L(θ_t) − ((1−t)L(θ_A) + tL(θ_B))] (0 when the path is no worse than linear).
 *
 * @example
 * const { barrier } = interpolationBarrier(pa, pb, (p) => head.loss(net.apply(p, x), y).item(), 11);
 */
export function interpolationBarrier<T extends ParamTree>(a: T, b: T, loss: (params: T) => number, steps = 11): InterpolationResult {
  if (!Number.isInteger(steps) || steps < 2) throw new ArgumentError('interpolationBarrier', `steps must be an integer ≥ 2, got ${steps}`);
  const ts: number[] = [];
  const losses: number[] = [];
  noGrad(() => {
    for (let s = 0; s < steps; s++) {
      const t = s / (steps - 1);
      const p = map2(a, b, (x: Tensor, y: Tensor) => add(mul(x, 1 - t), mul(y, t)).detach());
      ts.push(t);
      losses.push(loss(p));
    }
  });
  const l0 = losses[0]!, l1 = losses.at(-1)!;
  const barrier = Math.max(0, ...losses.map((l, i) => l - ((1 - ts[i]!) * l0 + ts[i]! * l1)));
  return { ts, losses, barrier };
}
