// 2-D convolution and pooling over NCHW tensors, built on the im2col/col2im primitives + matmul.
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { run } from './dispatch.js';
import { windowOut } from '../backend/js/conv.js';
import type { OpArgs, WindowGeometry } from './spec.js';
import { add } from './elementwise.js';
import { matmul } from './matmul.js';
import { mean, sum } from './reduce.js';
import { broadcastTo, pad, reshape } from './movement.js';
import { div } from './elementwise.js';
import type { Tensor } from '../tensor/tensor.js';
import { tensorOf } from './make.js';
import { allocate } from '../core/dtype.js';
import { avgDivisors, poolOut } from './pool-geometry.js';
import { checkOptions } from '../core/options.js';

/** A size given once for both spatial dims, or as [height, width]. */
export type Pair = number | readonly [number, number];

export interface Conv2dOptions {
  /** Step between windows (default 1). */
  stride?: Pair;
  /**
   * Zeros added on each side of the input (default 0), or 'same' (stride 1 only: output size = input
   * size; an odd total d·(k−1) puts the extra zero on the right/bottom, as PyTorch) or 'valid' (0).
   */
  padding?: Pair | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Split channels into this many independent convolutions (default 1). */
  groups?: number;
}

export interface Pool2dOptions {
  /** Step between windows (default: the kernel size, as PyTorch). */
  stride?: Pair;
  /** Padding on each side (default 0; at most half the kernel). */
  padding?: Pair;
  /** Spacing between window taps (max pooling only; default 1). */
  dilation?: Pair;
  /**
   * Use the ceiling instead of the floor for the output size (PyTorch's ceil_mode, default false):
   * a last, partial window is kept when it starts inside the input or the left padding.
   */
  ceilMode?: boolean;
}

/** Average pooling's options: Pool2dOptions without dilation, plus what each window divides by. */
export interface AvgPool2dOptions extends Omit<Pool2dOptions, 'dilation'> {
  /** Count padded zeros in the divisor (PyTorch's count_include_pad, default true). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this positive integer instead (PyTorch's divisor_override). */
  divisorOverride?: number | null;
}

