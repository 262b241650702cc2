// No-grad inference fast path: a Sequential of Linear + activations runs one fused kernel call per layer, buffers reused.
import { Tensor, peekStorage } from '../tensor/tensor.js';
import { type Storage, allocate } from '../core/dtype.js';
import type { LinearAct } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { isGradEnabled } from '../autograd/graph.js';
import { binaryLayout } from '../backend/plan-cache.js';
import { Sequential } from './containers.js';
import { Linear } from './linear.js';
import { BatchNorm1d, Dropout } from './layers.js';
import { Hardtanh, IdentityActivation, LeakyReLU, ReLU, Sigmoid, Softsign, Tanh } from './activations.js';
import type { Module } from './module.js';

/** One step of a plan: a Linear with the activation fused after it, or a module run as usual. */
type Step =
  | { readonly kind: 'linear'; readonly layer: Linear; readonly actModule: Module | null; buffer: Storage | null }
  | { readonly kind: 'module'; readonly module: Module };

/** The fused form of an activation module, `undefined` if it has none (identity fuses as `null`). */
function fusedAct(m: Module | undefined): LinearAct | null | undefined {
  const c = m?.constructor;
  if (c === IdentityActivation) return null;
  if (c === ReLU) return { kind: 'unary', op: 'relu' };
  if (c === Sigmoid) return { kind: 'unary', op: 'sigmoid' };
  if (c === Tanh) return { kind: 'unary', op: 'tanh' };
  if (c === Softsign) return { kind: 'unary', op: 'softsign' };
  // Invalid parameters are left to the eager path, which raises its usual error.
  if (c === Hardtanh && (m as Hardtanh).min < (m as Hardtanh).max) return { kind: 'param', op: 'hardtanh', p: (m as Hardtanh).min, q: (m as Hardtanh).max };
  if (c === LeakyReLU && Number.isFinite((m as LeakyReLU).alpha)) return { kind: 'param', op: 'leakyRelu', p: (m as LeakyReLU).alpha, q: 0 };
  return undefined;
}

/** Modules a plan may run as they are (their eval-mode forward keeps no reference to its input). */
const PLAIN = new Set<unknown>([Dropout, BatchNorm1d, IdentityActivation, ReLU, Sigmoid, Tanh, Softsign, Hardtanh, LeakyReLU]);

/** The steps of a Sequential made only of known layers and holding a Linear, else null. */
function compile(model: Module): Step[] | null {
  if (model.constructor !== Sequential) return null;
  const layers = (model as Sequential).layers, steps: Step[] = [];
  for (let i = 0; i < layers.length; i++) {
    const m = layers[i]!;
    if (m.constructor === Linear) {
      const actModule = fusedAct(layers[i + 1]) === undefined ? null : layers[++i]!;
      steps.push({ kind: 'linear', layer: m as Linear, actModule, buffer: null });
    } else if (PLAIN.has(m.constructor)) steps.push({ kind: 'module', module: m });
    else return null;
  }
  return steps.some((s) => s.kind === 'linear') ? steps : null;
}

/** A compiled plan and the layer list it was compiled from. */
interface Plan {
  readonly layers: readonly Module[];
  readonly steps: Step[] | null;
}

const plans = new WeakMap<Module, Plan>();

/** The cached plan of a model, compiled again whenever its list of layers has changed since. */
function planOf(model: Module): Step[] | null {
  const layers = model instanceof Sequential ? model.layers : undefined;
  const cached = plans.get(model);
  if (cached && layers && cached.layers.length === layers.length && cached.layers.every((m, i) => m === layers[i])) return cached.steps;
  const plan = { layers: layers ? [...layers] : [], steps: compile(model) };
  plans.set(model, plan);
  return plan.steps;
}

