// AssemblyScript source of the fused int8 layer chain: quantize once, then per layer the exact int32 product over
// panel-packed weights with an epilogue that rescales, adds the bias, applies ReLU/hardtanh and requantizes straight
// into the next layer's int16 input (no float32 pass over memory between int8 layers).
//
// Panel layout (packed once when a model is quantized or loaded): the weights [n, kp] (int8 widened to int16, rows
// zero-padded to kp, a multiple of 8) in panels of 4 output channels (zero rows past n), each panel k-block-major:
// w[p][kb][j][0..8) = W[4p + j][8kb .. 8kb + 8). One pointer walks a panel with immediate offsets 0/16/32/48, so
// the inner loop spends its scalar slots on 3 pointer bumps per 16 multiplies instead of an address add per load.
// Integer sums are exact and order-independent: the result equals the JS reference (backend/js/quant-chain.ts) bit for bit.
import { quantizeRows } from './quant';

// Epilogue state of one product: mode 0 exact int32 out (stride n); 1 float32 (stride ld); 2 requantized int16 (stride ld).
let epMode: i32 = 0;
let epScale: usize = 0;
let epBias: usize = 0;
let epAct: i32 = 0; // 0 none, 1 ReLU (v <= 0 ? 0 : v), 2 hardtanh (v < lo ? lo : v > hi ? hi : v); NaN passes through
let epLo: f32 = 0;
let epHi: f32 = 0;
let epLd: i32 = 0;
let epS: f32 = 1; // mode 2: the next layer's input scale and its shifted clamp bounds (−128 − z, 127 − z)
let epQlo: i32 = 0;
let epQhi: i32 = 0;

/** The four channel sums [Σa0, Σa1, Σa2, Σa3] of four accumulators, as one vector. */
@inline function hsum4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const u01 = i32x4.add(v128.shuffle<i32>(a0, a1, 0, 4, 1, 5), v128.shuffle<i32>(a0, a1, 2, 6, 3, 7));
  const u23 = i32x4.add(v128.shuffle<i32>(a2, a3, 0, 4, 1, 5), v128.shuffle<i32>(a2, a3, 2, 6, 3, 7));
  return i32x4.add(v128.shuffle<i32>(u01, u23, 0, 1, 4, 5), v128.shuffle<i32>(u01, u23, 2, 3, 6, 7));
}

/**
 * The epilogue of output row r, channels c .. c+3 (those below n): acc exact int32, or
 * act(f32(acc · colScale[c]) + bias[c]) (the product in f64, as the reference) as float32 or requantized int16.
 * colScale/bias regions are 64-byte padded, so reading four lanes past n stays inside them.
 */
function emit4(out: usize, r: i32, c: i32, n: i32, acc: v128): void {
  const left = n - c;
  if (epMode == 0) {
    const at = out + (<usize>r * <usize>n + <usize>c) * 4;
    if (left >= 4) { v128.store(at, acc); return; }
    store<i32>(at, i32x4.extract_lane(acc, 0));
    if (left > 1) store<i32>(at, i32x4.extract_lane(acc, 1), 4);
    if (left > 2) store<i32>(at, i32x4.extract_lane(acc, 2), 8);
    return;
  }
  const sc = v128.load(epScale + <usize>c * 4);
  const lo = f64x2.mul(f64x2.convert_low_i32x4_s(acc), f64x2.promote_low_f32x4(sc));
  const hi = f64x2.mul(f64x2.convert_low_i32x4_s(v128.shuffle<i32>(acc, acc, 2, 3, 0, 1)), f64x2.promote_low_f32x4(v128.shuffle<i32>(sc, sc, 2, 3, 0, 1)));
  let v = v128.shuffle<i32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
  if (epBias != 0) v = f32x4.add(v, v128.load(epBias + <usize>c * 4));
  const zero = f32x4.splat(0);
  if (epAct == 1) v = v128.bitselect(zero, v, f32x4.le(v, zero)); // v <= 0 ? 0 : v (NaN stays)
  else if (epAct == 2) {
    const l = f32x4.splat(epLo), h = f32x4.splat(epHi);
    v = v128.bitselect(l, v128.bitselect(h, v, f32x4.gt(v, h)), f32x4.lt(v, l)); // v < lo ? lo : v > hi ? hi : v
  }
  const at = <usize>r * <usize>epLd + <usize>c;
  if (epMode == 1) {
    const p = out + at * 4;
    if (left >= 4) { v128.store(p, v); return; }
    store<f32>(p, f32x4.extract_lane(v, 0));
    if (left > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
    if (left > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
    return;
  }
  // As quantizeRows: q = clamp(nearbyint(v / s), −128 − z, 127 − z) (NaN → 0 by trunc_sat), stored as int16.
  const t = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.div(v, f32x4.splat(epS))));
  const q = i32x4.min_s(i32x4.max_s(t, i32x4.splat(epQlo)), i32x4.splat(epQhi));
  const p = out + at * 2;
  if (left >= 4) { v128.store64_lane(p, i16x8.narrow_i32x4_s(q, q), 0); return; }
  store<i16>(p, <i16>i32x4.extract_lane(q, 0));
  if (left > 1) store<i16>(p, <i16>i32x4.extract_lane(q, 1), 2);
  if (left > 2) store<i16>(p, <i16>i32x4.extract_lane(q, 2), 4);
}

