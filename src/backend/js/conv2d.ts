// JS reference of the fused 2-D convolution (groups 1): per image im2col + matmul (+ bias) forward, and its three gradients.
//
// The same kernels and order as the composed form (im2col, a matmul per image, the bias added after;
// gw summed over images in order), so the JS results equal the composed path's.
import type { Storage } from '../../core/dtype.js';
import type { WindowGeometry } from '../backend.js';
import { col2imJs, columnShape, im2colJs } from './conv.js';
import { matmulJs } from './matmul.js';

/** A scratch array of the storage's own type. */
const like = (s: Storage, n: number): Storage => (s instanceof Float64Array ? new Float64Array(n) : new Float32Array(n));

/** Sizes of one image: input c·h·w, columns rows (c·kh·kw) × l (oh·ow). */
function sizes(shape: readonly number[], g: WindowGeometry): { n: number; image: number; rows: number; l: number; one: number[] } {
  const [n, c, h, w] = shape as [number, number, number, number];
  return { n, image: c * h * w, ...columnShape(shape, g), one: [1, c, h, w] };
}

/** See Backend.conv2d. */
export function conv2dJs(x: Storage, w: Storage, b: Storage | null, out: Storage, shape: readonly number[], o: number, g: WindowGeometry): void {
  const { n, image, rows, l, one } = sizes(shape, g);
  const cols = like(out, rows * l);
  for (let i = 0; i < n; i++) {
    im2colJs(x.subarray(i * image, (i + 1) * image), cols, one, g, 0);
    const y = out.subarray(i * o * l, (i + 1) * o * l);
    matmulJs(w, cols, y, { batch: 1, m: o, k: rows, n: l, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 });
    if (b) for (let r = 0; r < o; r++) for (let q = r * l; q < (r + 1) * l; q++) y[q] = y[q]! + b[r]!;
  }
}

/** See Backend.conv2dGrad. */
export function conv2dGradJs(
  dy: Storage, x: Storage, w: Storage, gx: Storage | null, gw: Storage | null, gb: Storage | null, shape: readonly number[], o: number, g: WindowGeometry,
): void {
  const { n, image, rows, l, one } = sizes(shape, g);
  const cols = like(dy, rows * l), part = gw ? like(gw, o * rows) : null;
  for (let i = 0; i < n; i++) {
    const d = dy.subarray(i * o * l, (i + 1) * o * l);
    if (gw && part) {
      im2colJs(x.subarray(i * image, (i + 1) * image), cols, one, g, 0);
      matmulJs(d, cols, i === 0 ? gw : part, { batch: 1, m: o, k: l, n: rows, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 });
      if (i > 0) for (let q = 0; q < part.length; q++) gw[q] = gw[q]! + part[q]!;
    }
    if (gx) {
      matmulJs(w, d, cols, { batch: 1, m: rows, k: o, n: l, transA: true, transB: false, aBatchStride: 0, bBatchStride: 0 });
      col2imJs(cols, gx.subarray(i * image, (i + 1) * image), one, g);
    }
  }
  if (gb) {
    for (let r = 0; r < o; r++) {
      let s = 0;
      for (let i = 0; i < n; i++) for (let q = (i * o + r) * l, e = q + l; q < e; q++) s += dy[q]!;
      gb[r] = s;
    }
  }
}
