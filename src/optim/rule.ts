// Declared optimizer rules: per-leaf state slots, per-step scalars and a leaf update; the fused step applies them.
import { Tensor, full } from '../tensor/tensor.js';
import type { Storage } from '../core/dtype.js';
import { ArgumentError } from '../core/errors.js';
import { sameShape } from '../core/shape.js';
import { type ParamTree, leaves } from '../tree/tree.js';
import type { FusedStep, OptState } from './transform.js';
import type { Schedule } from './schedules.js';
import { LR_KEY, SCHEDULED_LR_KEY } from './scale.js';
import { getBackend } from '../backend/registry.js';

// NOTE: the unfused chains round every intermediate tensor (and every scalar operand, which a
// float32 tensor op lifts to float32) to the storage dtype. A leaf kernel applies `r` (Math.fround
// for float32 leaves, the identity for float64) at the same points, and its constants arrive
// already rounded by `r`, so the fused step is bit-identical to the chain (IEEE +, −, ×, ÷ and √
// done in float64 then rounded to float32 equal the float32 operations).

/** Rounds to the leaf's storage dtype: Math.fround for float32, the identity for float64. */
export type Round = (x: number) => number;

/** Where a rule's value lives in its chain's state: the index of the piece and the key inside it. */
export type StateRef = readonly [piece: number, key: string];

/**
 * One leaf's update: reads p, g (null: a zero gradient, and p is left unchanged) and the slots'
 * previous values `ins`, writes the slots' next values into `outs` and, where g is given, p in place.
 */
export type LeafKernel = (r: Round, p: Storage, g: Storage | null, ins: readonly Storage[], outs: readonly Storage[], c: readonly number[]) => void;

/**
 * A backend's own kernel for a rule (Backend.ruleKernels): same contract and bits as the rule's
 * leaf kernel; returns false, having written nothing, where it does not apply (then the JS kernel runs).
 */
export type BackendRuleKernel = (hyper: Readonly<Record<string, unknown>>, p: Storage, g: Storage | null, ins: readonly Storage[], outs: readonly Storage[], c: readonly number[]) => boolean;

/**
 * An optimizer's declared per-leaf update rule. `hyper` holds its named hyperparameters (`lr` the
 * learning rate: a number, or a schedule of the update count). The rule's state lives in its
 * chain's state at the declared refs (so checkpoints keep the chain's layout), and the learning
 * rate in the chain's last piece.
 * @example const rule = adam({ lr: 1e-3 }).rule!; rule.name === 'adam' && rule.hyper.lr === 1e-3
 */
export interface UpdateRule {
  readonly name: string;
  readonly hyper: Readonly<{ lr: number | Schedule } & Record<string, unknown>>;
  /** Per-leaf state: trees of the parameters' structure, zeros at init (Adam: mu, nu). */
  readonly slots: readonly StateRef[];
  /** Float64 scalars the rule reads and advances (step counts, NAdam's momentum product). */
  readonly scalars: readonly StateRef[];
  /** The index of the piece holding the learning rate (the chain's last). */
  readonly lrPiece: number;
  /** From the scalars before this step and η: the leaf kernel's constants and the scalars after it. */
  begin(scalars: readonly number[], lr: number): { constants: number[]; scalars: number[] };
  /** The JS kernel (the reference every backend kernel must match). */
  readonly leaf: LeafKernel;
}

function malformed(rule: UpdateRule, ref: StateRef, what: string): ArgumentError {
  return new ArgumentError('Optimizer.step', `${rule.name}: the state has ${what} at "${ref[0]}.${ref[1]}", where the rule declares it; the state was not built by this optimizer's init (load a stateDict saved from the same optimizer over the same parameters)`);
}

function piece(rule: UpdateRule, state: OptState, ref: StateRef): Record<string, ParamTree> {
  const p = Array.isArray(state) ? state[ref[0]] : undefined;
  if (p === undefined || p === null || p instanceof Tensor || Array.isArray(p) || typeof p !== 'object') throw malformed(rule, ref, `no piece ${ref[0]}`);
  return p as Record<string, ParamTree>;
}

function scalarAt(rule: UpdateRule, state: OptState, ref: StateRef): number {
  const t = piece(rule, state, ref)[ref[1]];
  if (!(t instanceof Tensor) || t.size !== 1) throw malformed(rule, ref, t === undefined ? 'no scalar' : 'a non-scalar');
  return t.item();
}

function slotLeaves(rule: UpdateRule, state: OptState, ref: StateRef, params: readonly Tensor[]): Tensor[] {
  const tree = piece(rule, state, ref)[ref[1]];
  if (tree === undefined) throw malformed(rule, ref, 'no slot tree');
  const ls = leaves(tree);
  if (ls.length !== params.length) throw malformed(rule, ref, `${ls.length} slot tensors for ${params.length} parameters`);
  ls.forEach((s, i) => {
    if (!sameShape(s.shape, params[i]!.shape) || s.dtype !== params[i]!.dtype) throw malformed(rule, ref, `a ${s.dtype} slot of shape [${s.shape.join(', ')}] for a ${params[i]!.dtype} parameter of shape [${params[i]!.shape.join(', ')}]`);
  });
  return ls;
}