function pair(op: string, name: string, v: Pair, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((d) => Number.isInteger(d) && d >= min)) {
    throw new ArgumentError(op, `${name} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p;
}

/** Checks an NCHW input and a window geometry; returns the output extent [OH, OW] (ceil: PyTorch's ceil_mode). */
function outSize(op: string, x: Tensor, g: WindowGeometry, ceil = false): [number, number] {
  if (x.rank !== 4) throw new ShapeError(op, `expected an NCHW input of rank 4, got ${fmtShape(x.shape)} (reshape flat images to [N, C, H, W] first)`);
  const oh = ceil ? poolOut(x.shape[2]!, g.kernel[0], g.stride[0], g.padding[0], g.dilation[0], true) : windowOut(x.shape[2]!, g.kernel[0], g.stride[0], g.padding[0], g.dilation[0]);
  const ow = ceil ? poolOut(x.shape[3]!, g.kernel[1], g.stride[1], g.padding[1], g.dilation[1], true) : windowOut(x.shape[3]!, g.kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
  if (oh < 1 || ow < 1) {
    throw new ShapeError(op, `input ${fmtShape(x.shape)} is smaller than the kernel ${g.kernel.join('x')} (dilation ${g.dilation.join('x')}, padding ${g.padding.join('x')}): output would be ${oh}x${ow}`);
  }
  return [oh, ow];
}

function geometry(op: string, kernel: Pair, o: Omit<Conv2dOptions, 'padding'> & { padding?: Pair }, defaultStride: Pair): WindowGeometry {
  return {
    kernel: pair(op, 'kernel', kernel, 1),
    stride: pair(op, 'stride', o.stride ?? defaultStride, 1),
    padding: pair(op, 'padding', o.padding ?? 0, 0),
    dilation: pair(op, 'dilation', o.dilation ?? 1, 1),
  };
}

/**
 * Sliding windows as columns (torch.nn.functional.unfold): x [N, C, H, W] → [N, C·kh·kw, OH·OW]
 * with OH = ⌊(H + 2p − d(kh−1) − 1)/s⌋ + 1; entry (c·kh·kw + i·kw + j, oh·OW + ow) is
 * x[c, oh·s − p + i·d, ow·s − p + j·d] (0 outside). Its gradient is col2im.
 * @example im2col(x, 3, { padding: 1 })   // [2, 1, 8, 8] → [2, 9, 64]
 */
export function im2col(x: Tensor, kernel: Pair, opts: Omit<Conv2dOptions, 'groups' | 'padding'> & { padding?: Pair } = {}): Tensor {
  const g = geometry('im2col', kernel, opts, 1);
  outSize('im2col', x, g);
  return run('im2col', [x], { ...g, padValue: 0 });
}

/**
 * im2col's adjoint (torch.nn.functional.fold): sums columns [N, C·kh·kw, OH·OW] back into
 * [N, C, H, W], overlapping windows adding up.
 * @example col2im(im2col(x, 2, { stride: 2 }), [8, 8], 2, { stride: 2 })   // equals x (no overlap)
 */
export function col2im(cols: Tensor, size: readonly [number, number], kernel: Pair, opts: Omit<Conv2dOptions, 'groups' | 'padding'> & { padding?: Pair } = {}): Tensor {
  const g = geometry('col2im', kernel, opts, 1);
  const kk = g.kernel[0] * g.kernel[1];
  if (cols.rank !== 3 || cols.shape[1]! % kk !== 0) {
    throw new ShapeError('col2im', `columns ${fmtShape(cols.shape)} must be [N, C·${kk}, L] for kernel ${g.kernel.join('x')}`);
  }
  const l = windowOut(size[0], g.kernel[0], g.stride[0], g.padding[0], g.dilation[0]) * windowOut(size[1], g.kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
  if (cols.shape[2] !== l) throw new ShapeError('col2im', `columns ${fmtShape(cols.shape)} have ${cols.shape[2]} windows, size ${size.join('x')} with this geometry gives ${l}`);
  return run('col2im', [cols], { ...g, size: [size[0], size[1]] });
}

function checkConv(x: Tensor, w: Tensor, b: Tensor | undefined, groups: number): void {
  if (w.rank !== 4) throw new ShapeError('conv2d', `weight ${fmtShape(w.shape)} must be [out, in/groups, kh, kw]`);
  if (x.rank === 4 && x.shape[1] !== w.shape[1]! * groups) {
    throw new ShapeError('conv2d', `input ${fmtShape(x.shape)} has ${x.shape[1]} channels, weight ${fmtShape(w.shape)} expects ${w.shape[1]! * groups}${groups > 1 ? ` (${w.shape[1]} per group × ${groups} groups)` : ''}`);
  }
  if (!Number.isInteger(groups) || groups < 1 || w.shape[0]! % groups !== 0) {
    throw new ArgumentError('conv2d', `groups must be a positive integer dividing the ${w.shape[0]} output channels of weight ${fmtShape(w.shape)}, got ${groups}`);
  }
  if (b && (b.rank !== 1 || b.shape[0] !== w.shape[0])) throw new ShapeError('conv2d', `bias ${fmtShape(b.shape)} must be [${w.shape[0]}] for weight ${fmtShape(w.shape)}`);
}

/**
 * A per-channel vector t [C] laid out as one row [1, C·L] matching an NCHW tensor viewed as
 * [N, C·L]: adding it is a 2-D row broadcast (which fast backends run natively) instead of a
 * rank-3 one. Gradient: the sum over L and N, done by autograd.
 * @example add(reshape(y, [n, c * l]), perChannelRow(bias, l))
 */
export function perChannelRow(t: Tensor, l: number): Tensor {
  const c = t.size;
  return l === 1 ? reshape(t, [1, c]) : reshape(broadcastTo(reshape(t, [c, 1]), [c, l]), [1, c * l]);
}

/**
 * y[n, grp] = W₂[grp] · cols[n, grp] with W₂ = weight as [groups, O/groups, C/groups·kh·kw]: one
 * (batched, broadcast over n) matmul for all groups.
 */
function convMatmul(x: Tensor, w: Tensor, g: WindowGeometry, groups: number, oh: number, ow: number): Tensor {
  const n = x.shape[0]!, o = w.shape[0]!, kp = w.shape[1]! * g.kernel[0] * g.kernel[1], l = oh * ow;
  const cols = run('im2col', [x], { ...g, padValue: 0 });
  const y = groups === 1
    ? matmul(reshape(w, [o, kp]), cols)
    : matmul(reshape(w, [groups, o / groups, kp]), reshape(cols, [n, groups, kp, l]));
  return reshape(y, [n, o, oh, ow]);
}

/**
 * 2-D cross-correlation as PyTorch's conv2d: x [N, C, H, W], weight [O, C/groups, kh, kw],
 * bias [O]: y[n, o, p, q] = b[o] + Σ_{c,i,j} W[o, c, i, j] · x[n, c, p·s − pad + i·d, q·s − pad + j·d].
 * Computed per image as im2col + matmul + bias (groups 1: the conv2d primitive, one backend kernel
 * each way), or as im2col + one batched matmul for all groups at once.
 * @example conv2d(x, w, b, { padding: 1 })   // [N, 1, 8, 8] with w [16, 1, 3, 3] → [N, 16, 8, 8]
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor, opts: Conv2dOptions = {}): Tensor {
  checkOptions('conv2d', opts, ['stride', 'padding', 'dilation', 'groups']);
  const groups = opts.groups ?? 1;
  checkConv(x, weight, bias, groups);
  if (opts.padding === 'same' || opts.padding === 'valid') {
    const same = samePadding(x, weight, opts);
    x = same.x;
    opts = { ...opts, padding: same.padding };
  }
  const g = geometry('conv2d', [weight.shape[2]!, weight.shape[3]!], opts as Omit<Conv2dOptions, 'padding'> & { padding?: Pair }, 1);
  const [oh, ow] = outSize('conv2d', x, g);
  // groups 1: the fused primitive (the backend keeps each image's columns to itself); same arithmetic.
  if (groups === 1 && weight.dtype === x.dtype && (!bias || bias.dtype === x.dtype)) return run('conv2d', bias ? [x, weight, bias] : [x, weight], g);
  const y = convMatmul(x, weight, g, groups, oh, ow);
  if (!bias) return y;
  const n = x.shape[0]!, l = oh * ow;
  return reshape(add(reshape(y, [n, weight.shape[0]! * l]), perChannelRow(bias, l)), y.shape);
}

/**
 * 'same' (stride 1: total d·(k−1) zeros per axis, ⌊total/2⌋ before and the rest after, as PyTorch)
 * or 'valid' (none) as a symmetric padding, the odd extra zero added to x explicitly.
 */
function samePadding(x: Tensor, w: Tensor, opts: Conv2dOptions): { x: Tensor; padding: [number, number] } {
  if (opts.padding === 'valid') return { x, padding: [0, 0] };
  const stride = pair('conv2d', 'stride', opts.stride ?? 1, 1), dil = pair('conv2d', 'dilation', opts.dilation ?? 1, 1);
  if (stride[0] !== 1 || stride[1] !== 1) {
    throw new ArgumentError('conv2d', `padding 'same' needs stride 1 (as PyTorch), got stride ${stride.join('x')}; give the padding as numbers instead`);
  }
  const total = [dil[0] * (w.shape[2]! - 1), dil[1] * (w.shape[3]! - 1)];
  const before: [number, number] = [Math.floor(total[0]! / 2), Math.floor(total[1]! / 2)];
  const extra = [total[0]! - 2 * before[0], total[1]! - 2 * before[1]];
  if (x.rank === 4 && (extra[0]! > 0 || extra[1]! > 0)) x = pad(x, [[0, 0], [0, 0], [0, extra[0]!], [0, extra[1]!]]);
  return { x, padding: before };
}

/** PyTorch's rule for pooling: padding at most half the kernel on each axis. */
function checkPoolPadding(op: string, g: WindowGeometry): void {
  for (let a = 0; a < 2; a++) {
    if (2 * g.padding[a]! > g.kernel[a]!) throw new ArgumentError(op, `padding ${g.padding.join('x')} must be at most half the kernel ${g.kernel.join('x')} (PyTorch's rule)`);
  }
}

/**
 * Windows of x as [N, C, kh·kw, OH·OW] with padded taps reading `padValue`; with `ceil` (PyTorch's
 * ceil_mode) a last partial window reads `padValue` beyond the right/bottom padding.
 */
function poolWindows(op: string, x: Tensor, g: WindowGeometry, padValue: number, ceil: boolean): { win: Tensor; oh: number; ow: number } {
  const [oh, ow] = outSize(op, x, g, ceil);
  checkPoolPadding(op, g);
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  let geo = g;
  if (ceil) {
    const out = [oh, ow];
    const extra = [0, 1].map((a) => Math.max(0, (out[a]! - 1) * g.stride[a]! + g.dilation[a]! * (g.kernel[a]! - 1) + 1 - (x.shape[2 + a]! + 2 * g.padding[a]!)));
    if (extra[0]! > 0 || extra[1]! > 0) {
      x = pad(x, [[0, 0], [0, 0], [g.padding[0], g.padding[0] + extra[0]!], [g.padding[1], g.padding[1] + extra[1]!]], padValue);
      geo = { ...g, padding: [0, 0] };
    }
  }
  const cols = run('im2col', [x], { ...geo, padValue });
  return { win: reshape(cols, [n, c, g.kernel[0] * g.kernel[1], oh * ow]), oh, ow };
}

/**
 * Max pooling as torch.nn.functional.max_pool2d: y = max over each window, padding reads −∞;
 * the gradient goes to the first maximum of each window (PyTorch's argmax routing).
 * @example maxPool2d(x, 2)   // [N, C, 28, 28] → [N, C, 14, 14]
 */
export function maxPool2d(x: Tensor, kernel: Pair, opts: Pool2dOptions = {}): Tensor {
  // One kernel each way; a window without an in-image tap (PyTorch's padding rule prevents one) gives −∞ and no gradient.
  return run('maxPool2d', [x], maxPoolArgs('maxPool2d', x, kernel, opts));
}

/**
 * The checked geometry, output extent and a fresh routing buffer of max pooling over x (what maxPool2d
 * runs with, and the fused batchNormReluPool); errors name `op`.
 * @example maxPoolArgs('maxPool2d', x, 2, {})   // { kernel: [2, 2], stride: [2, 2], …, oh: 14, ow: 14, index }
 */
export function maxPoolArgs(op: string, x: Tensor, kernel: Pair, opts: Pool2dOptions): OpArgs['maxPool2d'] {
  checkOptions(op, opts, ['stride', 'padding', 'dilation', 'ceilMode']);
  const g = geometry(op, kernel, opts, kernel);
  const [oh, ow] = outSize(op, x, g, opts.ceilMode ?? false);
  checkPoolPadding(op, g);
  return { ...g, oh, ow, index: new Int32Array(x.shape[0]! * x.shape[1]! * oh * ow) };
}

/**
 * Average pooling as torch.nn.functional.avg_pool2d: each window's sum divided by kh·kw with
 * count_include_pad (the default; a ceil-mode window is clipped to the padded input first), by the
 * number of input taps without it, or by `divisorOverride`.
 * @example avgPool2d(x, 2)   // [N, C, 8, 8] → [N, C, 4, 4]
 */
export function avgPool2d(x: Tensor, kernel: Pair, opts: AvgPool2dOptions = {}): Tensor {
  checkOptions('avgPool2d', opts, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
  const { countIncludePad = true, divisorOverride = null, ceilMode = false, ...window } = opts;
  if (divisorOverride !== null && !(Number.isInteger(divisorOverride) && divisorOverride >= 1)) {
    throw new ArgumentError('avgPool2d', `divisorOverride must be a positive integer, got ${JSON.stringify(divisorOverride)}`);
  }
  const g = geometry('avgPool2d', kernel, { ...window, dilation: 1 }, kernel);
  const { win, oh, ow } = poolWindows('avgPool2d', x, g, 0, ceilMode);
  const shape = [x.shape[0]!, x.shape[1]!, oh, ow];
  const divisors = avgDivisors([x.shape[2]!, x.shape[3]!], g.kernel, g.stride, g.padding, [oh, ow], { countIncludePad, divisorOverride });
  if (divisors === null) return reshape(mean(win, 2), shape);
  const d = allocate(x.dtype, divisors.length);
  d.set(divisors);
  return reshape(div(sum(win, 2), tensorOf(x, d, [divisors.length])), shape);
}

/**
 * Global average pooling: the mean of each channel, [N, C, H, W] → [N, C] (or [N, C, 1, 1] with
 * keepdims, as nn.AdaptiveAvgPool2d(1)).
 * @example globalAvgPool2d(features)   // [N, 64, 7, 7] → [N, 64]
 */
export function globalAvgPool2d(x: Tensor, keepdims = false): Tensor {
  if (x.rank !== 4) throw new ShapeError('globalAvgPool2d', `expected an NCHW input of rank 4, got ${fmtShape(x.shape)}`);
  return mean(x, [2, 3], keepdims);
}
