// Universal approximation made constructive: sums of sigmoid "bumps" approximating a 1-D function on [0, 1].
import { tensor } from '../tensor/tensor.js';
import { leaves } from '../tree/tree.js';
import { ArgumentError } from '../core/errors.js';
import { noGrad } from '../autograd/graph.js';
import { Linear } from '../nn/linear.js';
import { Sequential } from '../nn/containers.js';
import { Sigmoid } from '../nn/activations.js';
import type { Module } from '../nn/module.js';

/**
 * Builds the 1-2N-1 sigmoid network f̂(x) = Σ_{i<N} f(c_i)[σ(k(x−a_i)) − σ(k(x−b_i))] with
 * [a_i, b_i] = [i/N, (i+1)/N] (outer edges pushed to −1 and 2), c_i the interval midpoints and
 * steepness k (default 40·N, so each sigmoid is nearly a step). Float64.
 *
 * @example
 * const net = bumpNetwork((x) => x * x, 50);   // net.forward(tensor([[0.3]], { dtype: 'float64' })) ≈ 0.09
 */
export function bumpNetwork(f: (x: number) => number, n: number, opts: { steepness?: number } = {}): Sequential {
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError('bumpNetwork', `the number of bumps N must be a positive integer, got ${n}`);
  const k = opts.steepness ?? 40 * n;
  if (!(k > 0)) throw new ArgumentError('bumpNetwork', `steepness must be positive, got ${k}`);
  const first = new Linear(1, 2 * n, { dtype: 'float64' });
  const second = new Linear(2 * n, 1, { dtype: 'float64' });
  const w1: number[] = [], b1: number[] = [], w2: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = i === 0 ? -1 : i / n, b = i === n - 1 ? 2 : (i + 1) / n;
    const h = f((i + 0.5) / n);
    if (!Number.isFinite(h)) throw new ArgumentError('bumpNetwork', `f(${(i + 0.5) / n}) = ${h} is not finite`);
    w1.push(k, k); b1.push(-k * a, -k * b); w2.push(h, -h);
  }
  first.params = { weight: tensor(w1, { shape: [2 * n, 1], dtype: 'float64' }), bias: tensor(b1, { dtype: 'float64' }) };
  second.params = { weight: tensor(w2, { shape: [1, 2 * n], dtype: 'float64' }), bias: tensor([0], { dtype: 'float64' }) };
  return new Sequential(first, new Sigmoid(), second);
}

/**
 * sup_{x ∈ grid} |f̂(x) − f(x)| over `points` evenly spaced x in [0, 1] (inclusive), for a model
 * mapping [M, 1] → [M, 1].
 *
 * @example
 * supError(bumpNetwork(Math.sin, 100), Math.sin);   // small
 */
export function supError(model: Module, f: (x: number) => number, points = 10001): number {
  if (!Number.isInteger(points) || points < 2) throw new ArgumentError('supError', `points must be an integer ≥ 2, got ${points}`);
  const xs = Array.from({ length: points }, (_, i) => i / (points - 1));
  const dtype = leaves(model.params)[0]?.dtype ?? 'float64';
  const out = noGrad(() => model.forward(tensor(xs, { shape: [points, 1], dtype }))).toFlat();
  return Math.max(...out.map((v, i) => Math.abs(v - f(xs[i]!))));
}
