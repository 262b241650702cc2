// Module: structure + a parameter tree + a pure `apply(params, x)`; forward(x) = apply(own params, x).
import { Tensor, asTensor, type NestedArray } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { type LeafSpec, type ParamTree, count, entries, spec } from '../tree/tree.js';

/** A module's parameters: a record of tensors and child records (PyTorch-style dotted names). */
export type Params = { [key: string]: Tensor | Params };

/** What `toJSON()` returns: enough to rebuild the module with `moduleFromJSON` (nn/registry.ts). */
export interface ModuleJSON {
  type: string;
  [key: string]: unknown;
}

/** `x` as a Tensor: plain nested arrays are converted, anything else is an error naming the module. */
export function inputOf(m: Module, x: Tensor | NestedArray): Tensor {
  return x instanceof Tensor ? x : asTensor(x, `${m.toJSON().type}.forward`, 'x');
}

/**
 * Base class of every layer. Subclasses implement `apply(params, x)` as a pure function of the
 * parameter tree, so the same module runs with its own parameters, a loaded state dict, or
 * parameters produced by a hypernetwork (gradients then flow into whatever produced them).
 *
 * @example
 * const layer = new Linear(3, 2);
 * const y1 = layer.forward(x);                 // own parameters
 * const y2 = layer.apply(otherParams, x);      // any tree with the same spec
 */
export abstract class Module {
  /** Training mode (BatchNorm uses batch statistics, Dropout drops); see train()/eval(). */
  training = true;
  protected ownParams: Params = {};

  /** Runs the module with the given parameter tree. */
  abstract apply(params: Params, x: Tensor): Tensor;

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
  get params(): Params {
    return this.ownParams;
  }
  set params(p: Params) {
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
  apply(_params: Params, x: Tensor): Tensor {
    return this.call(x);
  }
}

/**
 * Looks up a child's sub-tree; an empty record when the child has no parameters.
 * @example nn.childParams(nn.mlp({ sizes: [4, 3, 2] }).params, '0') // { weight [3, 4], bias [3] }
 */
export function childParams(params: Params, name: string): Params {
  const p = params[name];
  return p === undefined || !('shape' in p && 'data' in p) ? ((p as Params | undefined) ?? {}) : (p as unknown as Params);
}

export type { ParamTree };
