// The playground's datasets (TensorFlow Playground's four, a boundary y > f(x), multiclass and regression sets) and features.
import { Rng } from 'neurite';
import type { BoundaryFn, ShellSplit, DatasetName, FeatureName, PlaygroundState, ProblemKind } from './host.js';

/** Points live in [-6, 6]²; labels are 0/1 (binary), 0…k-1 (multiclass) or values (regression). */
export const VIEW = 6;

/** The datasets each problem offers, in menu order, with their labels. */
export const DATASETS: Record<ProblemKind, Array<{ name: DatasetName; label: string }>> = {
  binary: [
    { name: 'circle', label: 'Circle' }, { name: 'xor', label: 'Exclusive or' }, { name: 'gauss', label: 'Gaussian' },
    { name: 'spiral', label: 'Spiral' }, { name: 'boundary', label: 'Boundary y > f(x)' },
  ],
  multiclass: [{ name: 'blobs', label: 'Gaussian blobs' }, { name: 'spiral-k', label: 'Spiral arms' }],
  regression: [
    { name: 'plane', label: 'Plane (2-D)' }, { name: 'bumps', label: 'Gaussian bumps (2-D)' },
    { name: 'sine', label: 'Sine (1-D)' }, { name: 'step', label: 'Step (1-D)' },
  ],
};

/** The boundary functions f of `boundary` (class 1 above the curve). */
export const BOUNDARY_FNS: Record<BoundaryFn, (x: number) => number> = {
  sin: (x) => 3 * Math.sin(x),
  parabola: (x) => 0.25 * x * x - 3,
  cubic: (x) => 0.03 * x * x * x,
  abs: (x) => Math.abs(x) - 2,
};

/** The features and how each is computed from (x1, x2). */
export const FEATURES: Record<FeatureName, { label: string; f: (a: number, b: number) => number }> = {
  x1: { label: 'x₁', f: (a) => a },
  x2: { label: 'x₂', f: (_a, b) => b },
  x1sq: { label: 'x₁²', f: (a) => a * a },
  x2sq: { label: 'x₂²', f: (_a, b) => b * b },
  x1x2: { label: 'x₁x₂', f: (a, b) => a * b },
  sinx1: { label: 'sin(x₁)', f: (a) => Math.sin(a) },
  sinx2: { label: 'sin(x₂)', f: (_a, b) => Math.sin(b) },
};

/** Whether the dataset is a 1-D regression set (x2 is 0; the plot is a curve). */
export function isOneD(name: DatasetName): boolean {
  return name === 'sine' || name === 'step';
}

interface Points { px: number[]; py: number[]; label: number[] }

function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.uniform();
}

function circle(rng: Rng, n: number, noise: number, p: Points): void {
  const radius = 5;
  for (let i = 0; i < n; i++) {
    const inner = i < n / 2;
    const r = inner ? uniform(rng, 0, radius * 0.5) : uniform(rng, radius * 0.7, radius);
    const t = uniform(rng, 0, 2 * Math.PI);
    const x = r * Math.sin(t) + uniform(rng, -radius, radius) * noise, y = r * Math.cos(t) + uniform(rng, -radius, radius) * noise;
    p.px.push(x); p.py.push(y); p.label.push(Math.hypot(x, y) < radius * 0.5 ? 1 : 0);
  }
}

function xor(rng: Rng, n: number, noise: number, p: Points): void {
  for (let i = 0; i < n; i++) {
    let x = uniform(rng, -5, 5), y = uniform(rng, -5, 5);
    x += x > 0 ? 0.3 : -0.3; y += y > 0 ? 0.3 : -0.3; // keep a gap at the axes
    const label = x * y >= 0 ? 1 : 0;
    p.px.push(x + uniform(rng, -5, 5) * noise); p.py.push(y + uniform(rng, -5, 5) * noise); p.label.push(label);
  }
}

function blobs(rng: Rng, n: number, noise: number, k: number, radius: number, p: Points): void {
  const spread = 0.5 + noise * 4;
  for (let i = 0; i < n; i++) {
    const c = i % k, t = (2 * Math.PI * c) / k + (k === 2 ? Math.PI / 4 : 0);
    p.px.push(radius * Math.cos(t) + rng.normal() * spread); p.py.push(radius * Math.sin(t) + rng.normal() * spread); p.label.push(c);
  }
}

