// Turning the host's data (flat Float32Arrays) into the tensors the lecture panels train on.
import { Rng, Tensor } from 'neurite';
import { signedLabels } from './outputs.js';

/** The shape of one split of PanelHost.getData(); `points` are the raw (x1, x2), n × 2, when the shell gives them. */
export interface Split { x: Float32Array; y: Float32Array; n: number; inputDim: number; points?: Float32Array }

/**
 * Columns scaled to mean 0 and standard deviation 1 (a constant column becomes 0), as [n, inputDim].
 * The gradient-flow experiments use it so the init, not the data's scale, decides what happens.
 * @example standardized(host.getData().train).shape   // [n, 2]
 */
export function standardized(split: Split): Tensor {
  const { n, inputDim: d } = split;
  if (split.x.length !== n * d) throw new RangeError(`standardized: x has ${split.x.length} values, expected n·inputDim = ${n}·${d}`);
  const out = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) { const v = split.x[i * d + j]!; s += v; s2 += v * v; }
    const mean = s / n, sd = Math.sqrt(Math.max(s2 / n - mean * mean, 0));
    for (let i = 0; i < n; i++) out[i * d + j] = sd > 0 ? (split.x[i * d + j]! - mean) / sd : 0;
  }
  return new Tensor(out, [n, d]);
}

/** The targets as [n, k] (k = y.length / n). @example targets(split).shape   // [n, 1] */
export function targets(split: Split): Tensor {
  const k = split.y.length / split.n;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`targets: y has ${split.y.length} values for n = ${split.n} examples`);
  return new Tensor(Float32Array.from(split.y), [split.n, k]);
}

/**
 * The split as raw 2-D points with ±1 labels, for panels that draw and transform the plane: `points`
 * when the host gives them, else x when it is 2-D; null when neither, or when the labels are not two classes.
 * @example planeSplit(host.getData().train) ?? circleData(200, 1)
 */
export function planeSplit(split: Split): Split | null {
  const x = split.points ?? (split.inputDim === 2 ? split.x : null);
  const y = signedLabels(split.y);
  return x && y && split.n > 1 ? { x, y, n: split.n, inputDim: 2 } : null;
}

/**
 * A small 2-D two-class set (a disc inside a ring, labels ±1, x in [−6, 6]²) for when the host has no
 * data yet, and for tests.
 * @example circleData(200, 1).n   // 200
 */
export function circleData(n: number, seed: number): Split {
  const rng = new Rng(seed), x = new Float32Array(n * 2), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const inside = i % 2 === 0, r = inside ? 2.5 * rng.uniform() : 3.5 + 2.5 * rng.uniform(), a = 2 * Math.PI * rng.uniform();
    x[2 * i] = r * Math.cos(a);
    x[2 * i + 1] = r * Math.sin(a);
    y[i] = inside ? 1 : -1;
  }
  return { x, y, n, inputDim: 2 };
}
