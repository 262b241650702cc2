// The closed set of primitive ops and the arguments each takes; forward kernels and VJP rules are
// tables over exactly these names, so a missing one is a compile error.
import type { DType, Storage } from '../core/dtype.js';
import type { BinaryOp, UnaryOp, WindowGeometry } from '../backend/backend.js';

type NoArgs = Record<never, never>;

export type { WindowGeometry } from '../backend/backend.js';

/**
 * A training-mode batch-norm primitive's arguments: eps, and the [C] storages its forward kernel writes
 * the batch's mean and biased variance into (null: not wanted) — the running estimates' inputs.
 */
export interface BatchNormArgs {
  eps: number;
  mean: Storage | null;
  variance: Storage | null;
}

export interface OpArgs extends Record<UnaryOp, NoArgs>, Record<BinaryOp, NoArgs> {
  /**
   * NOTE: hardtanh and Leaky ReLU are primitives (one kernel forward, one backward) because composing
   * them from comparisons, where and clamp took 6 ops — 7× the time of tanh, for an activation whose
   * point is being cheap. Gradients as PyTorch at the kinks (see backend ParamGradOp).
   */
  hardtanh: { min: number; max: number };
  leakyRelu: { alpha: number };
  /** Fused backward steps: hardtanhGrad(g, x), leakyReluGrad(g, x) (same shapes). */
  hardtanhGrad: { min: number; max: number };
  leakyReluGrad: { alpha: number };
  /** where(cond, a, b): a where cond ≠ 0, else b; broadcasting. */
  where: NoArgs;
  sum: { axes: number[]; keepdims: boolean };
  max: { axes: number[]; keepdims: boolean };
  /** Index of the maximum along one axis (no gradient). */
  argmax: { axis: number; keepdims: boolean };
  matmul: { transA: boolean; transB: boolean };
  /**
   * NOTE: a primitive because on small layers each op's fixed cost dominates: x [m, k] @ wᵀ (w [n, k])
   * + b [n] → [m, n] in one output buffer, and one graph node whose rule sums the bias gradient
   * directly. Same kernels and rounding as matmul then add.
   */
  linear: NoArgs;
  /** NOTE: a primitive because log(softmax(x)) underflows to -inf; this is x - logsumexp(x). */
  logSoftmax: { axis: number };
  reshape: { shape: number[] };
  permute: { perm: number[] };
  broadcastTo: { shape: number[] };
  slice: { begin: number[]; end: number[] };
  pad: { before: number[]; after: number[]; value: number };
  concat: { axis: number };
  indexSelect: { axis: number; indices: Int32Array };
  /** Scatter-add of slices into a zero tensor whose `axis` has `size` entries (indexSelect's adjoint). */
  indexAdd: { axis: number; indices: Int32Array; size: number };
  cast: { dtype: DType };
  /**
   * NOTE: a primitive because composing sliding windows from slices is far slower. NCHW input →
   * columns [N, C·kh·kw, OH·OW] (torch unfold, row c·kh·kw + i·kw + j); padded taps read `padValue`.
   */
  im2col: WindowGeometry & { padValue: number };
  /** im2col's adjoint (torch fold): sums columns [N, C·kh·kw, OH·OW] back into [N, C, ...size]. */
  col2im: WindowGeometry & { size: [number, number] };
  /**
   * NOTE: a primitive (groups 1) so that a backend can keep each image's im2col columns in its own
   * memory: composed from im2col + matmul, a batch-sized column tensor (9× the input for a 3×3 kernel)
   * was built, copied out and back in, each way. conv2d(x [N, C, H, W], w [O, C, kh, kw], b? [O]) →
   * [N, O, OH, OW]; the same arithmetic as the composition.
   */
  conv2d: WindowGeometry;
  /**
   * NOTE: a primitive so that the routing, the values and the gradient's scatter each take one backend
   * kernel (composed, the values were a gather and the gradient a scatter-add over the whole input in
   * JS). maxPool2d(x [N, C, H, W]) → [N, C, oh, ow], each window's first largest in-image tap (NaN
   * largest; −∞ for a window with none); `index` (N·C·oh·ow entries) is filled by the forward kernel
   * with the flat index into x of each window's tap (−1: none), which the gradient routes through.
   */
  maxPool2d: WindowGeometry & { oh: number; ow: number; index: Int32Array };
  /**
   * NOTE: a primitive because composed, one LSTM step was 14 small ops forward (4 slices, 4 activations,
   * 5 products and sums, a tanh) and about 30 backward, each a fixed cost on [H, N]-sized tensors.
   * lstmCell(xg [4H, N], hg [4H, N], c0 [H, N], b? [4H]) → [2H, N]: h_t rows, then c_t rows, with
   * gates (i, f, g, o) = (σ, σ, tanh, σ)(xg + hg + b) in row blocks, c_t = f·c0 + i·g, h_t = o·tanh(c_t).
   */
  lstmCell: NoArgs;
  /**
   * NOTE: a primitive because composed from mean, subtract, square, scale and shift it ran about a dozen
   * full-size elementwise ops and their temporaries each way (40 % of a CNN's training step).
   * batchNorm(x [N, C, ...], w [C], b [C]) normalises each channel with the batch's own mean and biased
   * variance: (x − μ_c)/√(σ²_c + eps)·w_c + b_c (BatchNorm2d in training mode).
   */
  batchNorm: BatchNormArgs;
  /**
   * NOTE: a primitive because BatchNorm2d is mostly followed by ReLU, and as two ops the full-size
   * batch-norm output was allocated, copied out of the kernel and into the relu kernel, and its gradient
   * went through reluGrad the same way. batchNormRelu(x, w, b) = relu(batchNorm(x, w, b)), bit for bit.
   */
  batchNormRelu: BatchNormArgs;
  /**
   * NOTE: a primitive because BatchNorm2d → ReLU → MaxPool2d is the common CNN block, and as two ops the
   * full-size activation was still allocated, copied out, copied back in for pooling, and its gradient
   * built full-size the same way. batchNormReluPool(x, w, b) = maxPool2d(batchNormRelu(x, w, b)) bit for
   * bit, with maxPool2d's geometry, extent and routing buffer `index`.
   */
  batchNormReluPool: OpArgs['maxPool2d'] & BatchNormArgs;
}

export type OpName = keyof OpArgs;
