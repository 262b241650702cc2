// Runs a primitive: its forward kernel, then (when recording) the graph node backward() differentiates
// with the op's VJP rule (autograd/rules.ts, looked up by op name, so ops never import autograd).
import type { Tensor } from '../tensor/tensor.js';
import type { OpArgs, OpName } from './spec.js';
import { forwardKernels } from './forward.js';
import { isGradEnabled } from './grad-mode.js';

/** Sees every primitive after its forward kernel ran (the captured step records engine-side ops through it). */
export type OpObserver = (op: OpName, inputs: readonly Tensor[], args: unknown, out: Tensor) => void;
let observer: OpObserver | null = null;

/**
 * Installs `f` as the op observer (null: none) and returns the previous one, to put back.
 * @example
 * const seen: string[] = [];
 * const prev = setOpObserver((op) => seen.push(op)); try { step(); } finally { setOpObserver(prev); }
 */
export function setOpObserver(f: OpObserver | null): OpObserver | null {
  const prev = observer;
  observer = f;
  return prev;
}

/** Applies primitive `op` to `inputs`; every public op funnels through here. */
export function run<K extends OpName>(op: K, inputs: Tensor[], args: OpArgs[K]): Tensor {
  const out = forwardKernels[op](inputs, args);
  if (observer !== null) observer(op, inputs, args, out);
  if (isGradEnabled() && anyRequiresGrad(inputs) && !NO_GRAD.has(op)) {
    out.requiresGrad = true;
    out.node = { op, inputs, args, freed: false };
  }
  return out;
}

function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!.requiresGrad) return true;
  return false;
}

/** Ops whose output is piecewise constant: they never carry gradient. */
const NO_GRAD = new Set<OpName>(['gt', 'ge', 'lt', 'le', 'eq', 'sign', 'argmax']);
