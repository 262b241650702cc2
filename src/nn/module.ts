// Module: structure + a parameter tree + a pure `apply(params, x, ctx) → { y, state }`; forward(x) is the
// stateful wrapper (own parameters, own mode flags, own state written back).
import { Tensor, asTensor, type NestedArray } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { type LeafSpec, type ParamTree, type Params, count, entries, spec } from '../tree/tree.js';
import { Key, type Rng } from '../core/rng.js';

export type { Params };

/** 'train': batch statistics, dropout and noise on; 'eval': running statistics, deterministic; 'own': each module's `training` flag (forward()'s convention). */
export type Mode = 'train' | 'eval' | 'own';

/**
 * Non-trainable state as a tree named like the parameters: BatchNorm's `running_mean`, `running_var`,
 * `num_batches_tracked` tensors, and the stream position (`rng`, a Key) of modules that draw numbers
 * without a `ctx.key` (Dropout, noise-conditioned hypernetworks).
 */
export type State = { readonly [key: string]: Tensor | Key | State };

/** What `apply(params, x, ctx)` runs with. */
export interface ApplyContext {
  readonly mode: Mode;
  /** Randomness: when given, every random draw comes from this key (folded per child by name); the state's stream positions are left as they are. */
  readonly key?: Key;
  /** The module's state tree (`module.state`, or the `state` a previous call returned); missing parts read as empty. */
  readonly state?: State;
}

/** What `apply(params, x, ctx)` returns: the output and the module's new state tree (the input tree when nothing changed). */
export interface Applied {
  readonly y: Tensor;
  readonly state: State;
}

/** The empty state (modules without state return it). */
export const EMPTY_STATE: State = Object.freeze({});

/** The mode `m` runs in under `ctx` ('own' resolves to the module's `training` flag). @example modeOf(new BatchNorm1d(4), { mode: 'own' }) // 'train': a new module is in training mode */
export function modeOf(m: Module, ctx: ApplyContext): 'train' | 'eval' {
  return ctx.mode === 'own' ? (m.training ? 'train' : 'eval') : ctx.mode;
}

/** The context for child `name`: the same mode, the key folded by the name, the child's part of the state. @example const inner = new Linear(3, 2); inner.apply(inner.params, x, childContext(ctx, 'inner')) */
export function childContext(ctx: ApplyContext, name: string): ApplyContext {
  const sub = ctx.state?.[name];
  const state = sub === undefined || sub instanceof Tensor || sub instanceof Key ? EMPTY_STATE : sub;
  return ctx.key === undefined ? { mode: ctx.mode, state } : { mode: ctx.mode, key: ctx.key.fold(name), state };
}

/**
 * Collects children's new states into a parent's: `changes` holds [name, child state] for the children
 * whose state is not empty. Returns `ctx.state` itself when every child handed its input tree back.
 * @example
 * const bn = new BatchNorm1d(4);
 * const r = bn.apply(bn.params, x, childContext(ctx, 'bn'));
 * const next = joinStates(ctx, [['bn', r.state]]);   // ctx.state itself when bn's state did not change
 */
export function joinStates(ctx: ApplyContext, changes: readonly [string, State][]): State {
  const before = ctx.state ?? EMPTY_STATE;
  if (changes.every(([k, s]) => before[k] === s || (s === EMPTY_STATE && before[k] === undefined))) return before;
  const out: Record<string, Tensor | Key | State> = { ...before };
  for (const [k, s] of changes) if (s !== EMPTY_STATE || k in out) out[k] = s;
  return out;
}

/** The stream a random module draws from: `ctx.key` (folded to the module) or its state's `rng` position; errors name the module. */
export function randomStream(m: Module, ctx: ApplyContext): { rng: Rng; next: () => State } {
  if (ctx.key !== undefined) return { rng: ctx.key.stream(), next: () => ctx.state ?? EMPTY_STATE };
  const pos = ctx.state?.rng;
  if (!(pos instanceof Key)) {
    throw new ArgumentError(`${m.describe()}.apply`, `mode 'train' draws random numbers: pass ctx.key (a Key) or the module's state (ctx.state = module.state, which holds its stream position "rng")`);
  }
  const rng = pos.stream();
  return { rng, next: () => ({ ...ctx.state, rng: Key.at(rng) }) };
}

