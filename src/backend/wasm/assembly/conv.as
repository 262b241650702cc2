// AssemblyScript source of the im2col/col2im kernels (NCHW sliding windows ↔ columns), float32.
//
// The same walk as the JS reference (src/backend/js/conv.ts): one column row per (plane, i, j, r),
// the output columns [lo, hi) that read inside the image computed once per kernel column j. im2col
// only copies, so it is exact; col2im adds the taps of each input element in the same order as JS.
import { addInto } from './rows';

/** First output column ≥ 0 whose tap q·s + start lies inside [0, w), and one past the last; lo ≤ hi. */
function colLo(start: i32, s: i32, ow: i32): i32 {
  const lo = start >= 0 ? 0 : (-start + s - 1) / s;
  return min(lo, ow);
}
function colHi(start: i32, s: i32, w: i32, ow: i32, lo: i32): i32 {
  const last = w - 1 - start;
  return last < 0 ? lo : max(lo, min(ow, last / s + 1));
}

/**
 * x [n, c, h, w] at `x` → columns [n, c·kh·kw, oh·ow] at `out`; taps outside the image read `padValue`.
 */
export function im2col(
  x: usize, out: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32, padValue: f32,
): void {
  let o = out;
  const rowBytes = <usize>ow << 2;
  for (let plane = 0; plane < planes; plane++) {
    const src0 = x + ((<usize>plane * h * w) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const start = j * dw - pw;
        const lo = colLo(start, sw, ow), hi = colHi(start, sw, w, ow, lo);
        for (let r = 0; r < oh; r++, o += rowBytes) {
          const ih = r * sh - ph + i * dh;
          if (ih < 0 || ih >= h) { fillF32(o, 0, ow, padValue); continue; }
          fillF32(o, 0, lo, padValue);
          fillF32(o, hi, ow, padValue);
          const src = src0 + ((<usize>ih * w) << 2) + (<isize>start << 2);
          if (sw == 1) memory.copy(o + (<usize>lo << 2), src + (<usize>lo << 2), <usize>(hi - lo) << 2);
          else for (let q = lo; q < hi; q++) store<f32>(o + (<usize>q << 2), load<f32>(src + ((<usize>q * sw) << 2)));
        }
      }
    }
  }
}

/** p[a..b) = v. */
function fillF32(p: usize, a: i32, b: i32, v: f32): void {
  if (v == 0 && !(1 / v < 0)) { if (b > a) memory.fill(p + (<usize>a << 2), 0, <usize>(b - a) << 2); return; }
  for (let q = a; q < b; q++) store<f32>(p + (<usize>q << 2), v);
}

/**
 * Columns [n, c·kh·kw, oh·ow] at `cols` summed into `out` [n, c, h, w] (zeroed here first).
 */
export function col2im(
  cols: usize, out: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32,
): void {
  memory.fill(out, 0, (<usize>planes * h * w) << 2);
  let o = cols;
  const rowBytes = <usize>ow << 2;
  for (let plane = 0; plane < planes; plane++) {
    const dst0 = out + ((<usize>plane * h * w) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const start = j * dw - pw;
        const lo = colLo(start, sw, ow), hi = colHi(start, sw, w, ow, lo);
        for (let r = 0; r < oh; r++, o += rowBytes) {
          const ih = r * sh - ph + i * dh;
          if (ih < 0 || ih >= h) continue;
          const dst = dst0 + ((<usize>ih * w) << 2) + (<isize>start << 2);
          if (sw == 1) addInto(dst + (<usize>lo << 2), o + (<usize>lo << 2), hi - lo);
          else {
            for (let q = lo; q < hi; q++) {
              const p = dst + ((<usize>q * sw) << 2);
              store<f32>(p, load<f32>(p) + load<f32>(o + (<usize>q << 2)));
            }
          }
        }
      }
    }
  }
}

/**
 * Max pooling's routing over x [planes, h, w] float32: index[t] (i32) = flat index of the first
 * largest in-image tap of window t (NaN largest, first NaN wins), −1 when none lies inside.
 */
export function maxPoolIndex(
  x: usize, index: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32,
): void {
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0) { maxPoolIndex2x2(x, index, planes, h, w, oh, ow); return; }
  let t = index;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * h * w;
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++, t += 4) {
        let best = -1, m: f32 = 0;
        for (let i = 0; i < kh; i++) {
          const ih = r * sh - ph + i * dh;
          if (ih < 0 || ih >= h) continue;
          for (let j = 0; j < kw; j++) {
            const iw = q * sw - pw + j * dw;
            if (iw < 0 || iw >= w) continue;
            const at = base + ih * w + iw, v = load<f32>(x + (<usize>at << 2));
            if (best < 0 || v > m || (v != v && m == m)) { m = v; best = at; }
          }
        }
        store<i32>(t, best);
      }
    }
  }
}

/** take = v beats m (larger, or the first NaN): lanes all ones where so. */
@inline function beats(v: v128, m: v128): v128 {
  return v128.or(f32x4.gt(v, m), v128.and(f32x4.ne(v, v), f32x4.eq(m, m)));
}

/**
 * maxPoolIndex for 2×2 windows at stride 2 without padding (every tap inside the image): four
 * windows at a time, taps compared in the order (0,0), (0,1), (1,0), (1,1) as the general loop does.
 */
function maxPoolIndex2x2(x: usize, index: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32): void {
  let t = index;
  const step = i32x4.splat(8), one = i32x4.splat(1);
  for (let plane = 0; plane < planes; plane++) {
    for (let r = 0; r < oh; r++) {
      const top = plane * h * w + 2 * r * w, row0 = x + (<usize>top << 2), row1 = row0 + (<usize>w << 2);
      let at = i32x4.add(i32x4.splat(top), i32x4(0, 2, 4, 6));
      let q = 0;
      for (; q + 4 <= ow; q += 4, t += 16, at = i32x4.add(at, step)) {
        const o = <usize>q << 3;
        const a0 = v128.load(row0 + o), a1 = v128.load(row0 + o + 16), b0 = v128.load(row1 + o), b1 = v128.load(row1 + o + 16);
        let m = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6), best = at;
        const tr = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7), bl = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6), br = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        let take = beats(tr, m);
        m = v128.bitselect(tr, m, take); best = v128.bitselect(i32x4.add(at, one), best, take);
        const below = i32x4.add(at, i32x4.splat(w));
        take = beats(bl, m);
        m = v128.bitselect(bl, m, take); best = v128.bitselect(below, best, take);
        take = beats(br, m);
        best = v128.bitselect(i32x4.add(below, one), best, take);
        v128.store(t, best);
      }
      for (; q < ow; q++, t += 4) {
        let best = top + 2 * q, m = load<f32>(x + (<usize>best << 2));
        for (let k = 1; k < 4; k++) {
          const a = top + (k >> 1) * w + 2 * q + (k & 1), v = load<f32>(x + (<usize>a << 2));
          if (v > m || (v != v && m == m)) { m = v; best = a; }
        }
        store<i32>(t, best);
      }
    }
  }
}

