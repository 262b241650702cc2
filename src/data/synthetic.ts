// Seeded toy data sets: circles, xor, Gaussian blobs, spirals, moons, sine and the cubic-with-gap regression.
import { Tensor, getDefaultDType } from '../tensor/tensor.js';
import { allocate, type DType } from '../core/dtype.js';
import { Rng } from '../core/rng.js';
import { ArgumentError } from '../core/errors.js';

/** Options every generator takes: size, randomness source and dtype. */
export interface SyntheticOptions {
  /** Number of points (default differs per generator). */
  n?: number;
  /** Standard deviation of the Gaussian noise. */
  noise?: number;
  /** Random stream to draw from (advanced by the call); wins over `seed`. */
  rng?: Rng;
  /** Seed for a fresh stream when no `rng` is given (default 0): same seed, same data. */
  seed?: number;
  dtype?: DType;
}

/** A generated data set: x [N,D], y [N] (class indices 0..K-1, or regression values). */
export interface SyntheticData {
  x: Tensor;
  y: Tensor;
  /** Number of classes (classification generators only). */
  numClasses?: number;
}

function setup(op: string, opts: SyntheticOptions, defaultN: number, defaultNoise: number): { n: number; noise: number; rng: Rng; dtype: DType } {
  const n = opts.n ?? defaultN, noise = opts.noise ?? defaultNoise;
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(op, `n must be a positive integer, got ${n}`);
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new ArgumentError(op, `noise must be a finite number ≥ 0, got ${noise}`);
  return { n, noise, rng: opts.rng ?? new Rng(opts.seed ?? 0), dtype: opts.dtype ?? getDefaultDType() };
}

/** Sizes of k balanced classes summing to n (the first n mod k classes get one more). */
function classSizes(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, c) => Math.floor(n / k) + (c < n % k ? 1 : 0));
}

/** Packs rows (shuffled with `rng`) into tensors. */
function pack(rows: number[][], labels: number[], rng: Rng, dtype: DType, numClasses: number): SyntheticData {
  const n = rows.length, d = rows[0]!.length;
  const x = allocate(dtype, n * d), y = allocate(dtype, n);
  const perm = rng.permutation(n);
  for (let i = 0; i < n; i++) {
    const src = perm[i]!;
    x.set(rows[src]!, i * d);
    y[i] = labels[src]!;
  }
  return { x: new Tensor(x, [n, d]), y: new Tensor(y, [n]), numClasses };
}

/**
 * Two concentric circles (sklearn's make_circles): class 0 on radius 1, class 1 on radius `factor`,
 * at evenly spaced angles θ_i = 2πi/m, plus noise: x = r(cos θ, sin θ) + σε, ε ~ N(0, I).
 * @example const { x, y } = makeCircles({ n: 200, noise: 0.05, seed: 1 });
 */
export function makeCircles(opts: SyntheticOptions & { factor?: number } = {}): SyntheticData {
  const { n, noise, rng, dtype } = setup('makeCircles', opts, 200, 0.05);
  const factor = opts.factor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new ArgumentError('makeCircles', `factor (inner radius) must be in (0, 1), got ${factor}`);
  const rows: number[][] = [], labels: number[] = [];
  classSizes(n, 2).forEach((m, c) => {
    const r = c === 0 ? 1 : factor;
    for (let i = 0; i < m; i++) {
      const t = (2 * Math.PI * i) / m;
      rows.push([r * Math.cos(t) + noise * rng.normal(), r * Math.sin(t) + noise * rng.normal()]);
      labels.push(c);
    }
  });
  return pack(rows, labels, rng, dtype, 2);
}

/**
 * XOR: u ~ U(0,1]², a random quadrant sign s ∈ {±1}², x = s ⊙ u + σε; y = 1 when s₁ ≠ s₂ (x₁x₂ < 0
 * before noise), else 0. Classes are balanced.
 * @example const { x, y } = makeXor({ n: 200, noise: 0.1, seed: 3 });
 */