/** Bytes of x rows a block keeps in L1 while every weight panel passes over them (16 KiB beside a 6 KiB panel). */
const ROW_BLOCK_BYTES: usize = 16384;

/**
 * out = x[m, kp] (int16) · W (panel-packed, n channels)ᵀ through the epilogue; kp a multiple of 8. Blocked for
 * the cache: a block of rows (≤ 16 KiB) stays in L1 while each panel of 4 channels streams over it, 2 rows × 4
 * channels (8 accumulators) at a time.
 */
export function int8MatmulPanels(x: usize, w: usize, out: usize, m: i32, kp: i32, n: i32): void {
  const rowBytes = <usize>kp * 2, panelBytes = rowBytes * 4, steps = kp >> 3, panels = (n + 3) >> 2;
  const block = max<i32>(2, <i32>(<usize>ROW_BLOCK_BYTES / rowBytes) & ~1);
  for (let r0 = 0; r0 < m; r0 += block) {
    const r1 = min<i32>(m, r0 + block), pairs = r0 + ((r1 - r0) & ~1);
    for (let p = 0; p < panels; p++) {
      for (let r = r0; r < pairs; r += 2) {
        let xa = x + <usize>r * rowBytes, xb = xa + rowBytes, wp = w + <usize>p * panelBytes;
        let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
        let b0 = i32x4.splat(0), b1 = i32x4.splat(0), b2 = i32x4.splat(0), b3 = i32x4.splat(0);
        let s = 0;
        for (; s + 2 <= steps; s += 2) {
          let u = v128.load(xa), v = v128.load(xb);
          let w0 = v128.load(wp), w1 = v128.load(wp, 16), w2 = v128.load(wp, 32), w3 = v128.load(wp, 48);
          a0 = i32x4.add(a0, i32x4.dot_i16x8_s(u, w0)); a1 = i32x4.add(a1, i32x4.dot_i16x8_s(u, w1));
          a2 = i32x4.add(a2, i32x4.dot_i16x8_s(u, w2)); a3 = i32x4.add(a3, i32x4.dot_i16x8_s(u, w3));
          b0 = i32x4.add(b0, i32x4.dot_i16x8_s(v, w0)); b1 = i32x4.add(b1, i32x4.dot_i16x8_s(v, w1));
          b2 = i32x4.add(b2, i32x4.dot_i16x8_s(v, w2)); b3 = i32x4.add(b3, i32x4.dot_i16x8_s(v, w3));
          u = v128.load(xa, 16); v = v128.load(xb, 16);
          w0 = v128.load(wp, 64); w1 = v128.load(wp, 80); w2 = v128.load(wp, 96); w3 = v128.load(wp, 112);
          a0 = i32x4.add(a0, i32x4.dot_i16x8_s(u, w0)); a1 = i32x4.add(a1, i32x4.dot_i16x8_s(u, w1));
          a2 = i32x4.add(a2, i32x4.dot_i16x8_s(u, w2)); a3 = i32x4.add(a3, i32x4.dot_i16x8_s(u, w3));
          b0 = i32x4.add(b0, i32x4.dot_i16x8_s(v, w0)); b1 = i32x4.add(b1, i32x4.dot_i16x8_s(v, w1));
          b2 = i32x4.add(b2, i32x4.dot_i16x8_s(v, w2)); b3 = i32x4.add(b3, i32x4.dot_i16x8_s(v, w3));
          xa += 32; xb += 32; wp += 128;
        }
        if (s < steps) {
          const u = v128.load(xa), v = v128.load(xb);
          const w0 = v128.load(wp), w1 = v128.load(wp, 16), w2 = v128.load(wp, 32), w3 = v128.load(wp, 48);
          a0 = i32x4.add(a0, i32x4.dot_i16x8_s(u, w0)); a1 = i32x4.add(a1, i32x4.dot_i16x8_s(u, w1));
          a2 = i32x4.add(a2, i32x4.dot_i16x8_s(u, w2)); a3 = i32x4.add(a3, i32x4.dot_i16x8_s(u, w3));
          b0 = i32x4.add(b0, i32x4.dot_i16x8_s(v, w0)); b1 = i32x4.add(b1, i32x4.dot_i16x8_s(v, w1));
          b2 = i32x4.add(b2, i32x4.dot_i16x8_s(v, w2)); b3 = i32x4.add(b3, i32x4.dot_i16x8_s(v, w3));
        }
        emit4(out, r, p << 2, n, hsum4(a0, a1, a2, a3));
        emit4(out, r + 1, p << 2, n, hsum4(b0, b1, b2, b3));
      }
      if (pairs < r1) {
        const r = pairs;
        let xa = x + <usize>r * rowBytes, wp = w + <usize>p * panelBytes;
        let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
        for (let s = 0; s < steps; s++) {
          const u = v128.load(xa);
          a0 = i32x4.add(a0, i32x4.dot_i16x8_s(u, v128.load(wp))); a1 = i32x4.add(a1, i32x4.dot_i16x8_s(u, v128.load(wp, 16)));
          a2 = i32x4.add(a2, i32x4.dot_i16x8_s(u, v128.load(wp, 32))); a3 = i32x4.add(a3, i32x4.dot_i16x8_s(u, v128.load(wp, 48)));
          xa += 16; wp += 64;
        }
        emit4(out, r, p << 2, n, hsum4(a0, a1, a2, a3));
      }
    }
  }
}