/** What `toJSON()` returns: enough to rebuild the module with `moduleFromJSON` (nn/registry.ts). */
export interface ModuleJSON {
  type: string;
  [key: string]: unknown;
}

/** forward()'s context for a module without state (one shared object: no allocation per call). */
const OWN_STATELESS: ApplyContext = Object.freeze({ mode: 'own', state: EMPTY_STATE });

/** `x` as a Tensor: plain nested arrays are converted, anything else is an error naming the module. */
export function inputOf(m: Module, x: Tensor | NestedArray): Tensor {
  return x instanceof Tensor ? x : asTensor(x, `${m.toJSON().type}.forward`, 'x');
}

/**
 * Base class of every layer. Subclasses implement `run(params, x, ctx)` as a pure function of the
 * parameter tree, the input and the context (mode, key, state), so the same module runs with its own
 * parameters, a loaded state dict, or parameters produced by a hypernetwork (gradients then flow into
 * whatever produced them), and two calls with the same arguments give the same result.
 *
 * @example
 * const layer = new Linear(3, 2), bn = new BatchNorm1d(3);
 * const y1 = layer.forward(x);                                   // own parameters and state
 * const y2 = layer.apply(otherParams, x);                        // any tree with the same spec
 * const { y, state } = bn.apply(bn.params, x, { mode: 'train', state: bn.state });  // pure: bn is unchanged
 */
export abstract class Module<P extends Params = Params> {
  /** Training mode (BatchNorm uses batch statistics, Dropout drops) for forward() and mode 'own'; see train()/eval(). */
  training = true;
  protected ownParams: P = {} as P;

  /**
   * The pure forward pass: reads `params`, `x` and `ctx` only (never writes the module, its buffers
   * or the state tree). Returns the output, or `{ y, state }` with a new state tree when it changed.
   */
  abstract run(params: P, x: Tensor, ctx: ApplyContext): Tensor | Applied;

  /**
   * `apply(params, x)`: runs with the given parameter tree and the module's own mode flags and state,
   * writing the new state back (BatchNorm's running statistics, random stream positions) — the
   * stateful form forward() uses. `apply(params, x, ctx)`: pure; returns `{ y, state }` and changes
   * nothing.
   */
  apply(params: Params, x: Tensor): Tensor;
  apply(params: Params, x: Tensor, ctx: ApplyContext): Applied;
  apply(params: Params, x: Tensor, ctx?: ApplyContext): Tensor | Applied {
    return this.applyWith(this.run, params, x, ctx);
  }

  /**
   * What apply does, with `run` (this module's run or a variant of it, called on this module) in place
   * of run: pure with `ctx`, else with the own mode flags and state, the new state written back.
   */
  protected applyWith(run: (params: P, x: Tensor, ctx: ApplyContext) => Tensor | Applied, params: Params, x: Tensor, ctx?: ApplyContext): Tensor | Applied {
    // Any tree of the module's spec is accepted (a loaded file, a hypernetwork's output); run reads it as P.
    if (ctx !== undefined) {
      const r = run.call(this, params as P, x, ctx);
      return r instanceof Tensor ? { y: r, state: ctx.state ?? EMPTY_STATE } : r;
    }
    const state = this.state;
    const r = run.call(this, params as P, x, state === EMPTY_STATE ? OWN_STATELESS : { mode: 'own', state });
    if (r instanceof Tensor) return r;
    if (r.state !== state) this.loadState(r.state);
    return r.y;
  }

  /**
   * The module's state tree (live buffers and stream positions; treat as read-only). Containers
   * assemble theirs from their children, leaving out children without state.
   */
  get state(): State {
    let out: Record<string, State> | null = null;
    for (const [name, child] of this.children()) {
      const s = child.state;
      if (s !== EMPTY_STATE) (out ??= {})[name] = s;
    }
    return out ?? EMPTY_STATE;
  }

  /** Copies a state tree (from `apply(params, x, ctx)`) into the module's buffers and streams, in place. @example const r = model.apply(model.params, x, { mode: 'train', state: model.state }); model.loadState(r.state) */
  loadState(state: State): void {
    for (const [name, child] of this.children()) {
      const s = state[name];
      if (s !== undefined && !(s instanceof Tensor) && !(s instanceof Key)) child.loadState(s);
    }
  }

