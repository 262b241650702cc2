// Fused optimizer steps: plain SGD and Adam in one pass per leaf, with the exact float arithmetic of their chains.
import { Tensor, full } from '../core/tensor.js';
import type { Storage } from '../core/dtype.js';
import { sameShape } from '../core/shape.js';
import { type ParamTree, leaves } from '../tree/tree.js';
import type { FusedStep, OptState } from './transform.js';
import { LR_KEY } from './scale.js';
import { getBackend } from '../backend/registry.js';
import type { AdamStepParams } from '../backend/backend.js';

// NOTE: the unfused chains round every intermediate tensor (and every scalar constant, which a
// float32 tensor op lifts to float32) to the storage dtype; `Math.fround` at the same points makes
// the float32 loops bit-identical to them (IEEE +, −, ×, ÷ and √ in float64 then rounded to float32
// equal the float32 operations). float64 leaves need no rounding. Adam's loop is a backend kernel
// (Backend.adamStep: JS reference, WASM SIMD), SGD's a plain loop here (one multiply-add).

/** The settable learning rate of a chain that ends with scaleByLearningRate(number), or undefined. */
function chainLr(state: OptState): number | undefined {
  if (!Array.isArray(state) || state.length === 0) return undefined;
  const last = state[state.length - 1] as Record<string, unknown>;
  const lr = last[LR_KEY];
  return lr instanceof Tensor ? lr.item() : undefined;
}

/** True when `xs` (gradients or moment leaves) line up with the parameters: same count, and each one missing or of its parameter's shape and dtype. */
function alignsWith(xs: readonly (Tensor | null | undefined)[], params: readonly Tensor[]): boolean {
  if (xs.length !== params.length) return false;
  for (let i = 0; i < params.length; i++) {
    const x = xs[i], p = params[i]!;
    if (x != null && (!sameShape(x.shape, p.shape) || x.dtype !== p.dtype)) return false;
  }
  return true;
}

/**
 * SGD without momentum, chain [addWeightDecay(λ)?, scaleByLearningRate(η)]:
 * g ← g + λp; p ← p + (−η)·g, rounded as the chain rounds.
 * @example const tx = { ...chain(scaleByLearningRate(0.1)), fused: fusedSgd(0) };   // what sgd({ lr: 0.1 }) builds
 */
export function fusedSgd(weightDecay: number): FusedStep<OptState[]> {
  return (params, grads, state) => {
    const eta = chainLr(state);
    if (eta === undefined || state.length !== (weightDecay > 0 ? 2 : 1) || !alignsWith(grads, params)) return undefined;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      if (g == null) continue;
      const p = params[i]!.data, gd = g.data;
      if (p instanceof Float32Array) sgdF32(p, gd, Math.fround(-eta), Math.fround(weightDecay));
      else sgdF64(p, gd, -eta, weightDecay);
    }
    return state;
  };
}

function sgdF32(p: Float32Array, g: Storage, negLr: number, wd: number): void {
  const fr = Math.fround;
  if (wd > 0) for (let j = 0; j < p.length; j++) { const x = fr(g[j]! + fr(p[j]! * wd)); p[j] = p[j]! + fr(x * negLr); }
  else for (let j = 0; j < p.length; j++) p[j] = p[j]! + fr(g[j]! * negLr);
}

function sgdF64(p: Storage, g: Storage, negLr: number, wd: number): void {
  if (wd > 0) for (let j = 0; j < p.length; j++) { const x = g[j]! + p[j]! * wd; p[j] = p[j]! + x * negLr; }
  else for (let j = 0; j < p.length; j++) p[j] = p[j]! + g[j]! * negLr;
}

/** Adam's hyperparameters as scaleByAdam validated them. */
export interface FusedAdamOptions {
  b1: number;
  b2: number;
  eps: number;
  weightDecay: number;
}

type AdamState = { count: Tensor; mu: ParamTree; nu: ParamTree; nuMax: ParamTree };

/** Rebuilds `tree` with its leaves replaced, in `leaves` order. */
function withLeaves(tree: ParamTree, values: readonly Tensor[], at: { i: number }): ParamTree {
  if (tree instanceof Tensor) return values[at.i++]!;
  if (Array.isArray(tree)) return (tree as readonly ParamTree[]).map((c) => withLeaves(c, values, at));
  const out: Record<string, ParamTree> = {};
  for (const k of Object.keys(tree)) out[k] = withLeaves((tree as Record<string, ParamTree>)[k]!, values, at);
  return out;
}

/**
 * Adam without AMSGrad, chain [addWeightDecay(λ)?, scaleByAdam, scaleByLearningRate(η)]: the moments
 * and the update in one backend kernel per leaf (Backend.adamStep). The parameters change in place;
 * the moments go to fresh tensors (the state is replaced, as `update` does).
 * @example fusedAdam({ b1: 0.9, b2: 0.999, eps: 1e-8, weightDecay: 0 })
 */
export function fusedAdam(o: FusedAdamOptions): FusedStep<OptState[]> {
  const k = o.weightDecay > 0 ? 1 : 0;
  return (params, grads, state) => {
    const eta = chainLr(state);
    if (eta === undefined || state.length !== k + 2 || !alignsWith(grads, params)) return undefined;
    const s = state[k] as AdamState;
    if (!(s.count instanceof Tensor) || leaves(s.nuMax).length > 0) return undefined;
    const mu = leaves(s.mu), nu = leaves(s.nu);
    if (!alignsWith(mu, params) || !alignsWith(nu, params)) return undefined;
    const t = s.count.item() + 1;
    const c: AdamStepParams = {
      b1: o.b1, b2: o.b2, eps: o.eps, weightDecay: o.weightDecay, bc1: 1 - o.b1 ** t, bc2Sqrt: Math.sqrt(1 - o.b2 ** t), negLr: -eta,
    };
    const backend = getBackend();
    const mu2: Tensor[] = [], nu2: Tensor[] = [];
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const m = full(p.shape, 0, { dtype: p.dtype }), v = full(p.shape, 0, { dtype: p.dtype });
      backend.adamStep(p.data, grads[i]?.data ?? null, mu[i]!.data, nu[i]!.data, m.data, v.data, c);
      mu2.push(m);
      nu2.push(v);
    }
    const next = state.slice();
    next[k] = { ...s, count: full([], t, { dtype: 'float64' }), mu: withLeaves(s.mu, mu2, { i: 0 }), nu: withLeaves(s.nu, nu2, { i: 0 }) };
    return next;
  };
}
