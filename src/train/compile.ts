// compileStep: a step traced twice, checked, then replayed as a plan of kernel calls over fixed buffers (eager where it cannot be).
import { Tensor, peekStorage } from '../tensor/tensor.js';
import { allocate } from '../core/dtype.js';
import { ArgumentError } from '../core/errors.js';
import { defaultRng } from '../core/rng.js';
import { getBackend, withBackend } from '../backend/registry.js';
import { isGradEnabled } from '../autograd/graph.js';
import { setOpObserver } from '../ops/dispatch.js';
import { type Buffer, Recorder } from '../autograd/capture/record.js';
import { type Plan, planFrom, replay, sameBits } from '../autograd/capture/plan.js';
import { leaves } from '../tree/tree.js';
import type { Module } from '../nn/module.js';
import { moduleRngs } from './state.js';
import { inferEval, inferFast } from '../nn/infer.js';

/** Options of {@link compileStep}. */
export interface CompileStepOptions {
  /**
   * The module the step runs: its parameters' gradients are put back after each replay and their
   * tensors must stay the same ones (else the step is traced again); its random streams and buffers
   * are watched (a step that draws random numbers or updates a buffer in JS stays eager).
   */
  module?: Module;
  /** Input shapes traced at most (default 4); calls with further shapes run eagerly. */
  maxShapes?: number;
  /**
   * The step computes gradients (default true): they must be cleared before each call and are put
   * back on the parameters after a replay. false for inference (gradients are neither read nor set).
   */
  gradients?: boolean;
}

/** What a compiled step did: calls traced, replayed, and run eagerly, and why the last fallback happened. */
export interface CaptureStats {
  traced: number;
  replayed: number;
  eager: number;
  fallback: string | null;
}

/** What a step returns: a tensor or an array of tensors. */
export type StepOutputs = Tensor | readonly Tensor[];

/**
 * A compiled step: call it like the step; `stats` says what ran; `inlined` counts the kernel calls of
 * the latest plan that its generated function runs inline (autograd/capture/codegen.ts).
 */
export type CompiledStep<R extends StepOutputs> = ((...inputs: Tensor[]) => R) & { readonly stats: CaptureStats; readonly inlined: number };

interface Entry {
  readonly sig: string;
  readonly backend: unknown;
  readonly training: boolean | undefined;
  readonly grad: boolean;
  readonly inputs: Tensor[];
  first?: Recorder;
  plan?: Plan;
  reason?: string;
  outputs?: StepOutputs;
  params?: Tensor[];
  storages?: Buffer[];
  grads?: (Tensor | null)[];
}

const detachAll = (r: StepOutputs): StepOutputs => (r instanceof Tensor ? r.detach() : r.map((t) => t.detach()));
const paramLeaves = (m: Module | undefined): Tensor[] => (m ? leaves(m.params) : []);
/** True when the entry's plan was traced over these very parameter tensors and storages. */
function sameParams(e: Entry, params: readonly Tensor[]): boolean {
  const was = e.params!, storages = e.storages!;
  if (was.length !== params.length) return false;
  for (let i = 0; i < params.length; i++) if (params[i] !== was[i] || peekStorage(params[i]!) !== storages[i]) return false;
  return true;
}

function anyGrad(params: readonly Tensor[]): boolean {
  for (let i = 0; i < params.length; i++) if (params[i]!.grad !== null) return true;
  return false;
}

/** A number per backend object (two backends may share a name, e.g. 'wasm' with and without threads). */
const backendIds = new WeakMap<object, number>();
let nextBackendId = 0;
function backendId(): number {
  const b = getBackend();
  let id = backendIds.get(b);
  if (id === undefined) backendIds.set(b, (id = nextBackendId++));
  return id;
}

function signature(xs: readonly Tensor[], m: Module | undefined): string {
  return `${getBackend().name}#${backendId()}|${m?.training ?? ''}|${isGradEnabled()}|${xs.map((x) => `${x.dtype}[${x.shape.join(',')}]`).join(';')}`;
}

/** True when `xs` have the shapes and dtypes of `e`'s inputs, on the same backend and training mode. */
function sameInputs(e: Entry, xs: readonly Tensor[], m: Module | undefined): boolean {
  if (e.backend !== getBackend() || e.training !== m?.training || e.grad !== isGradEnabled() || xs.length !== e.inputs.length) return false;
  for (let i = 0; i < xs.length; i++) {
    const a = xs[i]!, b = e.inputs[i]!;
    if (a.dtype !== b.dtype || a.shape.length !== b.shape.length) return false;
    for (let d = 0; d < a.shape.length; d++) if (a.shape[d] !== b.shape[d]) return false;
  }
  return true;
}

