// The hypernetwork noise mode: a noise-conditioned hypernet trained on 1-D regression data, the
// predictive mean ± std band from K sampled target nets, and the band's width near vs far from the data.
import { add, div, hyper, Key, mean, mul, nn, Optimizer, adam, Rng, square, stack, sub, sum, Tensor } from 'neurite';

/** 1-D regression data, x and y as [n, 1]. */
export interface Data1d { x: Tensor; y: Tensor }

/**
 * y = x³/27 + N(0, 0.1²) at n points drawn uniformly from [−3, −1] ∪ [1, 3] (a gap in the middle),
 * so there is one region between the clusters and two beyond them with no data.
 * @example cubicWithGap(24, 7).x.shape   // [24, 1]
 */
export function cubicWithGap(n: number, seed: number): Data1d {
  const rng = new Rng(seed), xs = new Float32Array(n), ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 + 2 * rng.uniform();
    xs[i] = i % 2 === 0 ? -u : u;
    ys[i] = xs[i]! ** 3 / 27 + 0.1 * rng.normal();
  }
  return { x: new Tensor(xs, [n, 1]), y: new Tensor(ys, [n, 1]) };
}

export interface NoiseHyperOptions {
  /** Target hidden width (default 32, ReLU). */
  width?: number;
  /** Noise dimension (default 8). */
  noiseDim?: number;
  /** Samples per step (default 8). */
  k?: number;
  /** Likelihood noise σ (default 0.1, the data's). */
  sigma?: number;
  /** Weight of the prior + repulsion terms (default 0.2). */
  klWeight?: number;
  seed?: number;
}

/** A noise-conditioned hypernet and a function training it one Adam step at a time. */
export interface NoiseHyperTrainer {
  hypernet: hyper.HyperNetwork;
  /** One step; returns the loss. */
  step(): number;
}

/**
 * Per step, K nets w_k = hyper(z_k); loss = mean_k Σ_i (y_i − f_k(x_i))²/(2σ²) + λ[½ mean_k ‖w_k/s‖²
 * + (P/2)·D(W/s)]: a Gaussian likelihood, a N(0, s²) prior (s: the hyperfan scales) and the pairwise
 * repulsion hyper.weightDiversity standing in for the entropy, so the sampled nets agree where the
 * data pin them down and spread elsewhere (as examples/hyper/uncertainty.ts).
 * @example const t = noiseHyperTrainer(cubicWithGap(24, 7)); for (let i = 0; i < 300; i++) t.step();
 */
export function noiseHyperTrainer(data: Data1d, opts: NoiseHyperOptions = {}): NoiseHyperTrainer {
  const seed = opts.seed ?? 1, k = opts.k ?? 8, sigma = opts.sigma ?? 0.1, lambda = opts.klWeight ?? 0.2;
  const target = nn.mlp({ sizes: [1, opts.width ?? 32, 1], activation: 'relu', seed });
  const hypernet = new hyper.HyperNetwork({ target, condition: { kind: 'noise', dim: opts.noiseDim ?? 8 }, hidden: [32], gain: Math.SQRT2, seed });
  const opt = new Optimizer(adam({ lr: 0.005 }), hypernet);
  const p = hypernet.targetCount();
  return {
    hypernet,
    step(): number {
      opt.zeroGrad();
      const w = hypernet.generate(hypernet.params, hypernet.sampleNoise(k));
      const outs = stack(hyper.sampledOutputs(hypernet, w, data.x)); // [K, n, 1]
      const nll = div(mean(sum(square(sub(outs, data.y)), [1, 2])), 2 * sigma * sigma);
      const wn = div(w, hypernet.scale);
      const prior = mul(mean(sum(square(wn), [1])), 0.5);
      const loss = add(nll, mul(add(prior, mul(hyper.weightDiversity(wn), p / 2)), lambda));
      loss.backward();
      opt.step();
      return loss.item();
    },
  };
}

/** The predictive band on a grid: mean and std per grid point over K sampled target nets. */
export interface Band { xs: Float64Array; mean: Float64Array; std: Float64Array }

/**
 * Samples K target nets from `key` (the same key, the same band) and returns their mean and
 * population std at `points` evenly spaced x in [lo, hi].
 * @example const band = predictiveBand(t.hypernet, -5, 5, 101, 50, Key.of(3));
 */
export function predictiveBand(h: hyper.HyperNetwork, lo: number, hi: number, points: number, k: number, key: Key = Key.of(0)): Band {
  const xs = Float64Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
  const p = hyper.predictStochastic(h, new Tensor(Float32Array.from(xs), [points, 1]), k, key);
  return { xs, mean: Float64Array.from(p.mean.data), std: Float64Array.from(p.std.data) };
}

/** Mean band std over grid points near the data and over points far from it. */
export interface BandWidths { near: number; far: number; nearPoints: number; farPoints: number }

/**
 * Splits the grid by each point's distance d to the nearest training x: near when d ≤ `nearDist`,
 * far when d ≥ `farDist`; returns the mean std of each group. Throws when a group is empty.
 * @example bandWidths(band, data.x.data, 0.1, 1)   // { near: 0.05, far: 0.4, ... }
 */
export function bandWidths(band: Band, dataX: ArrayLike<number>, nearDist: number, farDist: number): BandWidths {
  let near = 0, far = 0, nn2 = 0, nf = 0;
  band.xs.forEach((x, i) => {
    let d = Infinity;
    for (let j = 0; j < dataX.length; j++) d = Math.min(d, Math.abs(x - dataX[j]!));
    if (d <= nearDist) { near += band.std[i]!; nn2++; }
    if (d >= farDist) { far += band.std[i]!; nf++; }
  });
  if (nn2 === 0 || nf === 0) throw new RangeError(`bandWidths: ${nn2} grid points within ${nearDist} of the data and ${nf} at ≥ ${farDist}; widen the grid or change the distances`);
  return { near: near / nn2, far: far / nf, nearPoints: nn2, farPoints: nf };
}
