// Declared leaf rules of SGD (plain, momentum, Nesterov), Adagrad and RMSprop: PyTorch's arithmetic, rounded as their chains.
import type { Schedule } from '../schedules.js';
import { type UpdateRule, decayed } from '../rule.js';

type Lr = number | Schedule;


/**
 * SGD's rule (chain [addWeightDecay?, trace?, scaleByLearningRate]): b ← g at first, then
 * μb + (1−τ)g; u = g + μb (Nesterov) or b; p ← p − ηu. Constants: [λ, μ, 1−τ, −η, first].
 * @example sgdRule({ lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0 })
 */
export function sgdRule(h: { lr: Lr; momentum: number; dampening: number; nesterov: boolean; weightDecay: number }): UpdateRule {
  const decay = h.weightDecay > 0, k = decay ? 1 : 0, momentum = h.momentum > 0, nesterov = h.nesterov;
  return {
    name: 'sgd', hyper: h,
    slots: momentum ? [[k, 'buf']] : [], scalars: momentum ? [[k, 'count']] : [], lrPiece: k + (momentum ? 1 : 0),
    begin: ([t = 0], eta) => ({ constants: [h.weightDecay, h.momentum, 1 - h.dampening, -eta, t === 0 ? 1 : 0], scalars: momentum ? [t + 1] : [] }),
    leaf(r, p, g, ins, outs, [wd, mu, keep, negLr, first]) {
      const b0 = ins[0], b = outs[0];
      for (let j = 0; j < p.length; j++) {
        const x = decayed(r, g, p, j, wd!, decay);
        let u = x;
        if (momentum) {
          const bj = first ? x : r(r(b0![j]! * mu!) + r(x * keep!));
          b![j] = bj;
          u = nesterov ? r(x + r(bj * mu!)) : bj;
        }
        if (g !== null) p[j] = p[j]! + r(u * negLr!);
      }
    },
  };
}

/**
 * Adagrad's rule (chain [addWeightDecay?, scaleByAdagrad, scaleBySchedule?, scaleByLearningRate]):
 * S ← S + g², u = g/(√S + ε), times 1/(1 + t·lrDecay). Constants: [λ, ε, decay factor, −η].
 * @example adagradRule({ lr: 0.01, lrDecay: 0, eps: 1e-10, weightDecay: 0 })
 */
export function adagradRule(h: { lr: Lr; lrDecay: number; eps: number; weightDecay: number }): UpdateRule {
  const decay = h.weightDecay > 0, k = decay ? 1 : 0, scheduled = h.lrDecay > 0;
  return {
    name: 'adagrad', hyper: h,
    slots: [[k, 'sum']], scalars: scheduled ? [[k + 1, 'count']] : [], lrPiece: k + (scheduled ? 2 : 1),
    begin: ([t = 0], eta) => ({ constants: [h.weightDecay, h.eps, scheduled ? 1 / (1 + t * h.lrDecay) : 1, -eta], scalars: scheduled ? [t + 1] : [] }),
    leaf(r, p, g, [s0], [s], [wd, eps, factor, negLr]) {
      for (let j = 0; j < p.length; j++) {
        const x = decayed(r, g, p, j, wd!, decay);
        const acc = r(s0![j]! + r(x * x));
        s![j] = acc;
        let u = r(x / r(r(Math.sqrt(acc)) + eps!));
        if (scheduled) u = r(u * factor!);
        if (g !== null) p[j] = p[j]! + r(u * negLr!);
      }
    },
  };
}

/**
 * RMSprop's rule (chain [addWeightDecay?, scaleByRms, trace?, scaleByLearningRate]): v ← αv + (1−α)g²,
 * d = g/(√v + ε) (centered: √(v − ḡ²)), momentum b ← μb + d. Constants: [λ, α, 1−α, ε, μ, −η, first].
 * @example rmspropRule({ lr: 0.01, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false, weightDecay: 0 })
 */
export function rmspropRule(h: { lr: Lr; alpha: number; eps: number; momentum: number; centered: boolean; weightDecay: number }): UpdateRule {
  const decay = h.weightDecay > 0, k = decay ? 1 : 0, momentum = h.momentum > 0, centered = h.centered;
  const slots: [number, string][] = [[k, 'nu']];
  if (centered) slots.push([k, 'mu']);
  if (momentum) slots.push([k + 1, 'buf']);
  const bi = slots.length - 1;
  return {
    name: 'rmsprop', hyper: h,
    slots, scalars: momentum ? [[k + 1, 'count']] : [], lrPiece: k + (momentum ? 2 : 1),
    begin: ([t = 0], eta) => ({ constants: [h.weightDecay, h.alpha, 1 - h.alpha, h.eps, h.momentum, -eta, t === 0 ? 1 : 0, 1], scalars: momentum ? [t + 1] : [] }),
    leaf(r, p, g, ins, outs, [wd, alpha, keep, eps, mu, negLr, first, one]) {
      for (let j = 0; j < p.length; j++) {
        const x = decayed(r, g, p, j, wd!, decay);
        const v = r(r(ins[0]![j]! * alpha!) + r(r(x * x) * keep!));
        outs[0]![j] = v;
        let s: number;
        if (centered) {
          const m0 = ins[1]![j]!, m = r(m0 + r(r(x - m0) * keep!));
          outs[1]![j] = m;
          s = r(Math.sqrt(r(v - r(m * m))));
        } else s = r(Math.sqrt(v));
        let u = r(x / r(s + eps!));
        if (momentum) {
          u = first ? u : r(r(ins[bi]![j]! * mu!) + r(u * one!));
          outs[bi]![j] = u;
        }
        if (g !== null) p[j] = p[j]! + r(u * negLr!);
      }
    },
  };
}