/** Bytes of one layer's descriptor: k, kp, n, w, colScale, bias, scale (f32), zeroPoint, act, lo (f32), hi (f32), xq. */
const DESC = 48;

/**
 * Runs `count` int8 Linear layers on float32 rows x[m, k0]: layer 0 quantizes x into its int16 buffer xq; each layer's
 * product goes through the epilogue into the next layer's xq (requantized with that layer's scale/zero point), the
 * last one into out[m, n] as float32 (after its activation). desc holds one DESC-byte record per layer.
 */
export function int8Chain(desc: usize, count: i32, x: usize, m: i32, out: usize): void {
  quantizeRows(x, m, load<i32>(desc), load<i32>(desc, 4), load<f32>(desc, 24), load<i32>(desc, 28), load<usize>(desc, 44));
  for (let l = 0; l < count; l++) {
    const d = desc + <usize>l * DESC;
    const kp = load<i32>(d, 4), n = load<i32>(d, 8);
    epScale = load<usize>(d, 16); epBias = load<usize>(d, 20);
    epAct = load<i32>(d, 32); epLo = load<f32>(d, 36); epHi = load<f32>(d, 40);
    let dst = out;
    if (l + 1 < count) {
      const next = d + DESC, z = load<i32>(next, 28);
      epMode = 2; epLd = load<i32>(next, 4); epS = load<f32>(next, 24); epQlo = -128 - z; epQhi = 127 - z;
      dst = load<usize>(next, 44);
      memory.fill(dst, 0, <usize>m * <usize>epLd * 2); // the padding columns past n stay 0
    } else {
      epMode = 1; epLd = n;
    }
    int8MatmulPanels(load<usize>(d, 44), load<usize>(d, 12), dst, m, kp, n);
  }
  epMode = 0; epScale = 0; epBias = 0; epAct = 0;
}