function rngState(m: Module | undefined): string {
  return JSON.stringify([defaultRng().getState(), ...(m ? moduleRngs(m).map((r) => r.getState()) : [])]);
}

/** Copies of the module's non-parameter tensors (buffers such as running statistics), by name. */
function moduleBuffers(m: Module | undefined, params: ReadonlySet<Buffer>): Map<string, { t: Tensor; copy: Buffer }> {
  const out = new Map<string, { t: Tensor; copy: Buffer }>();
  if (m) for (const [k, t] of Object.entries(m.stateDict())) if (!params.has(t.data)) out.set(k, { t, copy: t.data.slice() });
  return out;
}

/** Records one eager run of `fn` over `inputs`. */
function record<R extends StepOutputs>(fn: (...xs: Tensor[]) => R, inputs: Tensor[], skip: ReadonlySet<Buffer>): { rec: Recorder; result: R } {
  const rec = new Recorder(getBackend(), skip);
  const prev = setOpObserver(rec.observe);
  try {
    return { rec, result: withBackend(rec.backend, () => fn(...inputs)) };
  } finally {
    setOpObserver(prev);
  }
}

/** Why the second traced run cannot become a plan: module-level checks, then the plan's own, then a verifying replay. */
function checkSecond(e: Entry, rec: Recorder, m: Module | undefined, known: { inputs: Set<Buffer>; params: Set<Buffer> }, watch: { rng: string; buffers: Map<string, { t: Tensor; copy: Buffer }>; params: Buffer[] }, params: Tensor[], gradients: boolean): string | Plan {
  if (rngState(m) !== watch.rng) return 'the step draws random numbers (Dropout, a noise layer): it runs eagerly';
  if (params.some((p, i) => !sameBits(p.data, watch.params[i]!))) return 'the step changes the parameters outside the kernels (an optimizer step inside it?): call the optimizer after the compiled step';
  const r = planFrom(e.first!, rec, known);
  if ('reason' in r) return r.reason;
  const plan = r.plan, now = m?.stateDict() ?? {};
  for (const [k, { t, copy }] of watch.buffers) {
    const cur = now[k];
    if (cur === undefined || ((cur.data !== t.data || !sameBits(copy, t.data)) && !plan.written.has(cur.data))) return `module state "${k}" changes outside the kernels (updated in JS): it runs eagerly`;
  }
  const bad = gradients ? params.findIndex((p) => p.grad !== null && !plan.written.has(p.grad.data)) : -1;
  if (bad >= 0) return `the gradient of parameter ${bad + 1} is not computed by the recorded kernels`;
  // A replay over the same inputs and parameters must reproduce every buffer the step wrote, bit for bit.
  const copies = [...plan.written].map((b) => [b, b.slice()] as const);
  replay(plan);
  if (!copies.every(([b, c]) => sameBits(b, c))) return 'replaying the recorded kernels did not reproduce the step (a buffer is also written outside the kernels)';
  return plan;
}

/**
 * Compiles a step — forward, loss, backward (and anything else made of tensor ops) — for replay.
 * Per input signature (shapes, dtypes, backend, training mode) the first two calls run eagerly
 * while their kernel calls are recorded; if both runs made the same calls, nothing outside the
 * kernels changed between them, and replaying reproduces the second bit for bit, later calls copy
 * their inputs into the recorded input buffers and replay the kernel calls only: no graph, no
 * allocation per op. Otherwise (data-dependent control flow, random numbers, JS-side state, class
 * indices gathered from the data) the signature runs eagerly from then on and `stats.fallback`
 * says why. From the second call on, outputs live in the plan's buffers and are overwritten by the
 * next call (replayed ones are detached): copy what you keep. Gradients must be cleared before each
 * call (Optimizer.zeroGrad); a call that finds one set, or an input that requires a gradient, runs eagerly.
 * `fn` must not have side effects outside tensors (counters, logging, an optimizer step: they are
 * not replayed); a step that changes the parameters is refused (eager) by the check.
 *
 * @example
 * const step = compileStep((x, y) => { const l = mse(model.forward(x), y); l.backward(); return l; }, { module: model });
 * for (const { x, y } of loader) { opt.zeroGrad(); const loss = step(x, y).item(); opt.step(); }
 */
