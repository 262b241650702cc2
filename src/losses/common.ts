// Shared pieces of the losses: the reduction option and input checks whose errors name shapes, values and indices.
import { type Tensor, zeros } from '../tensor/tensor.js';
import type { DType } from '../core/dtype.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { sameShape } from '../core/shape.js';
import { mean, sum } from '../ops/reduce.js';

/** How per-element (or per-sample) losses are combined: PyTorch's `reduction` argument. */
export type Reduction = 'mean' | 'sum' | 'none';

/** The option every loss takes. */
export interface ReductionOptions {
  /** 'mean' (default) averages, 'sum' adds, 'none' returns the unreduced losses. */
  reduction?: Reduction;
}

const reductions: readonly Reduction[] = ['mean', 'sum', 'none'];

/**
 * Applies a reduction to a tensor of losses: mean (scalar), sum (scalar) or none (unchanged).
 * @example reduce('mse', square(sub(x, y)), 'mean')
 */
export function reduce(op: string, losses: Tensor, reduction: Reduction | undefined): Tensor {
  const r = reduction ?? 'mean';
  if (r === 'mean') return mean(losses);
  if (r === 'sum') return sum(losses);
  if (r === 'none') return losses;
  throw new ArgumentError(op, `unknown reduction ${JSON.stringify(r)}; use one of ${reductions.map((s) => `'${s}'`).join(', ')}`);
}

/**
 * Throws a ShapeError naming both shapes unless `input` and `target` have the same shape.
 * @example checkSameShape('mse', x, y)   // "mse: input [6,3] and target [6] must have the same shape"
 */
export function checkSameShape(op: string, input: Tensor, target: Tensor, names: [string, string] = ['input', 'target']): void {
  if (!sameShape(input.shape, target.shape)) {
    throw new ShapeError(op, `${names[0]} ${fmtShape(input.shape)} and ${names[1]} ${fmtShape(target.shape)} must have the same shape`);
  }
}

/** Index of the first element failing `ok`, or -1. @example firstBad(labels, Number.isInteger) */
export function firstBad(t: Tensor, ok: (v: number) => boolean): number {
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (!ok(d[i]!)) return i;
  return -1;
}

/**
 * Throws an ArgumentError `${op}: ${what} ${rule}, got ${value} at index ${i}${hint}` for the first
 * element failing `ok`.
 * @example checkValues('hinge', y, (v) => v === 1 || v === -1, 'labels', 'must be -1 or +1')
 */
export function checkValues(op: string, t: Tensor, ok: (v: number) => boolean, what: string, rule: string, hint = ''): void {
  const i = firstBad(t, ok);
  if (i >= 0) throw new ArgumentError(op, `${what} ${rule}, got ${t.data[i]} at index ${i}${hint}`);
}

/** Checks a positive finite number option (margins, delta). @example checkPositive('huber', 'delta', 1) */
export function checkPositive(op: string, name: string, v: number): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new ArgumentError(op, `${name} must be a positive finite number, got ${v}`);
}

/**
 * Checks class-index labels for C classes: shape [N] matching the logits' batch, integers 0..C-1.
 * @example checkClassLabels('crossEntropy', logits, labels)
 */
export function checkClassLabels(op: string, logits: Tensor, labels: Tensor): void {
  const [n, c] = logits.shape as [number, number];
  if (labels.rank !== 1 || labels.shape[0] !== n) {
    throw new ShapeError(op, `logits ${fmtShape(logits.shape)} need labels of shape [${n}] (class indices) or ${fmtShape(logits.shape)} (probabilities), got ${fmtShape(labels.shape)}`);
  }
  checkValues(op, labels, (v) => Number.isInteger(v) && v >= 0 && v < c, 'labels', `must be integers in 0..${c - 1} for ${c} classes`);
}

/** Checks that logits/scores are a batch of rows [N, C] with C >= 1. @example checkBatchRows('crossEntropy', logits) */
export function checkBatchRows(op: string, x: Tensor, what = 'logits'): void {
  if (x.rank !== 2 || x.shape[1] === 0) {
    throw new ShapeError(op, `${what} must have shape [N, C] with C >= 1, got ${fmtShape(x.shape)}; add a batch dim with unsqueeze(0) for one sample`);
  }
}

/** One-hot rows [N, C] of (checked) integer labels, in `dtype`; a constant. @example oneHot(tensor([2, 0]), 3, 'float32') */
export function oneHot(labels: Tensor, classes: number, dtype: DType): Tensor {
  const out = zeros([labels.size, classes], { dtype });
  for (let i = 0; i < labels.size; i++) out.data[i * classes + labels.data[i]!] = 1;
  return out;
}
