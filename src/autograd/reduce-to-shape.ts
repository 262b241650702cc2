// The one place where gradients of broadcast inputs are summed back to the input's shape.
import type { Tensor } from '../tensor/tensor.js';
import { sameShape } from '../core/shape.js';
import { reshape } from '../ops/movement.js';
import { sum } from '../ops/reduce.js';

/** Sums `g` over the dims that broadcasting added or stretched, giving a tensor of `shape`. */
export function reduceToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  let stretched = false;
  for (let i = 0; i < g.rank; i++) {
    if (i < lead) axes.push(i);
    else if (shape[i - lead] === 1 && g.shape[i] !== 1) { axes.push(i); stretched = true; }
  }
  // Only added leading dims (a bias [n] against [m, n]): summing them away gives `shape` directly.
  if (!stretched && axes.length > 0 && sameShape(g.shape.slice(lead), shape)) return sum(g, axes, false);
  const s = axes.length > 0 ? sum(g, axes, true) : g;
  return reshape(s, shape);
}
