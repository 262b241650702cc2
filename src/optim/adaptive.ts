// Adam-family scalings with PyTorch's arithmetic: Adam (and AMSGrad), Adamax, NAdam.
import type { Tensor } from '../tensor/tensor.js';
import { abs, add, div, maximum, mul, sqrt, sub } from '../ops/elementwise.js';
import type { ParamTree } from '../tree/tree.js';
import { type GradientTransformation, counter, transformation, zerosLike, zipLeaves } from './transform.js';
import { knownKeys, nonNegative, positive, unitInterval } from './validate.js';

/** Options of the Adam-family scalings (PyTorch defaults). */
export interface AdamScaleOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: number;
  /** Decay of the second moment (default 0.999). */
  b2?: number;
  /** Added to the denominator (default 1e-8). */
  eps?: number;
}

/** Options of scaleByNadam: Adam's, the momentum decay ψ (default 0.004), and the PyTorch 1.x variant. */
export interface NadamScaleOptions extends AdamScaleOptions {
  momentumDecay?: number;
  /** Use PyTorch < 2.0's next momentum product Π_t μ_t μ_{t+1} (default false: Π_t μ_{t+1}, PyTorch ≥ 2.0 and Dozat). */
  pytorchV1?: boolean;
}

type Moments = { count: Tensor; mu: ParamTree; nu: ParamTree };

function hyper(fn: string, o: AdamScaleOptions, extra: readonly string[] = []): { b1: number; b2: number; eps: number } {
  knownKeys(fn, o, ['b1', 'b2', 'eps', ...extra]);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = o;
  return { b1: unitInterval(fn, 'b1', b1), b2: unitInterval(fn, 'b2', b2), eps: nonNegative(fn, 'eps', eps) };
}

/** PyTorch's lerp form of the first moment: m + (1 − β₁)(g − m). */
function ema(m: Tensor, g: Tensor, b: number): Tensor {
  return add(m, mul(sub(g, m), 1 - b));
}

/** β₂ v + (1 − β₂) g². */
function emaSq(v: Tensor, g: Tensor, b: number): Tensor {
  return add(mul(v, b), mul(mul(g, g), 1 - b));
}

/**
 * Adam's direction (PyTorch), t = 1, 2, ...:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², v̂max ← max(v̂max, v) with AMSGrad,
 * u = (m / (1−β₁ᵗ)) / (√v / √(1−β₂ᵗ) + ε). Follow with scaleByLearningRate.
 * @example chain(scaleByAdam({ amsgrad: true }), scaleByLearningRate(1e-3))
 */
export function scaleByAdam(opts: AdamScaleOptions & { amsgrad?: boolean } = {}): GradientTransformation<Moments & { nuMax: ParamTree }> {
  const { b1, b2, eps } = hyper('scaleByAdam', opts, ['amsgrad']);
  const amsgrad = opts.amsgrad ?? false;
  return transformation(
    (params) => ({ count: counter(0), mu: zerosLike(params), nu: zerosLike(params), nuMax: amsgrad ? zerosLike(params) : {} }),
    (g, s) => {
      const t = s.count.item() + 1;
      const bc1 = 1 - b1 ** t, bc2Sqrt = Math.sqrt(1 - b2 ** t);
      const trees = amsgrad ? [g, s.mu, s.nu, s.nuMax] : [g, s.mu, s.nu];
      const [updates, mu, nu, nuMax] = zipLeaves('scaleByAdam', amsgrad ? 4 : 3, trees, ([x, m0, v0, vmax0]) => {
        const m = ema(m0!, x!, b1), v = emaSq(v0!, x!, b2);
        const vmax = amsgrad ? maximum(vmax0!, v) : v;
        const denom = add(div(sqrt(vmax), bc2Sqrt), eps);
        return amsgrad ? [div(div(m, bc1), denom), m, v, vmax] : [div(div(m, bc1), denom), m, v];
      });
      return { updates: updates!, state: { count: counter(t), mu: mu!, nu: nu!, nuMax: nuMax ?? {} } };
    },
  );
}

/**
 * Adamax's direction (PyTorch): m ← β₁m + (1−β₁)g, u∞ ← max(β₂u∞, |g| + ε), u = m / ((1−β₁ᵗ) u∞).
 * @example chain(scaleByAdamax(), scaleByLearningRate(2e-3))
 */
export function scaleByAdamax(opts: AdamScaleOptions = {}): GradientTransformation<Moments> {
  const { b1, b2, eps } = hyper('scaleByAdamax', opts);
  return transformation(
    (params) => ({ count: counter(0), mu: zerosLike(params), nu: zerosLike(params) }),
    (g, s) => {
      const t = s.count.item() + 1;
      const bc1 = 1 - b1 ** t;
      const [updates, mu, nu] = zipLeaves('scaleByAdamax', 3, [g, s.mu, s.nu], ([x, m0, u0]) => {
        const m = ema(m0!, x!, b1);
        const uInf = maximum(mul(u0!, b2), add(abs(x!), eps));
        return [div(div(m, uInf), bc1), m, uInf];
      });
      return { updates: updates!, state: { count: counter(t), mu: mu!, nu: nu! } };
    },
  );
}

/**
 * NAdam's direction (PyTorch ≥ 2.0, Dozat's momentum schedule with ψ = momentumDecay):
 * μ_t = β₁(1 − ½·0.96^(tψ)), Π_t = Π_{t−1}μ_t, m and v as Adam, d = √(v / (1−β₂ᵗ)) + ε,
 * u = ((1−μ_t)/(1−Π_t)) g/d + (μ_{t+1}/(1−Π_{t+1})) m/d with Π_{t+1} = Π_t μ_{t+1}.
 * `pytorchV1: true` reproduces PyTorch < 2.0, whose Π_{t+1} counted μ_t twice (Π_t μ_t μ_{t+1}).
 * @example chain(scaleByNadam(), scaleByLearningRate(2e-3))
 */
export function scaleByNadam(opts: NadamScaleOptions = {}): GradientTransformation<Moments & { muProduct: Tensor }> {
  const { b1, b2, eps } = hyper('scaleByNadam', opts, ['momentumDecay', 'pytorchV1']);
  const psi = positive('scaleByNadam', 'momentumDecay', opts.momentumDecay ?? 4e-3);
  const v1 = opts.pytorchV1 ?? false;
  return transformation(
    (params) => ({ count: counter(0), muProduct: counter(1), mu: zerosLike(params), nu: zerosLike(params) }),
    (g, s) => {
      const t = s.count.item() + 1;
      const bc2 = 1 - b2 ** t;
      const muT = b1 * (1 - 0.5 * 0.96 ** (t * psi)), muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
      const prod = s.muProduct.item() * muT;
      const cg = (1 - muT) / (1 - prod), cm = muNext / (1 - prod * muNext * (v1 ? muT : 1));
      const [updates, mu, nu] = zipLeaves('scaleByNadam', 3, [g, s.mu, s.nu], ([x, m0, v0]) => {
        const m = ema(m0!, x!, b1), v = emaSq(v0!, x!, b2);
        const d = add(sqrt(div(v, bc2)), eps);
        return [add(mul(div(x!, d), cg), mul(div(m, d), cm)), m, v];
      });
      return { updates: updates!, state: { count: counter(t), muProduct: counter(prod), mu: mu!, nu: nu! } };
    },
  );
}
