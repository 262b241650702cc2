// Declared leaf rules of the Adam family (Adam, AMSGrad, AdamW, NAdam, Adamax): PyTorch's arithmetic, rounded as their chains.
import type { Schedule } from '../schedules.js';
import type { Storage } from '../../core/dtype.js';
import { type Round, type UpdateRule, decayed } from '../rule.js';

type Lr = number | Schedule;


/** Adam's moments at j: m ← m + (x − m)(1−β₁), v ← β₂v + (1−β₂)x², written to m and v and returned. */
function moments(r: Round, x: number, m0: Storage, v0: Storage, m: Storage, v: Storage, j: number, c1: number, b2: number, c2: number): [number, number] {
  const a = m0[j]!;
  const mj = r(a + r(r(x - a) * c1)), vj = r(r(v0[j]! * b2) + r(r(x * x) * c2));
  m[j] = mj;
  v[j] = vj;
  return [mj, vj];
}

/** maximum(a, b) as the elementwise kernel takes it: NaN in a wins, else the larger. */
const maxOf = (a: number, b: number): number => (a !== a || a > b ? a : b);

/**
 * Adam's rule (chain [addWeightDecay?, scaleByAdam, addDecayedWeights?, scaleByLearningRate]):
 * m ← m + (g − m)(1−β₁), v ← β₂v + (1−β₂)g², AMSGrad v̂ ← max(v̂, v), u = (m/bc₁)/(√v̂/√bc₂ + ε),
 * AdamW u ← u + λp. Constants: [1−β₁, β₂, 1−β₂, ε, λ coupled, bc₁, √bc₂, −η, λ decoupled].
 * @example adamRule({ lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, weightDecay: 0, decoupledWeightDecay: 0, amsgrad: false })
 */
export function adamRule(h: { lr: Lr; b1: number; b2: number; eps: number; weightDecay: number; decoupledWeightDecay: number; amsgrad: boolean }): UpdateRule {
  const decay = h.weightDecay > 0, k = decay ? 1 : 0, decoupled = h.decoupledWeightDecay > 0, amsgrad = h.amsgrad;
  return {
    name: 'adam', hyper: h,
    slots: amsgrad ? [[k, 'mu'], [k, 'nu'], [k, 'nuMax']] : [[k, 'mu'], [k, 'nu']], scalars: [[k, 'count']], lrPiece: k + (decoupled ? 2 : 1),
    begin([t0 = 0], eta) {
      const t = t0 + 1;
      return { constants: [1 - h.b1, h.b2, 1 - h.b2, h.eps, h.weightDecay, 1 - h.b1 ** t, Math.sqrt(1 - h.b2 ** t), -eta, h.decoupledWeightDecay], scalars: [t] };
    },
    leaf(r, p, g, ins, outs, [c1, b2, c2, eps, wd, bc1, bc2, negLr, wdd]) {
      const [m0, v0, vmax0] = ins, [m, v, vmax] = outs;
      for (let j = 0; j < p.length; j++) {
        const x = decayed(r, g, p, j, wd!, decay);
        const [mj, vj] = moments(r, x, m0!, v0!, m!, v!, j, c1!, b2!, c2!);
        let top = vj;
        if (amsgrad) { top = maxOf(vmax0![j]!, vj); vmax![j] = top; }
        let u = r(r(mj / bc1!) / r(r(r(Math.sqrt(top)) / bc2!) + eps!));
        if (decoupled) u = r(u + r(p[j]! * wdd!));
        if (g !== null) p[j] = p[j]! + r(u * negLr!);
      }
    },
  };
}

/**
 * NAdam's rule (chain [addWeightDecay?, scaleByNadam, scaleByLearningRate]): m, v as Adam,
 * d = √(v/bc₂) + ε, u = cg·g/d + cm·m/d. Constants: [1−β₁, β₂, 1−β₂, ε, λ, bc₂, cg, cm, −η].
 * @example nadamRule({ lr: 2e-3, b1: 0.9, b2: 0.999, eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, pytorchV1: false })
 */
export function nadamRule(h: { lr: Lr; b1: number; b2: number; eps: number; weightDecay: number; momentumDecay: number; pytorchV1: boolean }): UpdateRule {
  const decay = h.weightDecay > 0, k = decay ? 1 : 0;
  return {
    name: 'nadam', hyper: h,
    slots: [[k, 'mu'], [k, 'nu']], scalars: [[k, 'count'], [k, 'muProduct']], lrPiece: k + 1,
    begin([t0 = 0, prod0 = 1], eta) {
      const t = t0 + 1, b1 = h.b1, psi = h.momentumDecay;
      const muT = b1 * (1 - 0.5 * 0.96 ** (t * psi)), muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
      const prod = prod0 * muT;
      const cg = (1 - muT) / (1 - prod), cm = muNext / (1 - prod * muNext * (h.pytorchV1 ? muT : 1));
      return { constants: [1 - b1, h.b2, 1 - h.b2, h.eps, h.weightDecay, 1 - h.b2 ** t, cg, cm, -eta], scalars: [t, prod] };
    },
    leaf(r, p, g, [m0, v0], [m, v], [c1, b2, c2, eps, wd, bc2, cg, cm, negLr]) {
      for (let j = 0; j < p.length; j++) {
        const x = decayed(r, g, p, j, wd!, decay);
        const [mj, vj] = moments(r, x, m0!, v0!, m!, v!, j, c1!, b2!, c2!);
        const d = r(r(Math.sqrt(r(vj / bc2!))) + eps!);
        const u = r(r(r(x / d) * cg!) + r(r(mj / d) * cm!));
        if (g !== null) p[j] = p[j]! + r(u * negLr!);
      }
    },
  };
}

/**
 * Adamax's rule (chain [addWeightDecay?, scaleByAdamax, scaleByLearningRate]): m as Adam,
 * u∞ ← max(β₂u∞, |g| + ε), u = (m/u∞)/bc₁. Constants: [1−β₁, β₂, ε, λ, bc₁, −η].
 * @example adamaxRule({ lr: 2e-3, b1: 0.9, b2: 0.999, eps: 1e-8, weightDecay: 0 })
 */
export function adamaxRule(h: { lr: Lr; b1: number; b2: number; eps: number; weightDecay: number }): UpdateRule {
  const decay = h.weightDecay > 0, k = decay ? 1 : 0;
  return {
    name: 'adamax', hyper: h,
    slots: [[k, 'mu'], [k, 'nu']], scalars: [[k, 'count']], lrPiece: k + 1,
    begin: ([t0 = 0], eta) => ({ constants: [1 - h.b1, h.b2, h.eps, h.weightDecay, 1 - h.b1 ** (t0 + 1), -eta], scalars: [t0 + 1] }),
    leaf(r, p, g, [m0, u0], [m, uOut], [c1, b2, eps, wd, bc1, negLr]) {
      for (let j = 0; j < p.length; j++) {
        const x = decayed(r, g, p, j, wd!, decay);
        const a = m0![j]!;
        const mj = r(a + r(r(x - a) * c1!));
        const uInf = maxOf(r(u0![j]! * b2!), r(r(Math.abs(x)) + eps!));
        m![j] = mj;
        uOut![j] = uInf;
        const u = r(r(mj / uInf) / bc1!);
        if (g !== null) p[j] = p[j]! + r(u * negLr!);
      }
    },
  };
}
