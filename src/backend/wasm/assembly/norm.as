// AssemblyScript source of training-mode batch normalisation over x [n, c, l] (NCHW, l = h·w): statistics, forward, gradient (and fused with ReLU, and ReLU + max pooling).
//
// The formulas of the JS reference (src/backend/js/norm.ts): sums are float64 accumulations (two
// lanes of f64x2 plus a scalar tail; the variance in a second pass over x − mean), the elementwise
// passes float32 SIMD with per-channel constants rounded to float32. `out` may alias x and `gx` g:
// every pass reads an element before writing it. The ReLU variants apply f32x4.max(·, +0) to the
// output (the relu kernel's op) and, backward, mask g where the recomputed output is not > 0.
import { maxPoolRoute, maxPoolScatter } from './pool';

/** Σ over channel ch of p [n, c, l] in float64 of v, or with `square` of (v − mean)² (the difference in float32). */
export function channelSum(p: usize, n: i32, c: i32, l: i32, ch: i32, mean: f32, square: bool): f64 {
  return square ? rowSums(p, n, c, l, ch, mean, true) : rowSums(p, n, c, l, ch, mean, false);
}

/** Lanes 0–1 (or with `hi` 2–3) of v, or of (v − mean)² with `square`, as float64. */
@inline function half(v: v128, mv: v128, square: bool, hi: bool): v128 {
  const d = square ? f32x4.sub(v, mv) : v;
  const h = f64x2.promote_low_f32x4(hi ? v128.shuffle<f32>(d, d, 2, 3, 0, 1) : d);
  return square ? f64x2.mul(h, h) : h;
}

/**
 * channelSum with `square` fixed at compile time: eight floats a step into four f64x2 accumulators
 * (two independent add chains per half), a scalar tail, the partial sums added once at the end.
 */
@inline function rowSums(p: usize, n: i32, c: i32, l: i32, ch: i32, mean: f32, square: bool): f64 {
  let a0 = f64x2.splat(0), b0 = f64x2.splat(0), a1 = f64x2.splat(0), b1 = f64x2.splat(0);
  let s: f64 = 0;
  const mv = f32x4.splat(mean);
  for (let i = 0; i < n; i++) {
    const row = p + ((<usize>(i * c + ch) * <usize>l) << 2);
    let j = 0;
    for (; j + 8 <= l; j += 8) {
      const v = v128.load(row + (<usize>j << 2)), u = v128.load(row + (<usize>j << 2) + 16);
      a0 = f64x2.add(a0, half(v, mv, square, false)); b0 = f64x2.add(b0, half(v, mv, square, true));
      a1 = f64x2.add(a1, half(u, mv, square, false)); b1 = f64x2.add(b1, half(u, mv, square, true));
    }
    for (; j + 4 <= l; j += 4) {
      const v = v128.load(row + (<usize>j << 2));
      a0 = f64x2.add(a0, half(v, mv, square, false)); b0 = f64x2.add(b0, half(v, mv, square, true));
    }
    for (; j < l; j++) {
      let v = <f64>load<f32>(row + (<usize>j << 2));
      if (square) { v = <f64>(<f32>v - mean); v = v * v; }
      s += v;
    }
  }
  const t = f64x2.add(f64x2.add(a0, b0), f64x2.add(a1, b1));
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1) + s;
}

/** Writes mean[ch] and the biased variance var[ch] (float32) of every channel of x. */
export function batchNormStats(x: usize, mean: usize, variance: usize, n: i32, c: i32, l: i32): void {
  const m = <f64>n * <f64>l;
  for (let ch = 0; ch < c; ch++) {
    const mu = <f32>(channelSum(x, n, c, l, ch, 0, false) / m);
    store<f32>(mean + (<usize>ch << 2), mu);
    store<f32>(variance + (<usize>ch << 2), <f32>(channelSum(x, n, c, l, ch, mu, true) / m));
  }
}

/**
 * Channel ch's batch mean μ (float32) and the forward's scale a = w/√(σ² + eps) (float32), as lanes 0
 * and 1; μ and σ² (float32) also go to mean[ch] and variance[ch] unless `mean` is 0 (batchNormStats' values).
 */
@inline function meanAndScale(x: usize, w: usize, n: i32, c: i32, l: i32, ch: i32, eps: f64, mean: usize, variance: usize): v128 {
  const m = <f64>n * <f64>l;
  const mu = <f32>(channelSum(x, n, c, l, ch, 0, false) / m);
  const v = channelSum(x, n, c, l, ch, mu, true) / m;
  if (mean != 0) {
    store<f32>(mean + (<usize>ch << 2), mu);
    store<f32>(variance + (<usize>ch << 2), <f32>v);
  }
  return f32x4.replace_lane(f32x4.splat(mu), 1, <f32>(<f64>load<f32>(w + (<usize>ch << 2)) / Math.sqrt(v + eps)));
}