export function makeXor(opts: SyntheticOptions = {}): SyntheticData {
  const { n, noise, rng, dtype } = setup('makeXor', opts, 200, 0.1);
  const rows: number[][] = [], labels: number[] = [];
  classSizes(n, 2).forEach((m, c) => {
    for (let i = 0; i < m; i++) {
      const s1 = rng.uniform() < 0.5 ? -1 : 1, s2 = c === 1 ? -s1 : s1;
      rows.push([s1 * (1 - rng.uniform()) + noise * rng.normal(), s2 * (1 - rng.uniform()) + noise * rng.normal()]);
      labels.push(c);
    }
  });
  return pack(rows, labels, rng, dtype, 2);
}

/**
 * k Gaussian blobs: class j ~ N(μ_j, std² I) in `dim` dimensions. By default the centres lie evenly on
 * a circle of radius `radius` in the first two dims, μ_j = radius(cos 2πj/k, sin 2πj/k, 0, …)
 * (on a line for dim 1); pass `centers` to choose them.
 * @example const { x, y, centers } = makeGaussians({ n: 300, k: 3, std: 0.5, seed: 0 });
 */
export function makeGaussians(opts: SyntheticOptions & { k?: number; dim?: number; std?: number; radius?: number; centers?: number[][] } = {}): SyntheticData & { centers: Tensor } {
  const op = 'makeGaussians';
  const { n, rng, dtype } = setup(op, opts, 300, 0);
  const k = opts.centers?.length ?? opts.k ?? 3, dim = opts.centers?.[0]?.length ?? opts.dim ?? 2;
  const std = opts.std ?? opts.noise ?? 1, radius = opts.radius ?? 5;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new ArgumentError(op, `k must be an integer in 1..n (${n}), got ${k}`);
  if (!Number.isInteger(dim) || dim < 1) throw new ArgumentError(op, `dim must be a positive integer, got ${dim}`);
  const centers = opts.centers ?? Array.from({ length: k }, (_, j) => {
    const c = new Array<number>(dim).fill(0);
    if (dim === 1) c[0] = k === 1 ? 0 : radius * ((2 * j) / (k - 1) - 1);
    else [c[0], c[1]] = [radius * Math.cos((2 * Math.PI * j) / k), radius * Math.sin((2 * Math.PI * j) / k)];
    return c;
  });
  centers.forEach((c, j) => {
    if (c.length !== dim) throw new ArgumentError(op, `centers[${j}] has ${c.length} coordinates, expected ${dim} like centers[0]`);
  });
  const rows: number[][] = [], labels: number[] = [];
  classSizes(n, k).forEach((m, j) => {
    for (let i = 0; i < m; i++) {
      rows.push(centers[j]!.map((mu) => mu + std * rng.normal()));
      labels.push(j);
    }
  });
  const data = pack(rows, labels, rng, dtype, k);
  const flat = allocate(dtype, k * dim);
  centers.forEach((c, j) => flat.set(c, j * dim));
  return { ...data, centers: new Tensor(flat, [k, dim]) };
}

/**
 * k interleaved spiral arms: for arm j and point i of m, r = i/m, angle t = 2πj/k + 2π·turns·r + σε,
 * x = r(sin t, cos t). The noise perturbs the angle (as in the CS231n spiral).
 * @example const { x, y } = makeSpiral({ n: 300, k: 3, noise: 0.2, seed: 0 });
 */
export function makeSpiral(opts: SyntheticOptions & { k?: number; turns?: number } = {}): SyntheticData {
  const { n, noise, rng, dtype } = setup('makeSpiral', opts, 300, 0.2);
  const k = opts.k ?? 3, turns = opts.turns ?? 1;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new ArgumentError('makeSpiral', `k (arms) must be an integer in 2..n (${n}), got ${k}`);
  const rows: number[][] = [], labels: number[] = [];
  classSizes(n, k).forEach((m, j) => {
    for (let i = 0; i < m; i++) {
      const r = i / m;
      const t = (2 * Math.PI * j) / k + 2 * Math.PI * turns * r + noise * rng.normal();
      rows.push([r * Math.sin(t), r * Math.cos(t)]);
      labels.push(j);
    }
  });
  return pack(rows, labels, rng, dtype, k);
}

