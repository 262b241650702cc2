// Target-network layout for hypernetworks: per-parameter hyperfan scales, batched unflatten, chunk plans.
import { Tensor } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { sizeOf } from '../core/shape.js';
import { narrow, reshape } from '../ops/movement.js';
import { type LeafSpec, type ParamTree, type Params, count, setPath } from '../tree/tree.js';

/**
 * Fan-in of every leaf of a target spec: a weight `[out, in, k...]` has fan-in in·∏k; a 1-D leaf
 * (a bias) takes the fan-in of the sibling `weight` in the same layer, else 1.
 * @example targetFanIns(new Linear(784, 100).paramSpec())   // [784, 784]
 */
export function targetFanIns(specs: readonly LeafSpec[]): number[] {
  const byPath = new Map(specs.map((s) => [s.path, s.shape]));
  return specs.map((s) => {
    if (s.shape.length >= 2) return sizeOf(s.shape.slice(1));
    const prefix = s.path.includes('.') ? s.path.slice(0, s.path.lastIndexOf('.') + 1) : '';
    const w = byPath.get(`${prefix}weight`);
    return w && w.length >= 2 ? sizeOf(w.slice(1)) : 1;
  });
}

/**
 * Hyperfan-in output scales (Chang, Sacramento & Grewe 2020): the generator emits unit-variance
 * values and each generated parameter is multiplied by s_p so that a weight with fan-in f gets
 * Var(w) = gain²/f (the scale of Kaiming/LeCun init), and a bias gets Var(b) = biasScale²/f. This
 * keeps the target's forward variance right at the start whatever the generator's own size.
 *
 * @example hyperfanScales(mlp({ sizes: [1, 10, 1] }).paramSpec(), { gain: 1 })  // Float32Array(31)
 */
export function hyperfanScales(specs: readonly LeafSpec[], opts: { gain?: number; biasScale?: number } = {}): Float32Array {
  const g = opts.gain ?? 1, bs = opts.biasScale ?? 0.5;
  const fans = targetFanIns(specs);
  const out = new Float32Array(count(specs));
  let off = 0;
  specs.forEach((s, i) => {
    const n = sizeOf(s.shape);
    out.fill((s.shape.length >= 2 ? g : bs) / Math.sqrt(fans[i]!), off, off + n);
    off += n;
  });
  return out;
}

/**
 * Cuts a matrix of per-sample parameter vectors `[B, P]` into a tree whose leaves carry a leading
 * batch dim (`weight [B, out, in]`, `bias [B, out]`); Linear then runs one network per example.
 * Gradients flow back into the matrix.
 * @example const tree = unflattenBatched(target.paramSpec(), generated);   // generated: [B, P]
 */
export function unflattenBatched(specs: readonly LeafSpec[], matrix: Tensor): Params {
  const total = count(specs);
  if (matrix.rank !== 2 || matrix.shape[1] !== total) {
    throw new ShapeError('unflattenBatched', `matrix ${fmtShape(matrix.shape)} must be [B, ${total}] (one parameter vector per example)`);
  }
  const b = matrix.shape[0]!;
  const root: Params = {};
  let off = 0;
  for (const s of specs) {
    const n = sizeOf(s.shape);
    const leaf = reshape(narrow(matrix, 1, off, n), [b, ...s.shape]);
    setPath(root, s.path, leaf);
    off += n;
  }
  return root;
}

/** How a flat target vector of P values is cut into C chunks of `size` (the last one padded). */
export interface ChunkPlan {
  readonly total: number;
  readonly size: number;
  readonly chunks: number;
  /** Unused outputs of the last chunk (C·size − P). */
  readonly padding: number;
}

/**
 * Plans chunked generation: C = ⌈P / size⌉ chunks, chunk c covers target indices
 * [c·size, min((c+1)·size, P)), so every target value is produced exactly once.
 * @example chunkPlan(79510, 4000)   // { total: 79510, size: 4000, chunks: 20, padding: 490 }
 */
export function chunkPlan(total: number, size: number): ChunkPlan {
  if (!Number.isInteger(size) || size < 1) throw new ArgumentError('chunkPlan', `chunk size must be a positive integer, got ${size}`);
  if (!Number.isInteger(total) || total < 1) throw new ArgumentError('chunkPlan', `the target must have at least one parameter, got ${total}`);
  const chunks = Math.ceil(total / size);
  return { total, size, chunks, padding: chunks * size - total };
}

/** A constant [P] tensor from a Float32Array (no gradient). */
export function constant(data: Float32Array): Tensor {
  return new Tensor(data, [data.length]);
}
