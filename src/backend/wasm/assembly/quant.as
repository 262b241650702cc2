// AssemblyScript source of the integer matmul for int8 models: out[m, n] = Σ_k x[m, k] · w[n, k] in exact int32.
//
// x holds the zero-point-shifted int8 activations as int16 (range [-255, 255]), w the int8 weights widened to
// int16; both row-major with the row length k padded to a multiple of 8 with zeros (kp). i32x4.dot_i16x8_s
// multiplies eight int16 pairs and adds neighbours into four int32 lanes: eight multiply-adds per instruction,
// twice float32 SIMD's four. A 2 × 4 block of outputs keeps eight accumulators in registers and loads each
// vector once per step. Integer sums are exact and order-independent, so this equals the JS reference bit for bit.

@inline function put(dst: usize, c: i32, acc: i32): void {
  store<i32>(dst, acc);
}

@inline function hsum(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** One output row r against four weight rows (the m remainder). */
@inline function row1x4(x: usize, w: usize, out: usize, r: i32, c: i32, kp: i32, n: i32): void {
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
  const xr = x + <usize>r * <usize>kp * 2;
  const w0 = w + <usize>c * <usize>kp * 2, w1 = w0 + <usize>kp * 2, w2 = w1 + <usize>kp * 2, w3 = w2 + <usize>kp * 2;
  for (let k = 0; k < kp; k += 8) {
    const o = <usize>k * 2;
    const xv = v128.load(xr + o);
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(xv, v128.load(w0 + o)));
    a1 = i32x4.add(a1, i32x4.dot_i16x8_s(xv, v128.load(w1 + o)));
    a2 = i32x4.add(a2, i32x4.dot_i16x8_s(xv, v128.load(w2 + o)));
    a3 = i32x4.add(a3, i32x4.dot_i16x8_s(xv, v128.load(w3 + o)));
  }
  const dst = out + (<usize>r * <usize>n + <usize>c) * 4;
  put(dst, c, hsum(a0)); put(dst + 4, c + 1, hsum(a1)); put(dst + 8, c + 2, hsum(a2)); put(dst + 12, c + 3, hsum(a3));
}

/** One output (both remainders). */
@inline function dot1(x: usize, w: usize, out: usize, r: i32, c: i32, kp: i32, n: i32): void {
  let acc = i32x4.splat(0);
  const xr = x + <usize>r * <usize>kp * 2, wr = w + <usize>c * <usize>kp * 2;
  for (let k = 0; k < kp; k += 8) acc = i32x4.add(acc, i32x4.dot_i16x8_s(v128.load(xr + <usize>k * 2), v128.load(wr + <usize>k * 2)));
  put(out + (<usize>r * <usize>n + <usize>c) * 4, c, hsum(acc));
}

/** out[m, n] (int32) = x[m, kp] (int16) · w[n, kp]ᵀ (int16); kp a multiple of 8. */
export function int8Matmul(x: usize, w: usize, out: usize, m: i32, kp: i32, n: i32): void {
  const n4 = n & ~3;
  let r = 0;
  for (; r + 2 <= m; r += 2) {
    const x0 = x + <usize>r * <usize>kp * 2, x1 = x0 + <usize>kp * 2;
    for (let c = 0; c < n4; c += 4) {
      let a00 = i32x4.splat(0), a01 = i32x4.splat(0), a02 = i32x4.splat(0), a03 = i32x4.splat(0);
      let a10 = i32x4.splat(0), a11 = i32x4.splat(0), a12 = i32x4.splat(0), a13 = i32x4.splat(0);
      const w0 = w + <usize>c * <usize>kp * 2, w1 = w0 + <usize>kp * 2, w2 = w1 + <usize>kp * 2, w3 = w2 + <usize>kp * 2;
      for (let k = 0; k < kp; k += 8) {
        const o = <usize>k * 2;
        const xa = v128.load(x0 + o), xb = v128.load(x1 + o);
        const b0 = v128.load(w0 + o), b1 = v128.load(w1 + o), b2 = v128.load(w2 + o), b3 = v128.load(w3 + o);
        a00 = i32x4.add(a00, i32x4.dot_i16x8_s(xa, b0)); a01 = i32x4.add(a01, i32x4.dot_i16x8_s(xa, b1));
        a02 = i32x4.add(a02, i32x4.dot_i16x8_s(xa, b2)); a03 = i32x4.add(a03, i32x4.dot_i16x8_s(xa, b3));
        a10 = i32x4.add(a10, i32x4.dot_i16x8_s(xb, b0)); a11 = i32x4.add(a11, i32x4.dot_i16x8_s(xb, b1));
        a12 = i32x4.add(a12, i32x4.dot_i16x8_s(xb, b2)); a13 = i32x4.add(a13, i32x4.dot_i16x8_s(xb, b3));
      }
      const d0 = out + (<usize>r * <usize>n + <usize>c) * 4, d1 = d0 + <usize>n * 4;
      put(d0, c, hsum(a00)); put(d0 + 4, c + 1, hsum(a01)); put(d0 + 8, c + 2, hsum(a02)); put(d0 + 12, c + 3, hsum(a03));
      put(d1, c, hsum(a10)); put(d1 + 4, c + 1, hsum(a11)); put(d1 + 8, c + 2, hsum(a12)); put(d1 + 12, c + 3, hsum(a13));
    }
    for (let c = n4; c < n; c++) { dot1(x, w, out, r, c, kp, n); dot1(x, w, out, r + 1, c, kp, n); }
  }
  for (; r < m; r++) {
    for (let c = 0; c < n4; c += 4) row1x4(x, w, out, r, c, kp, n);
    for (let c = n4; c < n; c++) dot1(x, w, out, r, c, kp, n);
  }
}

/**
 * Quantizes float32 rows x[m, k] to zero-point-shifted int16 rows of kp (padding 0):
 * q = clamp(nearbyint(x / s) + z, -128, 127) − z, with x / s rounded to float32 as PyTorch's quantize_val.
 */
export function quantizeRows(x: usize, m: i32, k: i32, kp: i32, s: f32, z: i32, out: usize): void {
  // clamp(q + z, -128, 127) − z computed as clamp(q, −128 − z, 127 − z): no overflow for huge |x / s|.
  const sv = f32x4.splat(s), lo = i32x4.splat(-128 - z), hi = i32x4.splat(127 - z);
  const k8 = k & ~7;
  for (let r = 0; r < m; r++) {
    const xr = x + <usize>r * <usize>k * 4, orow = out + <usize>r * <usize>kp * 2;
    let i = 0;
    for (; i < k8; i += 8) {
      const a = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.div(v128.load(xr + <usize>i * 4), sv)));
      const b = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.div(v128.load(xr + <usize>i * 4 + 16), sv)));
      v128.store(orow + <usize>i * 2, i16x8.narrow_i32x4_s(i32x4.min_s(i32x4.max_s(a, lo), hi), i32x4.min_s(i32x4.max_s(b, lo), hi)));
    }
    for (; i < k; i++) {
      const v = nearest<f32>(load<f32>(xr + <usize>i * 4) / s);
      const lo1: i32 = -128 - z, hi1: i32 = 127 - z;
      const q: i32 = v != v ? 0 : v < <f32>lo1 ? lo1 : v > <f32>hi1 ? hi1 : <i32>v;
      store<i16>(orow + <usize>i * 2, <i16>q);
    }
    for (; i < kp; i++) store<i16>(orow + <usize>i * 2, 0);
  }
}
