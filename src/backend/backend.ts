// The narrow Backend interface: the compute kernels a backend (JS reference, later WASM SIMD) provides.
import type { Storage } from '../core/dtype.js';
import type { BackendRuleKernel } from '../optim/rule.js';
import type { Int8ChainLayer } from './js/quant.js';

/** Elementwise one-input kernels. */
export type UnaryOp = 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'relu' | 'sigmoid' | 'tanh' | 'softplus' | 'sin' | 'cos' | 'softsign';

/**
 * Elementwise two-input kernels with broadcasting. The `*Grad` kernels are fused backward steps
 * (`reluGrad(g, x) = g·[x>0]`, `sigmoidGrad(g, y) = g·y(1-y)`, `tanhGrad(g, y) = g(1-y²)`,
 * `softsignGrad(g, x) = g / (1+|x|)²`).
 */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'gt' | 'ge' | 'lt' | 'le' | 'eq'
  | 'reluGrad' | 'sigmoidGrad' | 'tanhGrad' | 'softsignGrad';

/**
 * Elementwise ops with two scalar parameters p, q (float32 kernels round them to float32, as PyTorch
 * casts them to the tensor's dtype): `hardtanh` = clamp(x, p, q) (NaN stays NaN), `leakyRelu` = x
 * for x > 0, else p·x (q unused).
 */
export type ParamUnaryOp = 'hardtanh' | 'leakyRelu';

/**
 * Their fused backward steps over same-length g and x, with PyTorch's values at the kinks:
 * `hardtanhGrad` = 0 where x ≤ p or x ≥ q (so 0 AT both bounds), else g (NaN x passes g);
 * `leakyReluGrad` = g for x > 0, else p·g (so p·g at x = 0).
 */
export type ParamGradOp = 'hardtanhGrad' | 'leakyReluGrad';

/** How two broadcast operands walk the (coalesced) output: strides are 0 along broadcast dims. */
export interface BroadcastPlan {
  readonly shape: readonly number[];
  readonly aStrides: readonly number[];
  readonly bStrides: readonly number[];
}

/** How a contiguous input reduces: `outStrides` is 0 along reduced dims (shape coalesced). */
export interface ReducePlan {
  readonly shape: readonly number[];
  readonly outStrides: readonly number[];
}

/**
 * One (batched) matrix product `C[b] = op(A[b]) @ op(B[b])`, op = transpose when the flag is set.
 * A is stored `[m,k]` (or `[k,m]` when transA), B `[k,n]` (or `[n,k]`), C `[m,n]`; batch strides in
 * elements, 0 when that operand is shared by every batch entry.
 */
export interface MatmulParams {
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly aBatchStride: number;
  readonly bBatchStride: number;
}