/**
 * Two interleaving half-moons (sklearn's make_moons), θ evenly spaced in [0, π]:
 * class 0: (cos θ, sin θ); class 1: (1 − cos θ, 0.5 − sin θ); plus σε, ε ~ N(0, I).
 * @example const { x, y } = makeMoons({ n: 200, noise: 0.1, seed: 0 });
 */
export function makeMoons(opts: SyntheticOptions = {}): SyntheticData {
  const { n, noise, rng, dtype } = setup('makeMoons', opts, 200, 0.1);
  const rows: number[][] = [], labels: number[] = [];
  classSizes(n, 2).forEach((m, c) => {
    for (let i = 0; i < m; i++) {
      const t = m === 1 ? 0 : (Math.PI * i) / (m - 1);
      const p = c === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
      rows.push([p[0]! + noise * rng.normal(), p[1]! + noise * rng.normal()]);
      labels.push(c);
    }
  });
  return pack(rows, labels, rng, dtype, 2);
}

function regression(xs: number[], f: (x: number) => number, noise: number, rng: Rng, dtype: DType): SyntheticData {
  const n = xs.length;
  const x = allocate(dtype, n), y = allocate(dtype, n);
  xs.forEach((v, i) => {
    x[i] = v;
    y[i] = f(v) + noise * rng.normal();
  });
  return { x: new Tensor(x, [n, 1]), y: new Tensor(y, [n]) };
}

/**
 * Noisy sine regression: x ~ U[a, b] (default [−π, π]), y = sin(freq·x) + σε, ε ~ N(0, 1).
 * @example const { x, y } = makeSine({ n: 100, noise: 0.1, seed: 0 });   // x [100,1], y [100]
 */
export function makeSine(opts: SyntheticOptions & { range?: [number, number]; freq?: number } = {}): SyntheticData {
  const { n, noise, rng, dtype } = setup('makeSine', opts, 100, 0.1);
  const [a, b] = opts.range ?? [-Math.PI, Math.PI], freq = opts.freq ?? 1;
  if (!(b > a)) throw new ArgumentError('makeSine', `range [${a}, ${b}] must have a < b`);
  const xs = Array.from({ length: n }, () => a + (b - a) * rng.uniform());
  return regression(xs, (v) => Math.sin(freq * v), noise, rng, dtype);
}

/**
 * The cubic toy of Hernández-Lobato & Adams (2015): x ~ U[−4, 4], y = x³ + ε, ε ~ N(0, 3²) (noise
 * default 3). `gap: [a, b]` leaves that interval without points (x is uniform on the rest), to show
 * growing predictive uncertainty in the gap.
 * @example const { x, y } = makeCubic({ n: 20, gap: [-1, 1], seed: 0 });
 */
export function makeCubic(opts: SyntheticOptions & { range?: [number, number]; gap?: [number, number] } = {}): SyntheticData {
  const op = 'makeCubic';
  const { n, noise, rng, dtype } = setup(op, opts, 20, 3);
  const [lo, hi] = opts.range ?? [-4, 4];
  if (!(hi > lo)) throw new ArgumentError(op, `range [${lo}, ${hi}] must have a < b`);
  const [g0, g1] = opts.gap ?? [lo, lo];
  if (!(g1 >= g0) || g0 < lo || g1 > hi || (g0 === lo && g1 === hi)) {
    throw new ArgumentError(op, `gap [${g0}, ${g1}] must be an interval inside the range [${lo}, ${hi}] that leaves some of it`);
  }
  const left = g0 - lo, total = left + (hi - g1);
  const xs = Array.from({ length: n }, () => {
    const u = total * rng.uniform();
    return u < left ? lo + u : g1 + (u - left);
  });
  return regression(xs, (v) => v * v * v, noise, rng, dtype);
}
