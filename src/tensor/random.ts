// Random tensors drawn from a seeded Rng (the global one unless `rng` is given).
import { Tensor, getDefaultDType, type CreateOptions } from './tensor.js';
import { allocate } from '../core/dtype.js';
import type { Shape } from '../core/shape.js';
import { checkTensorRequest } from '../core/creation-check.js';
import { type Rng, defaultRng } from '../core/rng.js';
import { checkOptions } from '../core/options.js';

const BASE_KEYS = ['dtype', 'requiresGrad', 'rng'];

export interface RandomOptions extends CreateOptions {
  /** The stream to draw from (default: the global stream, see `manualSeed`). */
  rng?: Rng;
}

function fill(op: string, shape: Shape, opts: RandomOptions, draw: (r: Rng) => number, extraKeys: readonly string[] = []): Tensor {
  checkOptions(op, opts, [...BASE_KEYS, ...extraKeys]); // e.g. a `seed` key (not an option: pass rng) is an error, not ignored
  const { n, dtype } = checkTensorRequest(op, shape, opts.dtype ?? getDefaultDType());
  const r = opts.rng ?? defaultRng();
  const data = allocate(dtype, n);
  for (let i = 0; i < data.length; i++) data[i] = draw(r);
  const t = new Tensor(data, shape);
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Uniform on [lo, hi). @example rand([2, 3], { rng: new Rng(1) }) */
export function rand(shape: Shape, opts: RandomOptions & { lo?: number; hi?: number } = {}): Tensor {
  const lo = opts.lo ?? 0, hi = opts.hi ?? 1;
  return fill('rand', shape, opts, (r) => lo + (hi - lo) * r.uniform(), ['lo', 'hi']);
}

/** Normal with mean and std (default N(0,1)). @example randn([4], { std: 0.1 }) */
export function randn(shape: Shape, opts: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const mean = opts.mean ?? 0, std = opts.std ?? 1;
  return fill('randn', shape, opts, (r) => mean + std * r.normal(), ['mean', 'std']);
}

/** 1 with probability p, else 0. @example bernoulli([10], 0.5) */
export function bernoulli(shape: Shape, p: number, opts: RandomOptions = {}): Tensor {
  return fill('bernoulli', shape, opts, (r) => r.bernoulli(p));
}

/** A random permutation of 0..n-1 as an Int32Array. @example randperm(5, new Rng(0)) */
export function randperm(n: number, rng: Rng = defaultRng()): Int32Array {
  return rng.permutation(n);
}
