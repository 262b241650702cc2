// JS reference kernels of im2col/col2im (NCHW sliding windows ↔ columns), on raw storage.
import type { Storage } from '../../core/dtype.js';
import type { WindowGeometry } from '../backend.js';

/** Output extent of a sliding window along one dim: ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1 (PyTorch). */
export function windowOut(n: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** Per kernel column j: first input column iw0 and the output columns [qlo, qhi) that read inside the image. */
function columnRanges(w: number, ow: number, g: WindowGeometry): { iw0: Int32Array; qlo: Int32Array; qhi: Int32Array } {
  const kw = g.kernel[1], sw = g.stride[1];
  const iw0 = new Int32Array(kw), qlo = new Int32Array(kw), qhi = new Int32Array(kw);
  for (let j = 0; j < kw; j++) {
    const start = j * g.dilation[1] - g.padding[1];
    const lo = Math.max(0, Math.ceil(-start / sw));
    iw0[j] = start;
    qlo[j] = Math.min(lo, ow);
    qhi[j] = Math.max(qlo[j]!, Math.min(ow, Math.floor((w - 1 - start) / sw) + 1));
  }
  return { iw0, qlo, qhi };
}

/**
 * Walks the rows of the column layout [n, c·kh·kw, oh·ow] of an image batch of `shape`: for each
 * (plane, i, j, r), `visit(o, src, lo, hi)` gets the row's column offset o, the input offset `src`
 * of output column 0 and the output columns [lo, hi) that read inside the image (empty when the
 * row lies in the vertical padding); output column q reads input `src + q·sw`.
 */
function forEachColumnRow(shape: readonly number[], g: WindowGeometry, { oh, ow }: ColumnLayout, visit: (o: number, src: number, lo: number, hi: number) => void): void {
  const [n, c, h, w] = shape as [number, number, number, number];
  const [kh, kw] = g.kernel, sh = g.stride[0], ph = g.padding[0], dh = g.dilation[0];
  const { iw0, qlo, qhi } = columnRanges(w, ow, g);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let r = 0; r < oh; r++, o += ow) {
          const ih = r * sh - ph + i * dh;
          if (ih < 0 || ih >= h) visit(o, 0, 0, 0);
          else visit(o, (plane * h + ih) * w + iw0[j]!, qlo[j]!, qhi[j]!);
        }
      }
    }
  }
}

/** The column layout [n, rows = c·kh·kw, l = oh·ow] of an image batch of `shape` under `g`. */
interface ColumnLayout { oh: number; ow: number; rows: number; l: number; size: number }

function columnLayout(shape: readonly number[], g: WindowGeometry): ColumnLayout {
  const [n, c, h, w] = shape as [number, number, number, number];
  const oh = windowOut(h, g.kernel[0], g.stride[0], g.padding[0], g.dilation[0]), ow = windowOut(w, g.kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
  const rows = c * g.kernel[0] * g.kernel[1];
  return { oh, ow, rows, l: oh * ow, size: n * rows * oh * ow };
}

/** Rows (c·kh·kw) and windows (oh·ow) of the column layout of an image batch of `shape` under `g`. */
export function columnShape(shape: readonly number[], g: WindowGeometry): { rows: number; l: number } {
  const { rows, l } = columnLayout(shape, g);
  return { rows, l };
}

/**
 * x [n, c, h, w] → columns [n, c·kh·kw, oh·ow] written into `out`: column row (c·kh + i)·kw + j,
 * entry (r, q) reads x[c, r·sh − ph + i·dh, q·sw − pw + j·dw], or `padValue` outside the image.
 * @example im2colJs(x.data, out, [1, 1, 4, 4], geometry, 0)
 */
export function im2colJs(d: Storage, out: Storage, shape: readonly number[], g: WindowGeometry, padValue: number): void {
  const layout = columnLayout(shape, g), { ow } = layout;
  const sw = g.stride[1];
  forEachColumnRow(shape, g, layout, (o, src, lo, hi) => {
    out.fill(padValue, o, o + lo);
    out.fill(padValue, o + hi, o + ow);
    for (let q = lo; q < hi; q++) out[o + q] = d[src + q * sw]!;
  });
}

/**
 * im2col's adjoint: columns [n, c·kh·kw, oh·ow] summed back into `out` [n, c, h, w] (padding
 * dropped); the kernel zeroes `out` first.
 * @example col2imJs(cols.data, out, [1, 1, 4, 4], geometry)
 */
export function col2imJs(d: Storage, out: Storage, shape: readonly number[], g: WindowGeometry): void {
  out.fill(0);
  const sw = g.stride[1];
  forEachColumnRow(shape, g, columnLayout(shape, g), (o, dst, lo, hi) => {
    for (let q = lo; q < hi; q++) out[dst + q * sw] = out[dst + q * sw]! + d[o + q]!;
  });
}

/**
 * Max pooling's routing: for each window (plane, r, q) of x [n, c, h, w] (`shape`) with output
 * extent oh × ow, `index` gets the flat index into x of the first largest in-image tap (a NaN is
 * largest, the first NaN wins), or −1 when no tap lies inside the image. Taps outside count as −∞.
 * @example maxPoolIndexJs(x.data, index, [1, 1, 4, 4], { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] }, 2, 2)
 */
export function maxPoolIndexJs(x: Storage, index: Int32Array, shape: readonly number[], g: WindowGeometry, oh: number, ow: number): void {
  const [n, c, h, w] = shape as [number, number, number, number];
  const [kh, kw] = g.kernel, [sh, sw] = g.stride, [ph, pw] = g.padding, [dh, dw] = g.dilation;
  let t = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++, t++) {
        let best = -1, m = 0;
        for (let i = 0; i < kh; i++) {
          const ih = r * sh - ph + i * dh;
          if (ih < 0 || ih >= h) continue;
          for (let j = 0; j < kw; j++) {
            const iw = q * sw - pw + j * dw;
            if (iw < 0 || iw >= w) continue;
            const at = base + ih * w + iw, v = x[at]!;
            if (best < 0 || v > m || (v !== v && m === m)) { m = v; best = at; }
          }
        }
        index[t] = best;
      }
    }
  }
}

/**
 * Max pooling's forward pass (see Backend.maxPool): maxPoolIndexJs into `index`, then out[t] = x[index[t]]
 * (−∞ for a window with no tap inside the image).
 * @example maxPoolJs(x.data, index, out, [1, 1, 4, 4], { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] }, 2, 2)
 */
export function maxPoolJs(x: Storage, index: Int32Array, out: Storage, shape: readonly number[], g: WindowGeometry, oh: number, ow: number): void {
  maxPoolIndexJs(x, index, shape, g, oh, ow);
  for (let t = 0; t < index.length; t++) { const at = index[t]!; out[t] = at < 0 ? -Infinity : x[at]!; }
}

/**
 * Max pooling's backward pass (see Backend.maxPoolGrad): gx zeroed, then gx[index[t]] += g[t] for t in
 * order (windows without a tap, index −1, skipped).
 * @example const gx = new Float32Array(16); maxPoolGradJs(g.data, index, gx)   // g [1, 1, 2, 2], index from maxPoolJs over [1, 1, 4, 4]
 */
export function maxPoolGradJs(g: Storage, index: Int32Array, gx: Storage): void {
  gx.fill(0);
  for (let t = 0; t < index.length; t++) { const at = index[t]!; if (at >= 0) gx[at] = gx[at]! + g[t]!; }
}
