// Containers: Sequential (a chain), Residual (x + f(x)), Identity; parameters named by child index.
import type { NestedArray, Tensor } from '../tensor/tensor.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import { add } from '../ops/elementwise.js';
import { type Applied, type ApplyContext, Module, Stateless, type State, childContext, childParams, inputOf, joinStates, type ModuleJSON, type Params } from './module.js';
import { fusedSpanAt } from './fuse.js';

/**
 * A container's parameter tree, assembled from its children (children without parameters left out)
 * and kept until a child's `params` object is replaced (`child.params = …`, a loaded state): reading
 * `model.params` in a training loop costs one identity check per child, not a new tree. The tree
 * holds the children's own records, so a tensor replaced inside one of them shows through at once.
 * @example
 * const children: [string, Module][] = [['0', new Linear(3, 2)], ['1', new Tanh()]];
 * const cache = new ParamsCache();
 * cache.read(children) === cache.read(children)   // true: the same tree object
 */
export class ParamsCache {
  private seen: Params[] = [];
  private tree: Params | null = null;

  /** The kept tree when `modules` (the children, in order) still hold the trees it was built from, else null; allocates nothing. */
  hit(modules: readonly Module[]): Params | null {
    if (this.tree === null || modules.length !== this.seen.length) return null;
    for (let i = 0; i < modules.length; i++) if (modules[i]!.params !== this.seen[i]) return null;
    return this.tree;
  }

  read(children: readonly [string, Module][]): Params {
    const now = new Array<Params>(children.length);
    let same = this.tree !== null && children.length === this.seen.length;
    for (let i = 0; i < children.length; i++) same = (now[i] = children[i]![1].params) === this.seen[i] && same;
    if (same) return this.tree!;
    const out: Params = {};
    children.forEach(([name], i) => { if (Object.keys(now[i]!).length > 0) out[name] = now[i]!; });
    this.seen = now;
    this.tree = out;
    return out;
  }
}

function scatter(children: [string, Module][], p: Params): void {
  for (const [name, c] of children) if (name in p) c.params = childParams(p, name);
}

/**
 * Runs modules one after another. Parameter names follow PyTorch's nn.Sequential: the i-th child's
 * weight is `i.weight`, so activations (no parameters) keep their index.
 *
 * @example
 * const net = new Sequential(new Linear(4, 5), new Tanh(), new Linear(5, 3));
 * net.paramSpec().map((s) => s.path)   // ['0.weight', '0.bias', '2.weight', '2.bias']
 */
export class Sequential extends Module {
  readonly layers: Module[];
  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
  }
  override children(): [string, Module][] {
    return this.layers.map((m, i) => [String(i), m]);
  }
  private readonly cache = new ParamsCache();
  /** The children's trees by index (cached: see ParamsCache; `hit` checks them without building children()). */
  override get params(): Params {
    return this.cache.hit(this.layers) ?? this.cache.read(this.children());
  }
  override set params(p: Params) {
    scatter(this.children(), p);
  }
  run(params: Params, x: Tensor, ctx: ApplyContext): Applied {
    let h = x;
    const states: [string, State][] = [];
    for (let i = 0; i < this.layers.length; i++) {
      const name = String(i), span = fusedSpanAt(this.layers, i);
      const r = span !== null ? span.bn.applyFused(childParams(params, name), h, childContext(ctx, name), span.tail) : this.layers[i]!.apply(childParams(params, name), h, childContext(ctx, name));
      h = r.y;
      states.push([name, r.state]);
      if (span !== null) i += span.length - 1; // the layers after it ran inside; they have no state
    }
    return { y: h, state: joinStates(ctx, states) };
  }
  /** Each child with its own parameters: the same as `apply(this.params, x)` without assembling the tree. */
  override forward(x: Tensor | NestedArray): Tensor {
    let h = inputOf(this, x);
    for (let i = 0; i < this.layers.length; i++) {
      const span = fusedSpanAt(this.layers, i);
      h = span !== null ? span.bn.forwardFused(h, span.tail) : this.layers[i]!.forward(h);
      if (span !== null) i += span.length - 1;
    }
    return h;
  }
  /** Every intermediate output, named by child index (representation analysis); with `ctx`, the pure form (nothing written back). */
  applyWithIntermediates(params: Params, x: Tensor, ctx?: ApplyContext): { output: Tensor; activations: [string, Tensor][] } {
    const activations: [string, Tensor][] = [];
    let h = x;
    this.layers.forEach((m, i) => {
      h = ctx === undefined ? m.apply(childParams(params, String(i)), h) : m.apply(childParams(params, String(i)), h, childContext(ctx, String(i))).y;
      activations.push([`${i}:${m.describe()}`, h]);
    });
    return { output: h, activations };
  }
  describe(): string {
    return `Sequential(${this.layers.length} layers)`;
  }
  toJSON(): ModuleJSON {
    return { type: 'Sequential', layers: this.layers.map((l) => l.toJSON()) };
  }
}

/**
 * Residual connection y = x + f(x) (He et al. 2016), the lecture's cure for vanishing gradients
 * in deep nets; f's parameters are named `body.*`.
 * @example new Residual(new Sequential(new Linear(64, 64), new ReLU(), new Linear(64, 64)))
 */
export class Residual extends Module {
  constructor(readonly body: Module) {
    super();
  }
  override children(): [string, Module][] {
    return [['body', this.body]];
  }
  private readonly cache = new ParamsCache();
  override get params(): Params {
    return this.cache.read(this.children());
  }
  override set params(p: Params) {
    scatter(this.children(), p);
  }
  run(params: Params, x: Tensor, ctx: ApplyContext): Applied {
    const { y: fx, state } = this.body.apply(childParams(params, 'body'), x, childContext(ctx, 'body'));
    if (fx.shape.join() !== x.shape.join()) {
      throw new ShapeError('Residual', `body maps ${fmtShape(x.shape)} to ${fmtShape(fx.shape)}; x + f(x) needs equal shapes`);
    }
    return { y: add(x, fx), state: joinStates(ctx, [['body', state]]) };
  }
  describe(): string {
    return `Residual(${this.body.describe()})`;
  }
  toJSON(): ModuleJSON {
    return { type: 'Residual', body: this.body.toJSON() };
  }
}

/** Passes its input through unchanged. @example new Identity().forward(x) === x */
export class Identity extends Stateless {
  call(x: Tensor): Tensor {
    return x;
  }
  describe(): string {
    return 'Identity';
  }
  toJSON(): ModuleJSON {
    return { type: 'Identity' };
  }
}