/** ReLU as the relu kernel computes it (NaN stays NaN, −0 becomes +0), on four lanes. */
@inline function reluv(y: v128): v128 {
  return f32x4.max(y, f32x4.splat(0));
}

@inline function normalise(x: usize, w: usize, b: usize, out: usize, n: i32, c: i32, l: i32, eps: f64, mean: usize, variance: usize, relu: bool): void {
  for (let ch = 0; ch < c; ch++) {
    const ma = meanAndScale(x, w, n, c, l, ch, eps, mean, variance);
    const mu = f32x4.extract_lane(ma, 0), a = f32x4.extract_lane(ma, 1), shift = load<f32>(b + (<usize>ch << 2));
    const mv = f32x4.splat(mu), av = f32x4.splat(a), bv = f32x4.splat(shift);
    for (let i = 0; i < n; i++) {
      const o = (<usize>(i * c + ch) * <usize>l) << 2;
      let j = 0;
      for (; j + 4 <= l; j += 4) {
        const q = o + (<usize>j << 2);
        const y = f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + q), mv), av), bv);
        v128.store(out + q, relu ? reluv(y) : y);
      }
      for (; j < l; j++) {
        const q = o + (<usize>j << 2);
        const y = (load<f32>(x + q) - mu) * a + shift;
        store<f32>(out + q, relu ? f32x4.extract_lane(reluv(f32x4.splat(y)), 0) : y);
      }
    }
  }
}

/** out = (x − μ)·a + b per channel, a = w/√(σ² + eps), with the batch's μ and σ² (also written to mean and variance unless 0). */
export function batchNorm(x: usize, w: usize, b: usize, out: usize, n: i32, c: i32, l: i32, eps: f64, mean: usize, variance: usize): void {
  normalise(x, w, b, out, n, c, l, eps, mean, variance, false);
}

/** relu(batchNorm(x)): the same values as batchNorm followed by the relu kernel. */
export function batchNormRelu(x: usize, w: usize, b: usize, out: usize, n: i32, c: i32, l: i32, eps: f64, mean: usize, variance: usize): void {
  normalise(x, w, b, out, n, c, l, eps, mean, variance, true);
}

/**
 * g where the forward output (x − μ)·a + shift is > 0, else +0 (the reluGrad kernel's v128.and with
 * the mask); without `relu`, g itself.
 */
@inline function maskedG(g: v128, x: v128, relu: bool, mv: v128, av: v128, bv: v128): v128 {
  if (!relu) return g;
  return v128.and(g, f32x4.gt(f32x4.add(f32x4.mul(f32x4.sub(x, mv), av), bv), f32x4.splat(0)));
}

/** Σ g and Σ g·(x − μ) over channel ch, in float64 (g masked as {@link maskedG}). */
@inline function gradSums(g: usize, x: usize, n: i32, c: i32, l: i32, ch: i32, mu: f32, relu: bool, av: v128, bv: v128): v128 {
  let sa = f64x2.splat(0), sb = f64x2.splat(0), da = f64x2.splat(0), db = f64x2.splat(0);
  let sg: f64 = 0, sd: f64 = 0;
  const mv = f32x4.splat(mu);
  for (let i = 0; i < n; i++) {
    const o = (<usize>(i * c + ch) * <usize>l) << 2;
    let j = 0;
    for (; j + 4 <= l; j += 4) {
      const q = o + (<usize>j << 2);
      const xv = v128.load(x + q), gv = maskedG(v128.load(g + q), xv, relu, mv, av, bv), d = f32x4.sub(xv, mv);
      const glo = f64x2.promote_low_f32x4(gv), ghi = f64x2.promote_low_f32x4(v128.shuffle<f32>(gv, gv, 2, 3, 0, 1));
      const dlo = f64x2.promote_low_f32x4(d), dhi = f64x2.promote_low_f32x4(v128.shuffle<f32>(d, d, 2, 3, 0, 1));
      sa = f64x2.add(sa, glo); sb = f64x2.add(sb, ghi);
      da = f64x2.add(da, f64x2.mul(glo, dlo)); db = f64x2.add(db, f64x2.mul(ghi, dhi));
    }
    for (; j < l; j++) {
      const q = o + (<usize>j << 2);
      const xj = load<f32>(x + q);
      const gj = <f64>f32x4.extract_lane(maskedG(f32x4.splat(load<f32>(g + q)), f32x4.splat(xj), relu, mv, av, bv), 0);
      sg += gj;
      sd += gj * <f64>(xj - mu);
    }
  }
  const s = f64x2.add(sa, sb), d = f64x2.add(da, db);
  return f64x2.replace_lane(f64x2.splat(f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1) + sg), 1, f64x2.extract_lane(d, 0) + f64x2.extract_lane(d, 1) + sd);
}

