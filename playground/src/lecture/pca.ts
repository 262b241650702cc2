// Representations for the playground: a hidden layer's activations of the data, projected by PCA to 2-D.
import { analysis, nn, Tensor } from 'neurite';

/** One layer's activations of N examples, [N, width]. */
export interface LayerActivations {
  /** `"1:Tanh"`: the Sequential index and layer. */
  name: string;
  values: Tensor;
}

/**
 * The outputs of every activation layer (what the next layer sees) of a Sequential on x; the raw
 * Linear outputs are left out. Runs without gradients (analysis.representations).
 * @example hiddenRepresentations(net, x).map((l) => l.name)   // ['1:Tanh', '3:Tanh']
 */
export function hiddenRepresentations(model: nn.Sequential, x: Tensor): LayerActivations[] {
  const all = analysis.representations(model, x).slice(0, -1); // the last entry is the model's output
  return all.filter(([name]) => !/^\d+:(Linear|Dropout)/.test(name)).map(([name, values]) => ({ name, values }));
}

/** A 2-D PCA view of a layer: points [N·2] (x, y interleaved) and each axis' share of the variance. */
export interface Projection {
  points: Float64Array;
  explained: [number, number];
  /** The layer's width (with width 1 the second coordinate is 0). */
  width: number;
}

/**
 * PCA of the rows of h [N, F] (covariance (H−μ)ᵀ(H−μ)/(N−1), Jacobi eigen-decomposition in float64,
 * analysis.pca) and the projection Z = (H−μ)V₂ᵀ onto the two leading axes. A 1-wide layer has one
 * axis; its points lie on y = 0 with explained [1, 0].
 * @example const { points, explained } = project2d(layer.values);
 */
export function project2d(h: Tensor): Projection {
  if (h.rank !== 2 || h.shape[0]! < 2) throw new RangeError(`project2d: activations must be [N ≥ 2, F], got [${h.shape.join(', ')}]`);
  const [n, f] = h.shape as [number, number];
  const p = analysis.pca(h);
  const k = Math.min(2, f);
  const z = analysis.pcaProject(p, h, k).data;
  const points = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    points[2 * i] = z[i * k]!;
    points[2 * i + 1] = k === 2 ? z[i * k + 1]! : 0;
  }
  return { points, explained: [p.explainedRatio[0] ?? 0, p.explainedRatio[1] ?? 0], width: f };
}