  /** A short name for summaries (`Linear(784→100)`). */
  abstract describe(): string;

  /** Architecture as JSON (rebuild with moduleFromJSON). */
  abstract toJSON(): ModuleJSON;

  /**
   * Runs with the module's own parameters. `x` may be plain nested arrays of numbers (converted
   * with the default dtype; a ragged or non-numeric array is an error naming the index).
   */
  forward(x: Tensor | NestedArray): Tensor {
    return this.apply(this.params, inputOf(this, x));
  }

  /** The module's parameter tree (containers assemble theirs from their children). */
  get params(): P {
    return this.ownParams;
  }
  set params(p: P) {
    this.ownParams = p;
  }

  /** Child modules by name (containers override). */
  children(): [string, Module][] {
    return [];
  }

  /** Non-trainable state saved with the model (BatchNorm running statistics), by dotted name. */
  buffers(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, child] of this.children()) {
      for (const [k, t] of Object.entries(child.buffers())) out[`${name}.${k}`] = t;
    }
    return out;
  }

  /** Names and shapes of the parameters, in order. @example new Linear(4, 5).paramSpec() */
  paramSpec(): LeafSpec[] {
    return spec(this.params);
  }

  /** Number of trainable scalars. @example mlp({ sizes: [784, 100, 10] }).numParams() // 79510 */
  numParams(): number {
    return count(this.params);
  }

  /** Switches to training mode (recursively). */
  train(on = true): this {
    this.training = on;
    for (const [, c] of this.children()) c.train(on);
    return this;
  }

  /** Switches to evaluation mode (recursively). */
  eval(): this {
    return this.train(false);
  }

  /** Parameters and buffers by PyTorch name (`0.weight` is `[out, in]`). */
  stateDict(): Record<string, Tensor> {
    return { ...Object.fromEntries(entries(this.params)), ...this.buffers() };
  }

  /**
   * Copies values from a state dict into this module's parameters and buffers (in place, so
   * optimizer state stays attached). Names and shapes must match; `strict` rejects extra keys.
   */
  loadStateDict(state: Record<string, Tensor>, strict = true): void {
    const targets = this.stateDict();
    for (const [name, t] of Object.entries(targets)) {
      const src = state[name];
      if (src === undefined) throw new ArgumentError('loadStateDict', `missing "${name}" (expected shape ${fmtShape(t.shape)})`);
      if (src.shape.join() !== t.shape.join()) {
        throw new ShapeError('loadStateDict', `"${name}" has shape ${fmtShape(src.shape)} in the state dict but ${fmtShape(t.shape)} in the model`);
      }
      t.data.set(src.data);
    }
    if (strict) {
      const extra = Object.keys(state).filter((k) => !Object.hasOwn(targets, k));
      if (extra.length > 0) throw new ArgumentError('loadStateDict', `unexpected keys ${extra.join(', ')}; pass strict=false to ignore them`);
    }
  }
}

/**
 * A module without parameters whose output depends only on its input (activations, Flatten).
 *
 * @example
 * class Square extends nn.Stateless {
 *   call(x: Tensor) { return mul(x, x); } describe() { return 'Square'; } toJSON() { return { type: 'Square' }; }
 * }
 * new Square().forward(tensor([-2, 3])); // [4, 9]
 */
export abstract class Stateless extends Module {
  abstract call(x: Tensor): Tensor;
  run(_params: Params, x: Tensor, _ctx?: ApplyContext): Tensor | Applied {
    return this.call(x);
  }
}

/**
 * Looks up a child's sub-tree; an empty record when the child has no parameters.
 * @example nn.childParams(nn.mlp({ sizes: [4, 3, 2] }).params, '0') // { weight [3, 4], bias [3] }
 */
export function childParams(params: Params, name: string): Params {
  const p = params[name];
  if (p instanceof Tensor) throw new ArgumentError('childParams', `"${name}" is a tensor of shape ${fmtShape(p.shape)}, not a child's parameter tree; read it as params["${name}"]`);
  return p ?? {};
}

export type { ParamTree };
