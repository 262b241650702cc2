// Define-by-run reverse mode: backward() over the graph the ops recorded, with the VJP rule table (rules.ts).
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { sameShape } from '../core/shape.js';
import { reduceToShape } from './reduce-to-shape.js';
import { accumulate, RegionGrad } from './accumulate.js';
import { add } from '../ops/elementwise.js';
import { isGradEnabled, withGrad } from '../ops/grad-mode.js';
import { type TensorClass, tensorOf } from '../ops/make.js';
import { allocate } from '../core/dtype.js';
import { type VjpRule, vjpRules } from './rules.js';
import type { OpName } from '../ops/spec.js';
import { type AllowedKeys, checkOptions } from '../core/options.js';

export { isGradEnabled, noGrad, withGrad } from '../ops/grad-mode.js';

/** Numbers the sweeps, so a tensor's scratch fields from an earlier (or aborted) sweep are ignored. */
let sweepCounter = 0;

/**
 * Tensors reachable from `root` through inputs that require grad, root first, each after every
 * tensor that uses it; marks each with `id` (its `pendingGrad` cleared) as it is found.
 */
function topoOrder(root: Tensor, id: number): Tensor[] {
  const order: Tensor[] = [];
  // An explicit DFS stack: tensors and the index of the next input to visit (no recursion limit).
  const stack: Tensor[] = [root];
  const next: number[] = [0];
  root.sweepId = id;
  root.pendingGrad = null;
  if (root.node !== null && root.node.freed) throw freedGraphError(root.node.op);
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top]!;
    const inputs = t.node === null ? NO_INPUTS : t.node.inputs;
    const i = next[top]!;
    if (i < inputs.length) {
      next[top] = i + 1;
      const child = inputs[i]!;
      if (child.requiresGrad && child.sweepId !== id) {
        if (child.node !== null && child.node.freed) throw freedGraphError(child.node.op);
        child.sweepId = id;
        child.pendingGrad = null;
        stack.push(child);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

const NO_INPUTS: readonly Tensor[] = [];

function freedGraphError(op: string): ArgumentError {
  return new ArgumentError('backward', `trying to backward through the graph a second time: the '${op}' step was already used (and freed) by an earlier backward(), so gradients would be added twice. Pass { retainGraph: true } to the earlier backward() if you really need to differentiate the same graph again, or run the forward pass again to build a fresh graph`);
}

export interface BackwardOptions {
  /** Record the backward pass itself, so gradients can be differentiated again (implies `retainGraph` unless it is given). */
  createGraph?: boolean;
  /**
   * Keep the graph usable for another backward() (PyTorch's `retain_graph`). Default: `createGraph`.
   * Without it the graph is freed: a second backward() through any of its nodes is an error.
   */
  retainGraph?: boolean;
}

const BACKWARD_OPTIONS: AllowedKeys<BackwardOptions> = { createGraph: true, retainGraph: true };
const NO_OPTIONS: BackwardOptions = Object.freeze({});

/**
 * Reverse-mode sweep from `root`: gradients accumulate into `.grad` of every leaf that requires
 * them (and of tensors marked `retainGrad()`). `grad` defaults to 1 for a one-element root.
 * Afterwards the graph is freed (its nodes drop their inputs), as in PyTorch: a second backward()
 * through any of its nodes throws unless the first one passed `{ retainGraph: true }`.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * backward(w.mul(3).sum());   // w.grad = [3, 3]
 * const y = w.mul(w).sum();
 * y.backward({ retainGraph: true }); y.backward();   // the second call is allowed by the first's option
 */
export function backward(root: Tensor, grad?: Tensor | BackwardOptions, opts: BackwardOptions = NO_OPTIONS): void {
  if (grad !== undefined && !(grad instanceof (root.constructor as TensorClass))) {
    opts = grad;
    grad = undefined;
  }
  if (!root.requiresGrad) {
    throw new ArgumentError('backward', 'tensor does not require grad: no input of the computation had requiresGrad set (or it ran under noGrad)');
  }
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new ArgumentError('backward', `implicit gradient only for a one-element output, got shape ${fmtShape(root.shape)}; pass an upstream gradient`);
    }
    grad = tensorOf(root, allocate(root.dtype, 1).fill(1), root.shape);
  } else if (!sameShape(grad.shape, root.shape)) {
    throw new ShapeError('backward', `upstream gradient ${fmtShape(grad.shape)} does not match output ${fmtShape(root.shape)}`);
  }
  if (opts !== NO_OPTIONS) checkOptions('backward', opts, BACKWARD_OPTIONS);
  const g0 = grad, createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  withGrad(createGraph, () => sweep(root, g0, retainGraph));
}

function sweep(root: Tensor, grad: Tensor, retainGraph: boolean): void {
  const id = ++sweepCounter;
  const order = topoOrder(root, id);
  root.pendingGrad = grad;
  // Gradient totals this sweep allocated itself (safe to add into in place until they are consumed).
  // Under createGraph every sum must be a recorded op, so nothing is added in place.
  const owned = new Set<Tensor>(), recorded = isGradEnabled();
  try {
    for (let k = 0; k < order.length; k++) {
      const t = order[k]!;
      const g = t.pendingGrad;
      if (g === null) continue;
      t.pendingGrad = null;
      owned.delete(g); // handed on: rules and .grad may now hold it
      const node = t.node;
      if (node === null || t.retainsGrad) t.grad = t.grad === null ? g : add(t.grad, g);
      if (node === null) continue;
      const rule = node.vjp ?? (vjpRules[node.op as OpName] as VjpRule<OpName>);
      const inputGrads = rule(g, node.inputs, t, node.args as never);
      const inputs = node.inputs;
      for (let i = 0; i < inputs.length; i++) {
        const input = inputs[i]!, gi = inputGrads[i];
        if (!input.requiresGrad || gi === null || gi === undefined || input.sweepId !== id) continue;
        input.pendingGrad = recorded ? addRecorded(input.pendingGrad, gi, input.shape) : accumulate(input.pendingGrad, gi instanceof RegionGrad ? gi : reduceToShape(gi, input.shape), owned);
      }
    }
    if (!retainGraph) freeGraph(order);
  } finally {
    // Drop references to gradients of an aborted sweep (the ids already make them inert).
    for (let k = 0; k < order.length; k++) order[k]!.pendingGrad = null;
  }
}

/** createGraph's accumulation: every gradient dense and every sum a recorded `add`. */
function addRecorded(prev: Tensor | null, gi: Tensor | RegionGrad, shape: readonly number[]): Tensor {
  const reduced = gi instanceof RegionGrad ? gi.toDense() : reduceToShape(gi, shape);
  return prev === null ? reduced : add(prev, reduced);
}

/** Marks every node of a finished sweep as used and drops its inputs, so the memory can be reclaimed. */
function freeGraph(order: readonly Tensor[]): void {
  for (let k = 0; k < order.length; k++) {
    const node = order[k]!.node;
    if (node === null) continue;
    node.freed = true;
    node.inputs = NO_INPUTS;
    node.args = null;
  }
}
