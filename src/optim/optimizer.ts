// Optimizer: the stateful wrapper for the usual loop — reads .grad, updates parameters in place, holds state.
import { Tensor, zeros } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { allocate } from '../core/dtype.js';
import { add } from '../ops/elementwise.js';
import { type ParamTree, entries, leaves, map } from '../tree/tree.js';
import { Module } from '../nn/module.js';
import type { GradientTransformation, LearningRateField, OptState } from './transform.js';
import { nonNegative } from './validate.js';

/** An optimizer checkpoint: the state tree flattened by dotted path (copies), and the steps taken. */
export interface OptimizerStateDict {
  step: number;
  state: Record<string, Tensor>;
}

/**
 * Runs a GradientTransformation over a model's parameters: `step()` reads every leaf's `.grad`
 * and applies p ← p + u IN PLACE (modules keep their tensors). A leaf without a gradient is
 * left unchanged (its state sees a zero gradient); a step where no leaf has one does nothing.
 *
 * @example
 * const opt = new Optimizer(adam({ lr: 1e-3 }), model);
 * opt.zeroGrad(); loss(model.forward(x)).backward(); opt.step();
 */
export class Optimizer {
  private readonly source: ParamTree | Module;
  /** The transformation's state (replaced, not mutated, by each step). */
  state: OptState;
  /** Steps taken. */
  stepCount = 0;

  constructor(readonly transformation: GradientTransformation, target: ParamTree | Module) {
    this.source = target;
    const ps = entries(this.params);
    if (ps.length === 0) throw new ArgumentError('Optimizer', 'the parameter tree has no tensors; pass model.params or a Module that has parameters');
    const bad = ps.find(([, p]) => !p.isLeaf);
    if (bad) throw new ArgumentError('Optimizer', `"${bad[0]}" is not a leaf tensor (it was computed by an op); optimize leaves, e.g. x.detach().requireGrad()`);
    this.state = transformation.init(this.params);
  }

  /** The parameter tree being optimized (a Module's current `params`). @example tree.count(opt.params) */
  get params(): ParamTree {
    return this.source instanceof Module ? this.source.params : this.source;
  }

  /** One update from the current gradients. @example opt.step() */
  step(): void {
    const ps = leaves(this.params);
    const grads = new Array<Tensor | null>(ps.length);
    let any = false;
    for (let i = 0; i < ps.length; i++) any = (grads[i] = ps[i]!.grad) !== null || any;
    if (!any) return;
    const fused = this.transformation.fused?.(ps, grads, this.state);
    if (fused !== undefined) {
      this.state = fused;
      this.stepCount += 1;
      return;
    }
    const entriesNow = entries(this.params);
    const gradTree = map(this.params, (p) => p.grad ?? zeros(p.shape, { dtype: p.dtype }));
    const { updates, state } = this.transformation.update(gradTree, this.state, this.params);
    const us = new Map(entries(updates));
    for (const [path, p] of entriesNow) {
      if (p.grad === null) continue;
      const u = us.get(path);
      if (u === undefined) throw new ArgumentError('Optimizer.step', `the transformation gave no update for "${path}"`);
      // p ← p + u in p's storage (float32 storage rounds the float64 sum exactly as add + cast would).
      const pd = p.data;
      if (u.size === p.size) for (let i = 0, ud = u.data; i < pd.length; i++) pd[i] = pd[i]! + ud[i]!;
      else pd.set(add(p.detach(), u).data); // a broadcast update
    }
    this.state = state;
    this.stepCount += 1;
  }

  /** Clears every parameter's gradient (sets it to null, as PyTorch's default). @example opt.zeroGrad() */
  zeroGrad(): void {
    for (const p of leaves(this.params)) p.grad = null;
  }

  /**
   * The learning rate: the transformation's declared `lr` field (scaleByLearningRate declares it;
   * every named optimizer ends with one), read from the current state.
   * @example console.log(opt.lr)
   */
  get lr(): number {
    return this.lrField().get(this.state);
  }

  /** Sets the learning rate used from the next step on (not when it follows a schedule). @example opt.lr = 1e-4 */
  set lr(value: number) {
    nonNegative('Optimizer.lr', 'lr', value);
    this.state = this.lrField().set(this.state, value);
  }

  private lrField(): LearningRateField {
    const field = this.transformation.lr;
    if (field === undefined) throw new ArgumentError('Optimizer.lr', 'the transformation keeps no learning rate in its state; end the chain with scaleByLearningRate(lr)');
    return field;
  }

  /** Copies of the state tensors by dotted path, and the step count. @example save(opt.stateDict()) */
  stateDict(): OptimizerStateDict {
    return { step: this.stepCount, state: Object.fromEntries(entries(this.state).map(([k, t]) => [k, t.clone()])) };
  }

  /**
   * Restores a stateDict() of an optimizer built the same way over the same parameter structure
   * (values are copied and cast to the current state's dtypes). @example opt.loadStateDict(saved)
   */
  loadStateDict(sd: OptimizerStateDict): void {
    if (!(Number.isInteger(sd.step) && sd.step >= 0)) throw new ArgumentError('Optimizer.loadStateDict', `step must be an integer >= 0, got ${sd.step}`);
    const current = entries(this.state);
    const extra = Object.keys(sd.state).filter((k) => !current.some(([p]) => p === k));
    if (extra.length > 0) throw new ArgumentError('Optimizer.loadStateDict', `unexpected keys ${extra.join(', ')}; was the state saved from a different optimizer or model?`);
    this.state = map(this.state, (t, path) => {
      const src = sd.state[path];
      if (src === undefined) throw new ArgumentError('Optimizer.loadStateDict', `missing "${path}" (expected shape ${fmtShape(t.shape)})`);
      if (src.shape.join() !== t.shape.join()) {
        throw new ShapeError('Optimizer.loadStateDict', `"${path}" has shape ${fmtShape(src.shape)} in the state dict but ${fmtShape(t.shape)} in the optimizer`);
      }
      const data = allocate(t.dtype, t.size);
      data.set(src.data);
      return new Tensor(data, t.shape);
    });
    this.stepCount = sd.step;
  }
}
