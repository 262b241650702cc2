// Define-by-run reverse mode: recording switch, op records, and backward() over the recorded graph.
import { Tensor } from '../core/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { sameShape } from '../core/shape.js';
import { reduceToShape } from './reduce-to-shape.js';
import { add } from '../ops/elementwise.js';
import { ones } from '../core/tensor.js';

let gradEnabled = true;

/** True while ops are recorded for autograd. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording the graph (inference, parameter updates).
 * @example const y = noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  return withGrad(false, fn);
}

/** Runs `fn` with recording switched on or off, restoring the previous mode afterwards. */
export function withGrad<T>(enabled: boolean, fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, i] = top;
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1] = i + 1;
      const child = inputs[i]!;
      if (child.requiresGrad && !seen.has(child)) {
        seen.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

export interface BackwardOptions {
  /** Record the backward pass itself, so gradients can be differentiated again. */
  createGraph?: boolean;
}

/**
 * Reverse-mode sweep from `root`: gradients accumulate into `.grad` of every leaf that requires
 * them (and of tensors marked `retainGrad()`). `grad` defaults to 1 for a one-element root.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * backward(w.mul(3).sum());   // w.grad = [3, 3]
 */
export function backward(root: Tensor, grad?: Tensor, opts: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new ArgumentError('backward', 'tensor does not require grad: no input of the computation had requiresGrad set (or it ran under noGrad)');
  }
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new ArgumentError('backward', `implicit gradient only for a one-element output, got shape ${fmtShape(root.shape)}; pass an upstream gradient`);
    }
    grad = ones(root.shape, { dtype: root.dtype });
  } else if (!sameShape(grad.shape, root.shape)) {
    throw new ShapeError('backward', `upstream gradient ${fmtShape(grad.shape)} does not match output ${fmtShape(root.shape)}`);
  }
  const g0 = grad;
  withGrad(opts.createGraph ?? false, () => sweep(root, g0));
}

function sweep(root: Tensor, grad: Tensor): void {
  const grads = new Map<Tensor, Tensor>([[root, grad]]);
  for (const t of topoOrder(root)) {
    const g = grads.get(t);
    if (g === undefined) continue;
    grads.delete(t);
    const node = t.node;
    if (node === null || t.retainsGrad) t.grad = t.grad === null ? g : add(t.grad, g);
    if (node === null) continue;
    const inputGrads = node.vjp(g, node.inputs, t, node.args as never);
    node.inputs.forEach((input, i) => {
      const gi = inputGrads[i];
      if (!input.requiresGrad || gi === null || gi === undefined) return;
      const reduced = reduceToShape(gi, input.shape);
      const prev = grads.get(input);
      grads.set(input, prev === undefined ? reduced : add(prev, reduced));
    });
  }
}
