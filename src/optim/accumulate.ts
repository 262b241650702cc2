// Accumulator scalings with PyTorch's arithmetic: RMSprop (plain and centered), Adagrad, momentum trace.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.js';
import type { ParamTree } from '../tree/tree.js';
import { type GradientTransformation, counter, transformation, zerosLike, zipLeaves } from './transform.js';
import { knownKeys, nonNegative } from './validate.js';

/**
 * RMSprop's direction (PyTorch; ε OUTSIDE the square root):
 * v ← αv + (1−α)g²; centered: ḡ ← αḡ + (1−α)g, s = √(v − ḡ²), else s = √v; u = g / (s + ε).
 * @example chain(scaleByRms({ alpha: 0.99 }), scaleByLearningRate(1e-2))
 */
export function scaleByRms(opts: { alpha?: number; eps?: number; centered?: boolean } = {}): GradientTransformation<{ nu: ParamTree; mu: ParamTree }> {
  knownKeys('scaleByRms', opts, ['alpha', 'eps', 'centered']);
  const alpha = nonNegative('scaleByRms', 'alpha', opts.alpha ?? 0.99), eps = nonNegative('scaleByRms', 'eps', opts.eps ?? 1e-8);
  const centered = opts.centered ?? false;
  if (alpha > 1) throw new ArgumentError('scaleByRms', `alpha must be in [0, 1], got ${alpha}`);
  return transformation(
    (params) => ({ nu: zerosLike(params), mu: centered ? zerosLike(params) : {} }),
    (g, s) => {
      const [updates, nu, mu] = zipLeaves('scaleByRms', centered ? 3 : 2, centered ? [g, s.nu, s.mu] : [g, s.nu], ([x, v0, m0]) => {
        const v = add(mul(v0!, alpha), mul(mul(x!, x!), 1 - alpha));
        if (!centered) return [div(x!, add(sqrt(v), eps)), v];
        const m = add(m0!, mul(sub(x!, m0!), 1 - alpha));
        return [div(x!, add(sqrt(sub(v, mul(m, m))), eps)), v, m];
      });
      return { updates: updates!, state: { nu: nu!, mu: mu ?? {} } };
    },
  );
}

/**
 * Adagrad's direction (PyTorch): S ← S + g², u = g / (√S + ε), S₀ = initialAccumulatorValue.
 * @example chain(scaleByAdagrad(), scaleByLearningRate(1e-2))
 */
export function scaleByAdagrad(opts: { eps?: number; initialAccumulatorValue?: number } = {}): GradientTransformation<{ sum: ParamTree }> {
  knownKeys('scaleByAdagrad', opts, ['eps', 'initialAccumulatorValue']);
  const eps = nonNegative('scaleByAdagrad', 'eps', opts.eps ?? 1e-10);
  const init = nonNegative('scaleByAdagrad', 'initialAccumulatorValue', opts.initialAccumulatorValue ?? 0);
  return transformation(
    (params) => ({ sum: zerosLike(params, init) }),
    (g, s) => {
      const [updates, sum] = zipLeaves('scaleByAdagrad', 2, [g, s.sum], ([x, s0]) => {
        const acc = add(s0!, mul(x!, x!));
        return [div(x!, add(sqrt(acc), eps)), acc];
      });
      return { updates: updates!, state: { sum: sum! } };
    },
  );
}

/**
 * Momentum as PyTorch SGD (decay = momentum μ, dampening τ): b ← g on the first update, then
 * b ← μb + (1−τ)g; u = g + μb with nesterov, else u = b.
 * @example chain(trace({ decay: 0.9, nesterov: true }), scaleByLearningRate(0.1))
 */
export function trace(opts: { decay: number; dampening?: number; nesterov?: boolean }): GradientTransformation<{ count: Tensor; buf: ParamTree }> {
  knownKeys('trace', opts, ['decay', 'dampening', 'nesterov']);
  const mu = nonNegative('trace', 'decay', opts.decay), damp = nonNegative('trace', 'dampening', opts.dampening ?? 0);
  const nesterov = opts.nesterov ?? false;
  if (nesterov && (mu <= 0 || damp !== 0)) {
    throw new ArgumentError('trace', `nesterov momentum needs decay > 0 and dampening 0, got decay ${mu}, dampening ${damp}`);
  }
  return transformation(
    (params) => ({ count: counter(0), buf: zerosLike(params) }),
    (g, s) => {
      const t = s.count.item();
      const [updates, buf] = zipLeaves('trace', 2, [g, s.buf], ([x, b0]) => {
        const b = t === 0 ? x! : add(mul(b0!, mu), mul(x!, 1 - damp));
        return [nesterov ? add(x!, mul(b, mu)) : b, b];
      });
      return { updates: updates!, state: { count: counter(t + 1), buf: buf! } };
    },
  );
}