/** One fused step, or the eager modules where the fused form does not apply to this input. */
function runLinear(step: Extract<Step, { kind: 'linear' }>, h: Tensor, last: boolean): Tensor {
  const w = step.layer.params.weight as Tensor, b = step.layer.params.bias as Tensor | undefined;
  // The activation's parameters are read on every call (an invalid one is left to the eager module).
  const act = step.actModule ? fusedAct(step.actModule) : null;
  const m = h.shape[0]!, k = step.layer.inFeatures, n = step.layer.outFeatures;
  // Anything unusual (rank-3 input, replaced parameters of another shape or dtype) runs eagerly, which raises or copes.
  const fits = h.rank === 2 && h.shape[1] === k && w.rank === 2 && w.shape[0] === n && w.shape[1] === k && w.dtype === h.dtype
    && (b === undefined || (b.dtype === h.dtype && b.rank === 1 && b.shape[0] === n));
  if (!fits || act === undefined) {
    const y = step.layer.forward(h);
    return step.actModule ? step.actModule.forward(y) : y;
  }
  // The last step's output goes to the caller: always a fresh array, never a reused buffer.
  if (last || step.buffer === null || step.buffer.length !== m * n || step.buffer.constructor !== allocate(h.dtype, 0).constructor) {
    step.buffer = null;
  }
  const out = step.buffer ?? allocate(h.dtype, m * n);
  if (!last) step.buffer = out;
  // Read without reporting a read (core/storage-version.ts): resident copies of the weights stay valid.
  linearAct(peekStorage(h), peekStorage(w), b ? peekStorage(b) : null, out, m, k, n, act);
  return new Tensor(out, [m, n]);
}

/**
 * out = act(x @ wᵀ + b) on the current backend: its fused kernel where it has one that applies, else
 * the eager path's kernels in its order (matmul, in-place bias add, activation), so either way the
 * result is bit-identical to `act(linear(x, w, b))`.
 */
function linearAct(x: Storage, w: Storage, b: Storage | null, out: Storage, m: number, k: number, n: number, act: LinearAct | null): void {
  const backend = getBackend();
  if (backend.linearAct?.(x, w, b, out, m, k, n, act)) return;
  backend.matmul(x, w, out, { batch: 1, m, k, n, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 });
  if (b) backend.binary('add', out, b, out, binaryLayout('linear', [m, n], [n]).plan);
  if (act?.kind === 'unary') backend.unary(act.op, out, out);
  else if (act) backend.unaryParam(act.op, out, out, act.p, act.q);
}

/** True when the model and every module inside it are in eval mode (the only mode a plan runs in). */
function allEval(model: Module): boolean {
  return !model.training && (model as Sequential).layers.every((m) => !m.training);
}

/**
 * Runs `model` on `x` through the no-grad fast path when it applies — a plain Sequential of Linear,
 * the built-in activations, Dropout and BatchNorm1d, in eval mode (every module's flag, or `mode`
 * 'eval' whatever the flags say), called inside `noGrad` — and returns null otherwise (the caller
 * then runs the model). The result is bit-identical to `model.forward(x)` in eval mode (and to
 * `model.apply(model.params, x, { mode: 'eval', state: model.state }).y`) on the same backend and
 * never shares memory with a later call's result.
 * @example const y = noGrad(() => inferFast(model, x) ?? model.forward(x));
 */
export function inferFast(model: Module, x: Tensor, mode: 'own' | 'eval' = 'own'): Tensor | null {
  const steps = planOf(model);
  // With gradients recorded the caller needs the graph, which the fused steps do not build.
  if (steps === null || isGradEnabled() || (mode === 'own' && !allEval(model))) return null;
  let h = x;
  steps.forEach((s, i) => {
    h = s.kind === 'linear' ? runLinear(s, h, i === steps.length - 1) : s.module.apply(s.module.params, h, { mode: 'eval', state: s.module.state }).y;
  });
  const hd = peekStorage(h);
  const reused = steps.some((s) => s.kind === 'linear' && s.buffer === hd);
  return reused ? new Tensor(hd.slice(), h.shape) : h;
}

/**
 * The eval-mode forward in its pure form (the fused path where it applies); the model is not touched.
 * @example const raw = noGrad(() => inferEval(model, x));
 */
export function inferEval(model: Module, x: Tensor): Tensor {
  return inferFast(model, x, 'eval') ?? model.apply(model.params, x, { mode: 'eval', state: model.state }).y;
}
