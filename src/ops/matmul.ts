// Matrix products: 2-D, batched with broadcast batch dims, vectors, with transposed-operand flags.
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import { run } from './dispatch.js';
import { add, align } from './elementwise.js';
import { broadcastTo, reshape } from './movement.js';
import { broadcastShapes, sameShape, sizeOf } from '../core/shape.js';

export interface MatmulOptions {
  /** Use A's last two dims transposed (no copy is made). */
  transA?: boolean;
  /** Use B's last two dims transposed (no copy is made). */
  transB?: boolean;
}

/**
 * Matrix product with NumPy semantics: `[..., m, k] @ [..., k, n] → [..., m, n]`, batch dims
 * broadcast; 1-D operands act as a row (left) or column (right) vector.
 *
 * @example
 * matmul(x, w, { transB: true })   // x @ wᵀ, as Linear does with w of shape [out, in]
 */
export function matmul(a0: Tensor, b0: Tensor, opts: MatmulOptions = {}): Tensor {
  let [a, b] = align('matmul', a0, b0);
  const transA = opts.transA ?? false, transB = opts.transB ?? false;
  if (a.rank === 0 || b.rank === 0) throw new ShapeError('matmul', `scalars ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}: use mul`);
  const vecA = a.rank === 1, vecB = b.rank === 1;
  if (vecA) a = reshape(a, transA ? [a.size, 1] : [1, a.size]);
  if (vecB) b = reshape(b, transB ? [1, b.size] : [b.size, 1]);
  const ka = transA ? a.shape[a.rank - 2]! : a.shape[a.rank - 1]!;
  const kb = transB ? b.shape[b.rank - 1]! : b.shape[b.rank - 2]!;
  if (ka !== kb) {
    const desc = `${fmtShape(a0.shape)}${transA ? 'ᵀ' : ''} @ ${fmtShape(b0.shape)}${transB ? 'ᵀ' : ''}`;
    throw new ShapeError('matmul', `${desc}: inner dimensions ${ka} and ${kb} differ`);
  }
  const aBatch = a.shape.slice(0, -2), bBatch = b.shape.slice(0, -2);
  if (sizeOf(aBatch) !== 1 && sizeOf(bBatch) !== 1 && !sameShape(aBatch, bBatch)) {
    // Batch dims that broadcast against each other: materialise both to the common batch shape.
    const batch = broadcastShapes('matmul', aBatch, bBatch);
    a = broadcastTo(a, [...batch, ...a.shape.slice(-2)]);
    b = broadcastTo(b, [...batch, ...b.shape.slice(-2)]);
  }
  let out: Tensor;
  if (b.rank === 2 && a.rank > 2 && !transA) {
    // Fold A's batch dims into its rows: one large product instead of many small ones.
    const lead = a.shape.slice(0, -1);
    const flat = run('matmul', [reshape(a, [-1, ka]), b], { transA: false, transB });
    out = reshape(flat, [...lead, flat.shape[1]!]);
  } else out = run('matmul', [a, b], { transA, transB });
  if (vecA) out = reshape(out, [...out.shape.slice(0, -2), out.shape[out.rank - 1]!]);
  if (vecB) out = reshape(out, out.shape.slice(0, -1));
  return out;
}

/**
 * A fully connected layer's map `x wᵀ + b` (PyTorch's F.linear): x `[..., in]`, w `[out, in]`, b
 * `[out]`. A 2-D x with a bias runs as the fused `linear` primitive (one node; same values and
 * gradients as the composition); other cases compose matmul and add.
 *
 * @example linear(x, w, b)   // [N, in] → [N, out]
 */
export function linear(x: Tensor, w: Tensor, b?: Tensor): Tensor {
  if (b !== undefined && x.rank === 2 && w.rank === 2 && b.rank === 1 && x.dtype === w.dtype && w.dtype === b.dtype) {
    if (x.shape[1] !== w.shape[1]) throw new ShapeError('linear', `input ${fmtShape(x.shape)} @ weight ${fmtShape(w.shape)}ᵀ: inner dimensions ${x.shape[1]} and ${w.shape[1]} differ`);
    if (b.shape[0] !== w.shape[0]) throw new ShapeError('linear', `bias ${fmtShape(b.shape)} does not match the ${w.shape[0]} outputs of weight ${fmtShape(w.shape)}`);
    return run('linear', [x, w, b], {});
  }
  const y = matmul(x, w, { transB: true });
  return b === undefined ? y : add(y, b);
}
