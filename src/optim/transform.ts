// GradientTransformation: the pure (init, update) pair optimizers are composed from; chain, applyUpdates, leaf helpers.
import { Tensor, full } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { noGrad } from '../autograd/graph.js';
import { add, cast } from '../ops/elementwise.js';
import { type ParamTree, entries, map, map2 } from '../tree/tree.js';
import type { UpdateRule } from './rule.js';

/** Optimizer state: a tree of tensors (moments mirror the parameter tree; counters are float64 scalars). */
export type OptState = ParamTree;

/** What `update` returns: the updates to ADD to the parameters, and the next state. */
export interface TransformResult<S extends OptState = OptState> {
  updates: ParamTree;
  state: S;
}

/**
 * A pure optimizer piece (Optax-style): `init` builds state for a parameter tree, `update` maps
 * gradients (or the updates of the previous piece) to updates and the next state. Updates are
 * added to parameters: p ← p + u. Nothing is mutated; compose pieces with `chain`.
 *
 * @example
 * const tx = chain(scaleByAdam(), scaleByLearningRate(1e-3));
 * let state = tx.init(params);
 * const r = tx.update(grads, state, params); state = r.state; params = applyUpdates(params, r.updates);
 */
export interface GradientTransformation<S extends OptState = OptState> {
  init(params: ParamTree): S;
  update(grads: ParamTree, state: S, params?: ParamTree): TransformResult<S>;
  /**
   * Optional fused form used by `Optimizer.step` (the declared rule's, see optim/rule.ts): p ← p +
   * update(g) done IN PLACE with one kernel call per leaf and the same float arithmetic as `update`.
   */
  fused?(params: readonly Tensor[], grads: readonly (Tensor | null)[], state: S): S | undefined;
  /** The learning rate this transformation keeps in its state (scaleByLearningRate declares it; chain passes it on). */
  readonly lr?: LearningRateField<S>;
  /** The per-leaf update rule it declares (every named optimizer does; see optim/rule.ts). */
  readonly rule?: UpdateRule;
}

/**
 * A declared learning rate: read from a state, and written into a new one unless it follows a
 * schedule (`scheduled`: `set` throws).
 * @example const eta = tx.lr!.get(state); state = tx.lr!.set(state, eta / 10);
 */
export interface LearningRateField<S extends OptState = OptState> {
  readonly scheduled: boolean;
  get(state: S): number;
  set(state: S, value: number): S;
}

/**
 * One fused optimizer step over the parameter leaves (in `leaves` order) and their gradients (null
 * where a leaf has none: its state sees zeros, the leaf is left unchanged). Writes the parameters'
 * storage in place and returns the next state — or undefined, touching nothing, when the state or
 * leaves do not have the layout it handles (the caller then runs `update`).
 */
export type FusedStep<S extends OptState = OptState> = (params: readonly Tensor[], grads: readonly (Tensor | null)[], state: S) => S | undefined;

/**
 * Builds a transformation whose init and update run under noGrad (no graph is recorded).
 * @example transformation(() => ({}), (g, s) => ({ updates: g, state: s }))
 */
export function transformation<S extends OptState>(
  init: (params: ParamTree) => S,
  update: (grads: ParamTree, state: S, params?: ParamTree) => TransformResult<S>,
): GradientTransformation<S> {
  return { init: (p) => noGrad(() => init(p)), update: (g, s, p) => noGrad(() => update(g, s, p)) };
}

/**
 * Runs transformations in sequence: the updates of one are the gradients of the next; the state
 * is the array of their states.
 * @example chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3))
 */
export function chain(...txs: GradientTransformation[]): GradientTransformation<OptState[]> {
  const lr = chainLearningRate(txs);
  return {
    ...(lr ? { lr } : {}),
    init: (params) => txs.map((t) => t.init(params)),
    update(grads, state, params) {
      if (!Array.isArray(state) || state.length !== txs.length) {
        throw new ArgumentError('chain', `state must be the array of ${txs.length} states that init returned, got ${Array.isArray(state) ? `${state.length} states` : typeof state}`);
      }
      let updates = grads;
      const next: OptState[] = [];
      txs.forEach((t, i) => {
        const r = t.update(updates, state[i]!, params);
        updates = r.updates;
        next.push(r.state);
      });
      return { updates, state: next };
    },
  };
}