@inline function normaliseGrad(g: usize, x: usize, w: usize, b: usize, gx: usize, gw: usize, gb: usize, n: i32, c: i32, l: i32, eps: f64, relu: bool): void {
  const m = <f64>n * <f64>l;
  for (let ch = 0; ch < c; ch++) {
    const mu = <f32>(channelSum(x, n, c, l, ch, 0, false) / m);
    const root = Math.sqrt(channelSum(x, n, c, l, ch, mu, true) / m + eps), inv = 1 / root;
    const wc = load<f32>(w + (<usize>ch << 2));
    // The forward's own scale and shift, so the recomputed output has the forward's bits.
    const fav = f32x4.splat(<f32>(<f64>wc / root)), fbv = f32x4.splat(relu ? load<f32>(b + (<usize>ch << 2)) : 0);
    const sums = gradSums(g, x, n, c, l, ch, mu, relu, fav, fbv);
    const sg = f64x2.extract_lane(sums, 0), sgd = f64x2.extract_lane(sums, 1);
    store<f32>(gw + (<usize>ch << 2), <f32>(sgd * inv));
    store<f32>(gb + (<usize>ch << 2), <f32>sg);
    const a = <f32>(<f64>wc * inv), k1 = <f32>(sg / m), k2 = <f32>(sgd * inv * inv / m);
    const mv = f32x4.splat(mu), av = f32x4.splat(a), k1v = f32x4.splat(k1), k2v = f32x4.splat(k2);
    for (let i = 0; i < n; i++) {
      const o = (<usize>(i * c + ch) * <usize>l) << 2;
      let j = 0;
      for (; j + 4 <= l; j += 4) {
        const q = o + (<usize>j << 2);
        const xv = v128.load(x + q), d = f32x4.sub(xv, mv), gv = maskedG(v128.load(g + q), xv, relu, mv, fav, fbv);
        v128.store(gx + q, f32x4.mul(f32x4.sub(f32x4.sub(gv, k1v), f32x4.mul(d, k2v)), av));
      }
      for (; j < l; j++) {
        const q = o + (<usize>j << 2);
        const xj = load<f32>(x + q), gj = f32x4.extract_lane(maskedG(f32x4.splat(load<f32>(g + q)), f32x4.splat(xj), relu, mv, fav, fbv), 0);
        store<f32>(gx + q, (gj - k1 - (xj - mu) * k2) * a);
      }
    }
  }
}

/** gw = Σ g·x̂, gb = Σ g, gx = w/√(σ² + eps)·(g − gb/M − (x − μ)·Σg(x − μ)/((σ² + eps)·M)). */
export function batchNormGrad(g: usize, x: usize, w: usize, gx: usize, gw: usize, gb: usize, n: i32, c: i32, l: i32, eps: f64): void {
  normaliseGrad(g, x, w, 0, gx, gw, gb, n, c, l, eps, false);
}

/** batchNormRelu's gradient: batchNormGrad of g masked where the forward's output (recomputed from x, w, b) is not > 0. */
export function batchNormReluGrad(g: usize, x: usize, w: usize, b: usize, gx: usize, gw: usize, gb: usize, n: i32, c: i32, l: i32, eps: f64): void {
  normaliseGrad(g, x, w, b, gx, gw, gb, n, c, l, eps, true);
}

/**
 * relu(batchNorm(x)) max-pooled, x [n, c, h·w]: the normalised values overwrite x (this kernel owns
 * that copy), then index and out get maxPool's routing and values over them (pool.as) — what
 * batchNormRelu followed by maxPool computes, without the full-size output leaving linear memory.
 */
export function batchNormReluPool(
  x: usize, w: usize, b: usize, index: usize, out: usize, n: i32, c: i32, eps: f64, mean: usize, variance: usize,
  h: i32, wd: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32,
): void {
  normalise(x, w, b, x, n, c, h * wd, eps, mean, variance, true);
  maxPoolRoute(x, index, out, n * c, h, wd, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
}

/**
 * batchNormReluPool's gradient for upstream g [n, c, oh·ow] (count entries): maxPool's scatter-add into
 * gx (x's size), then batchNormReluGrad in place over it.
 */
export function batchNormReluPoolGrad(
  g: usize, index: usize, count: i32, x: usize, w: usize, b: usize, gx: usize, gw: usize, gb: usize, n: i32, c: i32, l: i32, eps: f64,
): void {
  maxPoolScatter(g, index, gx, count, n * c * l);
  normaliseGrad(gx, x, w, b, gx, gw, gb, n, c, l, eps, true);
}
