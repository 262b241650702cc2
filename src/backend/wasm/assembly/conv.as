// AssemblyScript source of the window kernels (NCHW sliding windows ↔ columns; max pooling forward and backward), float32.
//
// The same walk as the JS reference (src/backend/js/conv.ts): one column row per (plane, i, j, r),
// the output columns [lo, hi) that read inside the image computed once per kernel column j. im2col
// only copies, so it is exact; col2im adds the taps of each input element in the same order as JS.
import { addInto } from './rows';
import { maxPoolRoute, maxPoolScatter } from './pool';

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
  // Stride 1 with output rows as wide as input rows ('same' padding): a tap's rows form one run.
  const block = sh == 1 && sw == 1 && ow == w;
  for (let plane = 0; plane < planes; plane++) {
    const src0 = x + ((<usize>plane * h * w) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const start = j * dw - pw;
        const lo = colLo(start, sw, ow), hi = colHi(start, sw, w, ow, lo);
        if (block) { blockRows(src0, o, h, w, oh, i * dh - ph, start, lo, hi, padValue); o += <usize>oh * rowBytes; continue; }
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

/**
 * One (plane, i, j) row block of im2col at stride 1 with ow = w: output row r is input row r + shift
 * shifted by `start` columns, so the in-image rows are ONE copy of consecutive input (its wrapped-in
 * columns outside [lo, hi) then overwritten with padValue; the copy may read a few floats just
 * before or after the plane, which it overwrites likewise), the rest padValue. Copies only: exact.
 */
function blockRows(src0: usize, o: usize, h: i32, w: i32, oh: i32, shift: i32, start: i32, lo: i32, hi: i32, padValue: f32): void {
  const r0 = min(oh, max(0, -shift)), r1 = max(r0, min(oh, h - shift));
  const rowBytes = <usize>w << 2;
  if (r0 > 0) fillF32(o, 0, r0 * w, padValue);
  if (r1 < oh) fillF32(o, r1 * w, oh * w, padValue);
  if (r1 == r0) return;
  memory.copy(o + <usize>r0 * rowBytes, src0 + (<isize>((r0 + shift) * w + start) << 2), <usize>(r1 - r0) * rowBytes);
  // The pad columns are a tap or two wide: plain stores, not a memory.fill call each.
  for (let r = r0; r < r1; r++) {
    const row = o + <usize>r * rowBytes;
    for (let q = 0; q < lo; q++) store<f32>(row + (<usize>q << 2), padValue);
    for (let q = hi; q < w; q++) store<f32>(row + (<usize>q << 2), padValue);
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
  maxPoolRoute(x, index, 0, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
}

/** maxPoolIndex, and out[t] (f32) = x[index[t]] (−∞ for a window without a tap) in the same pass. */
export function maxPool(
  x: usize, index: usize, out: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32,
): void {
  maxPoolRoute(x, index, out, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
}

/** Max pooling's backward pass: gx [size] zeroed, then gx[index[t]] += g[t] for t in order (index −1 skipped). */
export function maxPoolGrad(g: usize, index: usize, gx: usize, count: i32, size: i32): void {
  maxPoolScatter(g, index, gx, count, size);
}