/** The sliding-window geometry of a 2-D convolution or pooling: [height, width] pairs. */
export interface WindowGeometry {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

/** What a backend must implement. Movement ops (reshape, slice, gather...) live in the engine. */
export interface Backend {
  readonly name: string;
  unary(op: UnaryOp, x: Storage, out: Storage): void;
  /** `out` may be `a` itself when `a` has the output's shape (the linear kernel adds its bias in place). */
  binary(op: BinaryOp, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void;
  /** `out[i] = op(x[i]; p, q)` (see {@link ParamUnaryOp}). */
  unaryParam(op: ParamUnaryOp, x: Storage, out: Storage, p: number, q: number): void;
  /** `out[i] = op(g[i], x[i]; p, q)` over equal-length g, x, out (see {@link ParamGradOp}). */
  gradParam(op: ParamGradOp, g: Storage, x: Storage, out: Storage, p: number, q: number): void;
  /** Sums (or maxes) into `out`, which the kernel initialises. */
  reduce(op: 'sum' | 'max', x: Storage, out: Storage, plan: ReducePlan): void;
  matmul(a: Storage, b: Storage, out: Storage, p: MatmulParams): void;
  /** Log-softmax over the middle axis of a contiguous `[outer, n, inner]` view. */
  logSoftmax(x: Storage, out: Storage, outer: number, n: number, inner: number): void;
  /**
   * Optional kernels of declared optimizer rules by rule name (optim/rule.ts, BackendRuleKernel):
   * each must be bit-identical to the rule's JS leaf kernel and return false, having written
   * nothing, where it does not apply (the JS kernel then runs).
   */
  readonly ruleKernels?: Readonly<Record<string, BackendRuleKernel>>;
  /**
   * Optional fused inference layer `out[m,n] = act(x[m,k] @ w[n,k]ᵀ + b)` (b null: no bias), which must
   * be bit-identical to this backend's matmul, then in-place `add`, then `act`. Returns false, having
   * done nothing, where it does not apply (the caller then runs those three kernels itself).
   */
  linearAct?(x: Storage, w: Storage, b: Storage | null, out: Storage, m: number, k: number, n: number, act: LinearAct | null): boolean;
  /**
   * Sliding windows of x [n, c, h, w] (`shape`) as columns [n, c·kh·kw, oh·ow] into `out`: row
   * (c·kh + i)·kw + j, entry (r, q) is x[c, r·sh − ph + i·dh, q·sw − pw + j·dw], `padValue` outside.
   */
  im2col(x: Storage, out: Storage, shape: readonly number[], g: WindowGeometry, padValue: number): void;
  /** im2col's adjoint: columns [n, c·kh·kw, oh·ow] summed into `out` [n, c, h, w] (`shape`), which the kernel zeroes first. */
  col2im(cols: Storage, out: Storage, shape: readonly number[], g: WindowGeometry): void;
  /**
   * Max pooling's routing: per window (plane, r, q) of x [n, c, h, w] (`shape`), output oh × ow,
   * the flat index into x of the first largest in-image tap (NaN largest, first NaN wins), or −1
   * for a window with no tap inside the image.
   */
  maxPoolIndex(x: Storage, index: Int32Array, shape: readonly number[], g: WindowGeometry, oh: number, ow: number): void;
  /**
   * Max pooling's forward pass in one kernel: `index` as maxPoolIndex and out[t] = x[index[t]] (−∞ for a
   * window without a tap), out [n, c, oh, ow].
   */
  maxPool(x: Storage, index: Int32Array, out: Storage, shape: readonly number[], g: WindowGeometry, oh: number, ow: number): void;
  /** Max pooling's backward pass: `gx` (x's size) zeroed, then gx[index[t]] += g[t] for t in order; index −1 skipped. */
  maxPoolGrad(g: Storage, index: Int32Array, gx: Storage): void;
  /**
   * A 2-D convolution (groups 1) of x [n, c, h, w] (`shape`) with w [o, c, kh, kw] and bias b [o] (null:
   * none) into out [n, o, oh, ow]: per image the im2col columns [c·kh·kw, oh·ow] (as im2col), then
   * out[i] = w₂ · cols (w₂ = w as [o, c·kh·kw]) + b, the bias added after the product.
   */
  conv2d(x: Storage, w: Storage, b: Storage | null, out: Storage, shape: readonly number[], o: number, g: WindowGeometry): void;
  /**
   * conv2d's gradients for upstream dy [n, o, oh, ow], each skipped where its output is null: per image
   * gx[i] = col2im(w₂ᵀ · dy[i]), gw = Σᵢ dy[i] · cols(x[i])ᵀ (images in order), gb[o] = Σ dy[·, o, ·].
   */
  conv2dGrad(dy: Storage, x: Storage, w: Storage, gx: Storage | null, gw: Storage | null, gb: Storage | null, shape: readonly number[], o: number, g: WindowGeometry): void;
  /**
   * One LSTM step: gate pre-activations p = xg + hg (+ b[row] when b, [4h], is given) over [4h, n] in
   * row blocks i, f, g, o; with i, f, o = σ(p) and g̃ = tanh(p), writes out [2h, n]: rows 0..h−1
   * h_t = o·tanh(c_t), rows h..2h−1 c_t = f·c0 + i·g̃ (c0 [h, n]).
   */
  lstmCell(xg: Storage, hg: Storage, b: Storage | null, c0: Storage, out: Storage, h: number, n: number): void;
  /**
   * lstmCell's gradient for upstream dout [2h, n] (dh rows, then dc rows): dgates [4h, n] (the gradient
   * of every pre-activation, so of xg, hg and, summed over n, b) and dc0 [h, n].
   */
  lstmCellGrad(xg: Storage, hg: Storage, b: Storage | null, c0: Storage, dout: Storage, dgates: Storage, dc0: Storage, h: number, n: number): void;
  /**
   * Batch statistics of x viewed as [n, c, l] (NCHW with l = h·w): per channel, `mean[ch]` and the biased
   * variance `variance[ch]` of its n·l values (float64 accumulation, two passes: mean, then Σ(x − mean)²).
   */
  batchNormStats(x: Storage, mean: Storage, variance: Storage, n: number, c: number, l: number): void;
  /**
   * Training-mode batch normalisation of x [n, c, l] with its own batch statistics (as batchNormStats):
   * out = (x − μ_c)·w_c/√(σ²_c + eps) + b_c. `out` may be x itself. Unless null, `mean` and `variance` [c] get
   * the statistics normalised with (batchNormStats' values, without a second pass over x).
   */
  batchNorm(x: Storage, w: Storage, b: Storage, out: Storage, n: number, c: number, l: number, eps: number, mean: Storage | null, variance: Storage | null): void;
  /**
   * batchNorm's gradient for upstream g: with x̂ = (x − μ)/√(σ² + eps) and M = n·l, gw = Σ g·x̂, gb = Σ g
   * (per channel) and gx = w/√(σ² + eps)·(g − gb/M − x̂·gw/M). `gx` may be g itself.
   */
  batchNormGrad(g: Storage, x: Storage, w: Storage, gx: Storage, gw: Storage, gb: Storage, n: number, c: number, l: number, eps: number): void;
  /**
   * relu(batchNorm(x)): batchNorm's values with ReLU applied as the relu kernel does (v ≤ 0 → +0, NaN
   * stays NaN), so bit-identical to batchNorm followed by unary('relu'). `out` may be x itself.
   */
  batchNormRelu(x: Storage, w: Storage, b: Storage, out: Storage, n: number, c: number, l: number, eps: number, mean: Storage | null, variance: Storage | null): void;
  /**
   * batchNormRelu's gradient for upstream g: batchNormGrad of g masked as reluGrad does (g where the
   * forward's output, recomputed here from x, w and b with batchNorm's own arithmetic, is > 0, else 0;
   * so 0 at 0, as PyTorch). Bit-identical to reluGrad then batchNormGrad. `gx` must not be g, x or w.
   */
  batchNormReluGrad(g: Storage, x: Storage, w: Storage, b: Storage, gx: Storage, gw: Storage, gb: Storage, n: number, c: number, l: number, eps: number): void;
  /**
   * batchNormRelu over x [n, c, h, w] (`shape`), then max pooling of that (as maxPool: `index` and out
   * [n, c, oh, ow]); the full-size intermediate need not leave the kernel. Bit-identical to the two.
   */
  batchNormReluPool(x: Storage, w: Storage, b: Storage, index: Int32Array, out: Storage, shape: readonly number[], g: WindowGeometry, oh: number, ow: number, eps: number, mean: Storage | null, variance: Storage | null): void;
  /**
   * batchNormReluPool's gradient for upstream g [n, c, oh, ow]: maxPoolGrad's scatter of g through `index`
   * into x's shape, then batchNormReluGrad of that. Bit-identical to the two.
   */
  batchNormReluPoolGrad(g: Storage, index: Int32Array, x: Storage, w: Storage, b: Storage, gx: Storage, gw: Storage, gb: Storage, shape: readonly number[], eps: number): void;
  /**
   * Integer matmul of int8 models: out[m, n] = Σ_k x[m, k] · w[n, k] in exact int32, over int16 rows of
   * length `kp` (a multiple of 8, zero-padded): x the zero-point-shifted int8 activations, w the int8
   * weights. Exact, so every backend gives the same integers.
   */
  int8Matmul(x: Int16Array, w: Int16Array, out: Int32Array, m: number, kp: number, n: number): void;
  /**
   * A chain of int8 Linear layers of quantized models (one layer: the int8 Linear): each layer quantizes its
   * float32 input with `input` (q = clamp(nearbyint(x / s) + z, −128, 127), x / s in float32), multiplies by its
   * panel-packed int16-widened int8 weights exactly, and computes y = act(fround(acc · colScale[c]) + bias[c]);
   * the last layer's y is written to out [m, n]. Bit-identical on every backend (reference: backend/js/quant.ts).
   */
  int8Chain(x: Float32Array, m: number, layers: readonly Int8ChainLayer[], out: Float32Array): void;
}

/** The activation a fused inference linear layer applies after its bias (see {@link Backend.linearAct}). */
export type LinearAct =
  | { readonly kind: 'unary'; readonly op: UnaryOp }
  | { readonly kind: 'param'; readonly op: ParamUnaryOp; readonly p: number; readonly q: number };
