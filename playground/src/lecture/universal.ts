// Universal approximation for the playground: a drawable 1-D target on [0, 1] (a grid of samples), its
// presets, the constructive bump network and a trained sigmoid network, each with its sup error.
import { analysis, adam, fitAsync, nn, noGrad, Optimizer, regressionHead, Tensor, tree, type AbortSignalLike } from 'neurite';

/** Samples of the target at x_i = i/(n−1), i = 0..n−1; the target is their linear interpolation. */
export type CurveGrid = Float64Array;

/** Keyboard-reachable target curves on [0, 1] with values in about [0, 1]. */
export const PRESETS: Record<string, (x: number) => number> = {
  'lecture f': (x) => 0.2 + 0.4 * x * x + 0.3 * x * Math.sin(15 * x) + 0.05 * Math.cos(50 * x),
  sine: (x) => 0.5 + 0.4 * Math.sin(2 * Math.PI * x),
  step: (x) => (x < 0.5 ? 0.2 : 0.8),
  tent: (x) => 0.9 - 1.4 * Math.abs(x - 0.5),
};

/** A curve grid of `n` samples of f. @example gridFrom(PRESETS.sine!, 101) */
export function gridFrom(f: (x: number) => number, n = 101): CurveGrid {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`gridFrom: n must be an integer ≥ 2, got ${n}`);
  return Float64Array.from({ length: n }, (_, i) => f(i / (n - 1)));
}

/**
 * The target as a function: linear interpolation of the grid, clamped to [0, 1] in x.
 * @example curveFunction(Float64Array.of(0, 1))(0.25)   // 0.25
 */
export function curveFunction(grid: CurveGrid): (x: number) => number {
  const n = grid.length;
  if (n < 2) throw new RangeError(`curveFunction: the grid needs at least 2 samples, got ${n}`);
  return (x) => {
    const t = Math.min(Math.max(x, 0), 1) * (n - 1), i = Math.min(Math.floor(t), n - 2), a = t - i;
    return grid[i]! * (1 - a) + grid[i + 1]! * a;
  };
}

/**
 * Paints a stroke from (x0, y0) to (x1, y1) into the grid (x in [0, 1]): every sample between the two
 * x positions takes the stroke's height there, so a fast pointer leaves no gaps. Returns the grid.
 * @example paintStroke(grid, 0.1, 0.5, 0.3, 0.9)
 */
export function paintStroke(grid: CurveGrid, x0: number, y0: number, x1: number, y1: number): CurveGrid {
  for (const v of [x0, y0, x1, y1]) if (!Number.isFinite(v)) throw new RangeError(`paintStroke: coordinates must be finite, got (${x0}, ${y0}) → (${x1}, ${y1})`);
  const n = grid.length, c = (x: number): number => Math.min(Math.max(x, 0), 1) * (n - 1);
  const i0 = Math.round(c(Math.min(x0, x1))), i1 = Math.round(c(Math.max(x0, x1)));
  for (let i = i0; i <= i1; i++) {
    const x = i / (n - 1), a = x1 === x0 ? 1 : (x - x0) / (x1 - x0);
    grid[i] = y0 + (y1 - y0) * Math.min(Math.max(a, 0), 1);
  }
  return grid;
}

/** A network approximating the target and its sup error on a 2001-point grid of [0, 1]. */
export interface Approximation {
  model: nn.Module;
  supError: number;
}

/** sup_{x∈[0,1]} |f̂(x) − f(x)| on 2001 points (the panel's sup error). @example supErrorOf(net, f) */
export function supErrorOf(model: nn.Module, f: (x: number) => number): number {
  return analysis.supError(model, f, 2001);
}

/**
 * The constructive network: N bumps σ(k(x−a)) − σ(k(x−b)) of height f(midpoint), 2N sigmoids in one
 * hidden layer, built analytically (analysis.bumpNetwork, steepness k = 40N).
 * @example bumpApproximation(PRESETS.sine!, 20).supError   // ≈ 0.06
 */
export function bumpApproximation(f: (x: number) => number, bumps: number): Approximation {
  const model = analysis.bumpNetwork(f, bumps);
  return { model, supError: supErrorOf(model, f) };
}

/** Options for {@link trainSigmoidNet}. */
export interface TrainOptions {
  epochs?: number;
  seed?: number;
  /** Adam's learning rate (default 0.05). */
  lr?: number;
  /** Training points on [0, 1] (default 200). */
  points?: number;
  signal?: AbortSignalLike;
  /** Called after each epoch with the epoch and its training MSE. */
  onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * A 1-H-1 sigmoid network (H hidden sigmoids) trained with Adam on MSE against the target sampled at
 * `points` evenly spaced x, with fitAsync (the page stays responsive).
 * @example const { supError } = await trainSigmoidNet(PRESETS.sine!, 20);   // ≈ 0.02
 */
export async function trainSigmoidNet(f: (x: number) => number, hidden: number, opts: TrainOptions = {}): Promise<Approximation> {
  const m = opts.points ?? 200;
  const xs = Float32Array.from({ length: m }, (_, i) => i / (m - 1));
  const x = new Tensor(xs, [m, 1]), y = new Tensor(xs.map((v) => f(v)), [m, 1]);
  const model = nn.mlp({ sizes: [1, hidden, 1], activation: 'sigmoid', seed: opts.seed ?? 1 });
  const onEpoch = opts.onEpoch;
  await fitAsync({
    model, head: regressionHead(), optimizer: new Optimizer(adam({ lr: opts.lr ?? 0.05 }), model), x, y,
    epochs: opts.epochs ?? 400, batchSize: 50, seed: opts.seed ?? 1, divergenceFactor: null,
    ...(opts.signal ? { signal: opts.signal } : {}),
    callbacks: onEpoch ? [{ onEpochEnd: (_ctx: unknown, log: { epoch: number; loss: number }) => onEpoch(log.epoch, log.loss) }] : [],
  });
  return { model, supError: supErrorOf(model, f) };
}

/** f̂ on n evenly spaced x in [0, 1] (for drawing). @example curveOf(net, 201) */
export function curveOf(model: nn.Module, n: number): Float64Array {
  const dtype = tree.leaves(model.params)[0]?.dtype ?? 'float32';
  const xs = Float64Array.from({ length: n }, (_, i) => i / (n - 1));
  const x = dtype === 'float64' ? new Tensor(xs, [n, 1]) : new Tensor(Float32Array.from(xs), [n, 1]);
  return Float64Array.from(noGrad(() => model.forward(x)).data);
}
