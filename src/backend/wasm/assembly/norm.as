// AssemblyScript source of training-mode batch normalisation over x [n, c, l] (NCHW, l = h·w): statistics, forward, gradient.
//
// The formulas of the JS reference (src/backend/js/norm.ts): sums are float64 accumulations (two
// lanes of f64x2 plus a scalar tail; the variance in a second pass over x − mean), the elementwise
// passes float32 SIMD with per-channel constants rounded to float32. `out` may alias x and `gx` g:
// every pass reads an element before writing it.

/** Σ over channel ch of p [n, c, l] in float64 of v, or with `square` of (v − mean)² (the difference in float32). */
export function channelSum(p: usize, n: i32, c: i32, l: i32, ch: i32, mean: f32, square: bool): f64 {
  let a = f64x2.splat(0), b = f64x2.splat(0);
  let s: f64 = 0;
  const mv = f32x4.splat(mean);
  for (let i = 0; i < n; i++) {
    const row = p + ((<usize>(i * c + ch) * <usize>l) << 2);
    let j = 0;
    for (; j + 4 <= l; j += 4) {
      let v = v128.load(row + (<usize>j << 2));
      if (square) v = f32x4.sub(v, mv);
      let lo = f64x2.promote_low_f32x4(v), hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
      if (square) { lo = f64x2.mul(lo, lo); hi = f64x2.mul(hi, hi); }
      a = f64x2.add(a, lo);
      b = f64x2.add(b, hi);
    }
    for (; j < l; j++) {
      let v = <f64>load<f32>(row + (<usize>j << 2));
      if (square) { v = <f64>(<f32>v - mean); v = v * v; }
      s += v;
    }
  }
  const t = f64x2.add(a, b);
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

/** out = (x − μ)·a + b per channel, a = w/√(σ² + eps), with the batch's μ and σ². */
export function batchNorm(x: usize, w: usize, b: usize, out: usize, n: i32, c: i32, l: i32, eps: f64): void {
  const m = <f64>n * <f64>l;
  for (let ch = 0; ch < c; ch++) {
    const mu = <f32>(channelSum(x, n, c, l, ch, 0, false) / m);
    const v = channelSum(x, n, c, l, ch, mu, true) / m;
    const a = <f32>(<f64>load<f32>(w + (<usize>ch << 2)) / Math.sqrt(v + eps)), shift = load<f32>(b + (<usize>ch << 2));
    const mv = f32x4.splat(mu), av = f32x4.splat(a), bv = f32x4.splat(shift);
    for (let i = 0; i < n; i++) {
      const o = (<usize>(i * c + ch) * <usize>l) << 2;
      let j = 0;
      for (; j + 4 <= l; j += 4) {
        const q = o + (<usize>j << 2);
        v128.store(out + q, f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + q), mv), av), bv));
      }
      for (; j < l; j++) {
        const q = o + (<usize>j << 2);
        store<f32>(out + q, (load<f32>(x + q) - mu) * a + shift);
      }
    }
  }
}

/** Σ g and Σ g·(x − μ) over channel ch, in float64. */
function gradSums(g: usize, x: usize, n: i32, c: i32, l: i32, ch: i32, mu: f32): v128 {
  let sa = f64x2.splat(0), sb = f64x2.splat(0), da = f64x2.splat(0), db = f64x2.splat(0);
  let sg: f64 = 0, sd: f64 = 0;
  const mv = f32x4.splat(mu);
  for (let i = 0; i < n; i++) {
    const o = (<usize>(i * c + ch) * <usize>l) << 2;
    let j = 0;
    for (; j + 4 <= l; j += 4) {
      const q = o + (<usize>j << 2);
      const gv = v128.load(g + q), d = f32x4.sub(v128.load(x + q), mv);
      const glo = f64x2.promote_low_f32x4(gv), ghi = f64x2.promote_low_f32x4(v128.shuffle<f32>(gv, gv, 2, 3, 0, 1));
      const dlo = f64x2.promote_low_f32x4(d), dhi = f64x2.promote_low_f32x4(v128.shuffle<f32>(d, d, 2, 3, 0, 1));
      sa = f64x2.add(sa, glo); sb = f64x2.add(sb, ghi);
      da = f64x2.add(da, f64x2.mul(glo, dlo)); db = f64x2.add(db, f64x2.mul(ghi, dhi));
    }
    for (; j < l; j++) {
      const q = o + (<usize>j << 2);
      const gj = <f64>load<f32>(g + q);
      sg += gj;
      sd += gj * <f64>(load<f32>(x + q) - mu);
    }
  }
  const s = f64x2.add(sa, sb), d = f64x2.add(da, db);
  return f64x2.replace_lane(f64x2.splat(f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1) + sg), 1, f64x2.extract_lane(d, 0) + f64x2.extract_lane(d, 1) + sd);
}

/** gw = Σ g·x̂, gb = Σ g, gx = w/√(σ² + eps)·(g − gb/M − (x − μ)·Σg(x − μ)/((σ² + eps)·M)). */
export function batchNormGrad(g: usize, x: usize, w: usize, gx: usize, gw: usize, gb: usize, n: i32, c: i32, l: i32, eps: f64): void {
  const m = <f64>n * <f64>l;
  for (let ch = 0; ch < c; ch++) {
    const mu = <f32>(channelSum(x, n, c, l, ch, 0, false) / m);
    const inv = 1 / Math.sqrt(channelSum(x, n, c, l, ch, mu, true) / m + eps);
    const sums = gradSums(g, x, n, c, l, ch, mu);
    const sg = f64x2.extract_lane(sums, 0), sgd = f64x2.extract_lane(sums, 1);
    store<f32>(gw + (<usize>ch << 2), <f32>(sgd * inv));
    store<f32>(gb + (<usize>ch << 2), <f32>sg);
    const a = <f32>(<f64>load<f32>(w + (<usize>ch << 2)) * inv), k1 = <f32>(sg / m), k2 = <f32>(sgd * inv * inv / m);
    const mv = f32x4.splat(mu), av = f32x4.splat(a), k1v = f32x4.splat(k1), k2v = f32x4.splat(k2);
    for (let i = 0; i < n; i++) {
      const o = (<usize>(i * c + ch) * <usize>l) << 2;
      let j = 0;
      for (; j + 4 <= l; j += 4) {
        const q = o + (<usize>j << 2);
        const d = f32x4.sub(v128.load(x + q), mv);
        v128.store(gx + q, f32x4.mul(f32x4.sub(f32x4.sub(v128.load(g + q), k1v), f32x4.mul(d, k2v)), av));
      }
      for (; j < l; j++) {
        const q = o + (<usize>j << 2);
        store<f32>(gx + q, (load<f32>(g + q) - k1 - (load<f32>(x + q) - mu) * k2) * a);
      }
    }
  }
}