/** η for this step and the learning-rate piece after it. */
function learningRate(rule: UpdateRule, state: OptState): { eta: number; next: OptState } {
  const lr = rule.hyper.lr, ref: StateRef = [rule.lrPiece, typeof lr === 'function' ? 'count' : LR_KEY];
  if (typeof lr !== 'function') return { eta: scalarAt(rule, state, ref), next: piece(rule, state, ref) };
  const t = scalarAt(rule, state, ref);
  const eta = lr(t);
  if (!(Number.isFinite(eta) && eta >= 0)) throw new ArgumentError('scaleByLearningRate', `the learning-rate schedule gave ${eta} at step ${t}; it must be a finite number >= 0`);
  return { eta, next: { count: scalar(t + 1), [SCHEDULED_LR_KEY]: scalar(eta) } };
}

/**
 * A leaf kernel's gradient with coupled L2 decay: x = g + λp (when `decay`), g null being zeros.
 * @example const x = decayed(Math.fround, g, p, j, 1e-4, true);
 */
export function decayed(r: Round, g: Storage | null, p: Storage, j: number, wd: number, decay: boolean): number {
  const x = g === null ? 0 : g[j]!;
  return decay ? r(x + r(p[j]! * wd)) : x;
}

const scalar = (v: number): Tensor => full([], v, { dtype: 'float64' });
const identity: Round = (x) => x;
const NO_STORAGES: Storage[] = Object.freeze([]) as unknown as Storage[];

/** Rebuilds `tree` with its leaves replaced, in `leaves` order. */
function withLeaves(tree: ParamTree, values: readonly Tensor[], at: { i: number }): ParamTree {
  if (tree instanceof Tensor) return values[at.i++]!;
  if (Array.isArray(tree)) return (tree as readonly ParamTree[]).map((c) => withLeaves(c, values, at));
  const out: Record<string, ParamTree> = {};
  for (const k of Object.keys(tree)) out[k] = withLeaves((tree as Record<string, ParamTree>)[k]!, values, at);
  return out;
}

/**
 * The fused step of a declared rule: one kernel call per leaf (the backend's own kernel for the
 * rule where it has one that applies, else the rule's JS kernel). Parameters change in place; the
 * slots go to fresh tensors and the state is replaced, as `update` does. A state without the
 * declared layout throws (it is never guessed at). Gradients of another dtype than their parameter
 * return undefined: `update` (which casts) runs instead.
 * @example
 * const rule = sgdRule({ lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 });
 * const tx = { ...chain(scaleByLearningRate(0.1)), rule, fused: fusedRule(rule) };   // plain SGD, as optimizers.ts builds it
 */
export function fusedRule(rule: UpdateRule): FusedStep {
  return (params, grads, state) => {
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      if (g != null && (g.dtype !== params[i]!.dtype || !sameShape(g.shape, params[i]!.shape))) return undefined;
    }
    const ins = rule.slots.map((ref) => slotLeaves(rule, state, ref, params));
    const lr = learningRate(rule, state);
    const { constants, scalars } = rule.begin(rule.scalars.map((ref) => scalarAt(rule, state, ref)), lr.eta);
    const backendKernel = getBackend().ruleKernels?.[rule.name];
    const c32 = constants.map(Math.fround);
    const nSlots = rule.slots.length;
    const outs: Tensor[][] = rule.slots.map(() => []);
    // Plain loops (no closure per leaf): small networks run this once per step for every leaf.
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!, gi = grads[i], g = gi == null ? null : gi.data, pd = p.data;
      // A rule without slots (plain SGD) shares one empty list: no two arrays per leaf per step.
      const o: Storage[] = nSlots === 0 ? NO_STORAGES : new Array<Storage>(nSlots), inData: Storage[] = nSlots === 0 ? NO_STORAGES : new Array<Storage>(nSlots);
      for (let k = 0; k < nSlots; k++) {
        const t = full(p.shape, 0, { dtype: p.dtype });
        outs[k]!.push(t);
        o[k] = t.data;
        inData[k] = ins[k]![i]!.data;
      }
      if (backendKernel?.(rule.hyper, pd, g, inData, o, constants)) continue;
      const f32 = pd instanceof Float32Array;
      rule.leaf(f32 ? Math.fround : identity, pd, g, inData, o, f32 ? c32 : constants);
    }
    return nextState(rule, state as OptState[], outs, scalars, lr.next);
  };
}

function setAt(next: OptState[], ref: StateRef, value: ParamTree): void {
  next[ref[0]] = { ...(next[ref[0]] as Record<string, ParamTree>), [ref[1]]: value };
}

function nextState(rule: UpdateRule, state: OptState[], outs: Tensor[][], scalars: number[], lrPiece: OptState): OptState[] {
  const next = state.slice();
  for (let k = 0; k < rule.slots.length; k++) {
    const ref = rule.slots[k]!;
    setAt(next, ref, withLeaves(piece(rule, state, ref)[ref[1]]!, outs[k]!, { i: 0 }));
  }
  for (let k = 0; k < rule.scalars.length; k++) setAt(next, rule.scalars[k]!, scalar(scalars[k]!));
  next[rule.lrPiece] = lrPiece;
  return next;
}