function spiral(rng: Rng, n: number, noise: number, k: number, p: Points): void {
  const per = Math.floor(n / k);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < per; i++) {
      const r = (i / per) * 5, t = 1.75 * (i / per) * 2 * Math.PI + (2 * Math.PI * c) / k;
      p.px.push(r * Math.sin(t) + uniform(rng, -1, 1) * noise * 5); p.py.push(r * Math.cos(t) + uniform(rng, -1, 1) * noise * 5); p.label.push(c);
    }
  }
}

function boundary(rng: Rng, n: number, noise: number, fn: BoundaryFn, p: Points): void {
  const f = BOUNDARY_FNS[fn];
  for (let i = 0; i < n; i++) {
    const x = uniform(rng, -VIEW, VIEW), y = uniform(rng, -VIEW, VIEW);
    p.px.push(x); p.py.push(y); p.label.push((y + rng.normal() * noise * 6 > f(x)) ? 1 : 0);
  }
}

function regression(rng: Rng, n: number, noise: number, name: DatasetName, p: Points): void {
  const bumps = (x: number, y: number) => Math.exp(-((x - 2) ** 2 + (y - 2) ** 2) / 4) + Math.exp(-((x + 2) ** 2 + (y + 2) ** 2) / 4);
  const target: Record<string, (x: number, y: number) => number> = {
    plane: (x, y) => (x + y) / 12, bumps, sine: (x) => Math.sin(x), step: (x) => (x > 0 ? 0.8 : -0.8),
  };
  const f = target[name]!, nonNegative = name === 'bumps'; // bumps: targets clipped at 0, for the ReLU/softplus heads
  for (let i = 0; i < n; i++) {
    const x = uniform(rng, -VIEW, VIEW), y = isOneD(name) ? 0 : uniform(rng, -VIEW, VIEW);
    const v = f(x, y) + rng.normal() * noise * 0.5;
    p.px.push(x); p.py.push(y); p.label.push(nonNegative ? Math.max(0, v) : v);
  }
}

function generate(s: PlaygroundState, rng: Rng): Points {
  const p: Points = { px: [], py: [], label: [] }, noise = s.noise / 100, n = s.samples;
  switch (s.dataset) {
    case 'circle': circle(rng, n, noise, p); break;
    case 'xor': xor(rng, n, noise, p); break;
    case 'gauss': blobs(rng, n, noise, 2, 2.8, p); break;
    case 'spiral': spiral(rng, n, noise, 2, p); break;
    case 'boundary': boundary(rng, n, noise, s.boundaryFn, p); break;
    case 'blobs': blobs(rng, n, noise, s.classes, 3.5, p); break;
    case 'spiral-k': spiral(rng, n, noise, s.classes, p); break;
    default: regression(rng, n, noise, s.dataset, p);
  }
  return p;
}

/** The features of n points (n × 2) as n × features.length, row-major. @example featurize(pts, 2, ['x1', 'x1sq']) */
export function featurize(points: Float32Array, n: number, features: readonly FeatureName[]): Float32Array {
  const out = new Float32Array(n * features.length), fs = features.map((f) => FEATURES[f].f);
  for (let i = 0; i < n; i++) {
    const a = points[2 * i]!, b = points[2 * i + 1]!;
    for (let j = 0; j < fs.length; j++) out[i * fs.length + j] = fs[j]!(a, b);
  }
  return out;
}

function split(p: Points, idx: number[], features: readonly FeatureName[]): ShellSplit {
  const n = idx.length, points = new Float32Array(2 * n), y = new Float32Array(n);
  idx.forEach((k, i) => { points[2 * i] = p.px[k]!; points[2 * i + 1] = p.py[k]!; y[i] = p.label[k]!; });
  return { x: featurize(points, n, features), y, n, inputDim: features.length, points };
}

/**
 * The train and test splits of the state's dataset (deterministic in `seed`), shuffled before the split.
 * @example const { train, test } = makeData(defaultState())
 */
export function makeData(s: PlaygroundState): { train: ShellSplit; test: ShellSplit } {
  const rng = new Rng(s.seed);
  const p = generate(s, rng);
  const order = Array.from(p.px, (_v, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nTrain = Math.max(1, Math.min(order.length - 1, Math.round((order.length * s.trainRatio) / 100)));
  return { train: split(p, order.slice(0, nTrain), s.features), test: split(p, order.slice(nTrain), s.features) };
}
