// Runs a primitive: its forward kernel, then (when recording) the graph node with its VJP rule.
import type { Tensor } from '../tensor/tensor.js';
import type { OpArgs, OpName } from './spec.js';
import { forwardKernels } from './forward.js';
import { vjpRules } from '../autograd/rules.js';
import { isGradEnabled } from '../autograd/graph.js';
// Fluent tensor methods (x.add(y)...) are attached wherever ops are used, not only via the index.
import './methods.js';

/** Applies primitive `op` to `inputs`; every public op funnels through here. */
export function run<K extends OpName>(op: K, inputs: Tensor[], args: OpArgs[K]): Tensor {
  const out = forwardKernels[op](inputs, args);
  if (isGradEnabled() && anyRequiresGrad(inputs) && !NO_GRAD.has(op)) {
    out.requiresGrad = true;
    out.node = { op, inputs, args, vjp: vjpRules[op] as never, freed: false };
  }
  return out;
}

function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!.requiresGrad) return true;
  return false;
}

/** Ops whose output is piecewise constant: they never carry gradient. */
const NO_GRAD = new Set<OpName>(['gt', 'ge', 'lt', 'le', 'eq', 'sign', 'argmax']);
