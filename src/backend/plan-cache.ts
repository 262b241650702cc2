// Memoised iteration plans: an op on the same shapes as last step reuses its broadcast/reduce plan.
import type { BroadcastPlan, ReducePlan } from './backend.js';
import { broadcastPlan, reducePlan } from './plan.js';
import { broadcastShapes, reducedShape, sameShape, sizeOf } from '../core/shape.js';

/** A binary op's output shape (frozen, shareable by tensors) and its broadcast plan. */
export interface BinaryLayout {
  readonly shape: readonly number[];
  readonly plan: BroadcastPlan;
}

/** A reduction's output shapes (kept dims as 1, and as asked) and its plan. */
export interface ReduceLayout {
  readonly keptShape: readonly number[];
  readonly shape: readonly number[];
  readonly plan: ReducePlan;
}

/** Plans are small; the caches are cleared when they grow past this many shape combinations. */
const MAX_ENTRIES = 2048;

const flatPlans = new Map<number, BroadcastPlan>();
// Keyed by a hash of the shapes; each entry keeps its shapes so a hit is verified (collisions miss).
const binaryLayouts = new Map<number, BinaryLayout & { a: readonly number[]; b: readonly number[] }>();
const reduceLayouts = new Map<number, ReduceLayout & { x: readonly number[]; axes: readonly number[]; keepdims: boolean }>();

/** Mixes a shape into hash `h` (FNV-style, 32-bit). */
function mix(h: number, shape: readonly number[]): number {
  h = Math.imul(h ^ shape.length, 16777619);
  for (let i = 0; i < shape.length; i++) h = Math.imul(h ^ shape[i]!, 16777619);
  return h;
}

function freezePlan(p: BroadcastPlan): BroadcastPlan {
  return Object.freeze({ shape: Object.freeze(p.shape), aStrides: Object.freeze(p.aStrides), bStrides: Object.freeze(p.bStrides) });
}

/** The plan of two contiguous operands of `n` elements each, walked as one flat row. */
function flatPlan(n: number): BroadcastPlan {
  let p = flatPlans.get(n);
  if (p === undefined) {
    if (flatPlans.size >= MAX_ENTRIES) flatPlans.clear();
    p = freezePlan(broadcastPlan([n], [n], [n]));
    flatPlans.set(n, p);
  }
  return p;
}

/**
 * Output shape and broadcast plan of `a op b`, memoised by the operand shapes. Equal shapes reuse
 * `a`'s (frozen) shape. Throws the ShapeError of {@link broadcastShapes}, naming `op`, when the
 * shapes do not broadcast.
 * @example const { shape, plan } = binaryLayout('add', [10, 8], [8]);
 */
export function binaryLayout(op: string, a: readonly number[], b: readonly number[]): BinaryLayout {
  if (sameShape(a, b)) return { shape: Object.isFrozen(a) ? a : Object.freeze(a.slice()), plan: flatPlan(sizeOf(a)) };
  const key = mix(mix(2166136261, a), b);
  let l = binaryLayouts.get(key);
  if (l === undefined || !sameShape(l.a, a) || !sameShape(l.b, b)) {
    const shape = Object.freeze(broadcastShapes(op, a, b));
    if (binaryLayouts.size >= MAX_ENTRIES) binaryLayouts.clear();
    l = Object.freeze({ shape, plan: freezePlan(broadcastPlan(a, b, shape)), a: Object.freeze(a.slice()), b: Object.freeze(b.slice()) });
    binaryLayouts.set(key, l);
  }
  return l;
}

/**
 * Output shapes and reduce plan of reducing `shape` over sorted, normalised `axes`, memoised.
 * @example reduceLayout([10, 8], [0], false).shape // [8]
 */
export function reduceLayout(shape: readonly number[], axes: readonly number[], keepdims: boolean): ReduceLayout {
  const key = mix(mix(keepdims ? 1 : 2, shape), axes);
  let l = reduceLayouts.get(key);
  if (l === undefined || l.keepdims !== keepdims || !sameShape(l.x, shape) || !sameShape(l.axes, axes)) {
    if (reduceLayouts.size >= MAX_ENTRIES) reduceLayouts.clear();
    const keptShape = Object.freeze(reducedShape(shape, axes, true));
    const plan = reducePlan(shape, axes);
    l = Object.freeze({
      keptShape,
      shape: keepdims ? keptShape : Object.freeze(reducedShape(shape, axes, false)),
      plan: Object.freeze({ shape: Object.freeze(plan.shape), outStrides: Object.freeze(plan.outStrides) }),
      x: Object.freeze(shape.slice()), axes: Object.freeze(axes.slice()), keepdims,
    });
    reduceLayouts.set(key, l);
  }
  return l;
}
