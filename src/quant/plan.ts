// The int8 execution plan of a QuantizedSequential: each run of Linear layers (with the ReLU/hardtanh between them) as one backend call.
import type { Module } from '../nn/module.js';
import { Hardtanh, IdentityActivation, ReLU } from '../nn/activations.js';
import type { Int8Act, Int8ChainLayer } from '../backend/js/quant.js';
import type { QuantStep } from './quantized-model.js';

/** One item of the plan: a fused chain of int8 Linear steps [from, to), an int8 Conv2d step, or a float32 step. */
export type PlanItem =
  | { readonly kind: 'chain'; readonly from: number; readonly to: number; readonly layers: readonly Int8ChainLayer[] }
  | { readonly kind: 'conv'; readonly index: number; readonly layer: Int8ChainLayer }
  | { readonly kind: 'float'; readonly index: number };

/**
 * The epilogue form of a float step, or null when it must run as its own module: ReLU and hardtanh are exact
 * selections (no rounding; NaN passes through and quantizes to the zero point either way), identity is nothing.
 * @example fusableAct(new ReLU()) // { kind: 'relu' }
 */
export function fusableAct(m: Module): Int8Act | null {
  if (m instanceof ReLU) return { kind: 'relu' };
  if (m instanceof Hardtanh) return { kind: 'hardtanh', lo: m.min, hi: m.max };
  if (m instanceof IdentityActivation) return { kind: 'none' };
  return null;
}

const isLinear = (s: QuantStep | undefined): boolean => s !== undefined && 'quant' in s && s.quant.kind === 'linear';

/**
 * Groups the steps: consecutive int8 Linear layers, each optionally followed by a fusable activation, become one
 * chain (the activation moves into the layer's epilogue) while each layer's input width is the previous output
 * width; every other step stays as it is.
 * @example buildPlan(model.steps, layers) // [{ kind: 'chain', from: 0, to: 3, layers: [l0 (relu), l2] }]
 */
export function buildPlan(steps: readonly QuantStep[], layers: readonly (Int8ChainLayer | null)[]): PlanItem[] {
  const plan: PlanItem[] = [];
  for (let i = 0; i < steps.length;) {
    const s = steps[i]!;
    if ('float' in s) { plan.push({ kind: 'float', index: i++ }); continue; }
    if (s.quant.kind === 'conv2d') { plan.push({ kind: 'conv', index: i, layer: layers[i++]! }); continue; }
    const chain: Int8ChainLayer[] = [], from = i;
    // A layer whose input width differs from the previous output ends the chain: its own shape check then reports it.
    while (isLinear(steps[i]) && (chain.length === 0 || layers[i]!.k === chain[chain.length - 1]!.n)) {
      let layer = layers[i++]!;
      const next = steps[i];
      const act = next && 'float' in next ? fusableAct(next.float) : null;
      if (act) { layer = { ...layer, act }; i++; }
      chain.push(layer);
    }
    plan.push({ kind: 'chain', from, to: i, layers: chain });
  }
  return plan;
}