export function compileStep<R extends StepOutputs>(fn: (...inputs: Tensor[]) => R, options: CompileStepOptions = {}): CompiledStep<R> {
  if (typeof fn !== 'function') throw new ArgumentError('compileStep', `expected the step as a function, got ${typeof fn}`);
  const { module: m, maxShapes = 4, gradients = true } = options;
  const entries = new Map<string, Entry>();
  let last: Entry | undefined;
  const stats: CaptureStats = { traced: 0, replayed: 0, eager: 0, fallback: null };
  let inlined = 0;
  const eager = (xs: Tensor[]): R => { stats.eager++; return fn(...xs); };
  const call = (...xs: Tensor[]): R => {
    const params = paramLeaves(m);
    // Set gradients would be accumulated into, and inputs that want a gradient get one, only eagerly.
    if (gradients && (anyGrad(params) || xs.some((x) => x.requiresGrad))) return eager(xs);
    // The last call's entry when the inputs still match it (no signature string per call).
    let e = last !== undefined && sameInputs(last, xs, m) ? last : entries.get(signature(xs, m));
    const sig = e === undefined ? signature(xs, m) : '';
    if (e?.plan && !sameParams(e, params)) {
      entries.delete(e.sig);
      e = undefined;
    }
    if (e === undefined) {
      const key = sig || signature(xs, m);
      if (entries.size >= maxShapes) return eager(xs);
      e = { sig: key, backend: getBackend(), training: m?.training, grad: isGradEnabled(), inputs: xs.map((x) => new Tensor(allocate(x.dtype, x.size), x.shape)) };
      entries.set(key, e);
    }
    last = e;
    if (e.reason !== undefined) return eager(xs);
    for (let i = 0; i < xs.length; i++) e.inputs[i]!.data.set(xs[i]!.data as never);
    if (e.plan) {
      replay(e.plan);
      if (gradients) for (let i = 0, grads = e.grads!; i < params.length; i++) params[i]!.grad = grads[i]!;
      stats.replayed++;
      return e.outputs as R;
    }
    const known = { inputs: new Set<Buffer>(e.inputs.map((t) => t.data)), params: new Set<Buffer>(params.map((p) => p.data)) };
    const skip = new Set<Buffer>([...known.inputs, ...known.params]);
    stats.traced++;
    if (!e.first) { const { rec, result } = record(fn, e.inputs, skip); e.first = rec; return result; }
    const watch = { rng: rngState(m), buffers: moduleBuffers(m, known.params), params: params.map((p) => p.data.slice()) };
    const { rec, result } = record(fn, e.inputs, skip);
    const checked = checkSecond(e, rec, m, known, watch, params, gradients);
    e.first = undefined;
    if (typeof checked === 'string') { e.reason = checked; stats.fallback = checked; return result; }
    inlined = checked.inlined;
    Object.assign(e, { plan: checked, outputs: detachAll(result), params, storages: params.map(peekStorage), grads: params.map((p) => p.grad) });
    return result;
  };
  return Object.defineProperty(Object.assign(call, { stats }), 'inlined', { get: () => inlined }) as CompiledStep<R>;
}

const inference = new WeakMap<Module, { json: string; step: CompiledStep<Tensor> }>();

/**
 * The model's raw outputs for `x`: nn/infer.ts's fused path where it applies (it already runs one
 * kernel call per layer over reused buffers and resident weights, with nothing left to capture),
 * else a compiled inference step over the pure eval-mode `apply`, one per model and kept while its
 * structure (`toJSON()`) is unchanged. Call it under noGrad, as predictRaw does. Returns a fresh
 * tensor, bit-identical to the eager forward.
 * @example const raw = noGrad(() => inferCaptured(model, x));
 */
export function inferCaptured(model: Module, x: Tensor): Tensor {
  // A model that computes outside the kernels between them by design (HalfModel widens weights in JS) runs eagerly.
  if ((model as { readonly uncaptured?: boolean }).uncaptured === true) return inferEval(model, x);
  const fast = inferFast(model, x, 'eval');
  if (fast !== null) return fast;
  const json = JSON.stringify(model.toJSON());
  let c = inference.get(model);
  if (c === undefined || c.json !== json) {
    c = { json, step: compileStep((xi: Tensor) => inferEval(model, xi), { module: model, gradients: false }) };
    inference.set(model, c);
  }
  return c.step(x).clone();
}