/** The learning rate of a chain: the first piece's that has one is read; every settable one is set. */
function chainLearningRate(txs: readonly GradientTransformation[]): LearningRateField<OptState[]> | undefined {
  const at = txs.flatMap((t, i) => (t.lr ? [i] : []));
  if (at.length === 0) return undefined;
  const settable = at.filter((i) => !txs[i]!.lr!.scheduled);
  return {
    scheduled: settable.length === 0,
    get: (state) => txs[at[0]!]!.lr!.get(state[at[0]!]!),
    set(state, value) {
      if (settable.length === 0) return txs[at[0]!]!.lr!.set(state[at[0]!]!, value) as never;
      return state.map((s, i) => (settable.includes(i) ? txs[i]!.lr!.set(s, value) : s));
    },
  };
}

/**
 * p ← p + u for every leaf, as new tensors of the parameters' dtype that keep their requiresGrad
 * flag (so the next loss can be differentiated with respect to them).
 * @example params = applyUpdates(params, updates)
 */
export function applyUpdates<T extends ParamTree>(params: T, updates: ParamTree): T {
  return noGrad(() => map2(params, updates, (p, u) => {
    const s = add(p, u);
    return (s.dtype === p.dtype ? s : cast(s, p.dtype)).requireGrad(p.requiresGrad);
  }));
}

/**
 * Maps leaves of several same-structured trees together, returning `k` trees shaped like the
 * first: f([g, m, v]) → [u, m', v']. Names `fn` and the path when a tree lacks a leaf or differs in shape.
 * @example const [u, m] = zipLeaves('trace', 2, [grads, buf], ([g, b]) => [g.add(b), g]);
 */
export function zipLeaves(fn: string, k: number, trees: readonly ParamTree[], f: (xs: Tensor[]) => Tensor[]): ParamTree[] {
  const [first, ...others] = trees;
  if (first === undefined) throw new ArgumentError(fn, 'zipLeaves needs at least one tree');
  const lookups = others.map((t) => new Map(entries(t)));
  const results = new Map<string, Tensor[]>();
  for (const [path, x] of entries(first)) {
    const xs = [x, ...lookups.map((m) => {
      const y = m.get(path);
      if (y === undefined) throw new ArgumentError(fn, `no state or parameter leaf at "${path}"; gradients, parameters and state must share the parameter tree's structure (was init called with these parameters?)`);
      if (y.shape.join() !== x.shape.join()) throw new ShapeError(fn, `"${path}" has shape ${fmtShape(x.shape)} in the gradients but ${fmtShape(y.shape)} in the parameters or state`);
      return y;
    })];
    results.set(path, f(xs));
  }
  for (const m of lookups) {
    const missing = [...m.keys()].find((path) => !results.has(path));
    if (missing !== undefined) throw new ArgumentError(fn, `the gradients have no leaf at "${missing}"; pass a gradient (zeros if none) for every parameter`);
  }
  return Array.from({ length: k }, (_, i) => map(first, (_t, path) => results.get(path)![i]!));
}

/** The parameters an update needs (weight decay); throws naming `fn` when they were not passed. @example needParams('addWeightDecay', params) */
export function needParams(fn: string, params: ParamTree | undefined): ParamTree {
  if (params === undefined) throw new ArgumentError(fn, 'needs the parameters: call update(grads, state, params)');
  return params;
}

/** A float64 scalar tensor holding a counter or hyperparameter in state. @example counter(0) */
export function counter(n: number): Tensor {
  return full([], n, { dtype: 'float64' });
}

/** Zeros (or `value`) shaped and typed like every leaf of `params`. @example zerosLike(params) */
export function zerosLike(params: ParamTree, value = 0): ParamTree {
  return map(params, (p) => full(p.shape, value, { dtype: p.dtype }));
}
