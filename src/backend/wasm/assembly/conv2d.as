// AssemblyScript source of the fused 2-D convolution (groups 1) over NCHW: per image, im2col into a scratch panel and the packed matmul.
//
// The columns of one image ([c·kh·kw, oh·ow], a few hundred KiB at most for common layers) never
// leave linear memory: no batch-sized column tensor is built, copied out and copied back. The same
// kernels in the same order as the composed form (im2col, the matmul, then the bias add; weight
// gradients summed over images in order; bias gradients in float64).
import { col2im, im2col } from './conv';
import { gemm } from './matmul';
import { channelSum } from './norm';

/**
 * out [n, o, oh, ow] = per image w [o, c·kh·kw] · im2col(x[i]) + b (b = 0: no bias); `cols` holds
 * c·kh·kw·oh·ow floats, pA/pB are the matmul's pack buffers.
 */
export function conv2dForward(
  x: usize, w: usize, b: usize, out: usize, cols: usize, pA: usize, pB: usize, n: i32, c: i32, o: i32,
  h: i32, wd: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32,
): void {
  const kp = c * kh * kw, l = oh * ow;
  const xImage = (<usize>c * h * wd) << 2, yImage = (<usize>o * l) << 2;
  for (let i = 0; i < n; i++) {
    im2col(x + <usize>i * xImage, cols, c, h, wd, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, 0);
    const y = out + <usize>i * yImage;
    gemm(w, cols, y, o, kp, l, false, false, false, pA, pB);
    if (b != 0) for (let r = 0; r < o; r++) addScalar(y + ((<usize>r * l) << 2), l, load<f32>(b + (<usize>r << 2)));
  }
}

/** p[0..len) += v (float32). */
function addScalar(p: usize, len: i32, v: f32): void {
  const vv = f32x4.splat(v);
  let j = 0;
  for (; j + 4 <= len; j += 4) { const q = p + (<usize>j << 2); v128.store(q, f32x4.add(v128.load(q), vv)); }
  for (; j < len; j++) { const q = p + (<usize>j << 2); store<f32>(q, load<f32>(q) + v); }
}

/**
 * Gradients of conv2dForward for upstream dy [n, o, oh, ow] (n ≥ 1); an output pointer of 0 is skipped:
 * gx[i] = col2im(wᵀ · dy[i]), gw = Σᵢ dy[i] · im2col(x[i])ᵀ, gb[r] = Σ dy[·, r, ·].
 */
export function conv2dBackward(
  dy: usize, x: usize, w: usize, gx: usize, gw: usize, gb: usize, cols: usize, pA: usize, pB: usize, n: i32, c: i32, o: i32,
  h: i32, wd: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32,
): void {
  const kp = c * kh * kw, l = oh * ow;
  const xImage = (<usize>c * h * wd) << 2, yImage = (<usize>o * l) << 2;
  for (let i = 0; i < n; i++) {
    const d = dy + <usize>i * yImage;
    if (gw != 0) {
      im2col(x + <usize>i * xImage, cols, c, h, wd, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, 0);
      gemm(d, cols, gw, o, l, kp, false, true, i > 0, pA, pB);
    }
    if (gx != 0) {
      gemm(w, d, cols, kp, o, l, true, false, false, pA, pB);
      col2im(cols, gx + <usize>i * xImage, c, h, wd, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
    }
  }
  if (gb != 0) for (let r = 0; r < o; r++) store<f32>(gb + (<usize>r << 2), <f32>channelSum(dy, n, o, l, r, 0, false));
}
