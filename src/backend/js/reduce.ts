// JS reference kernels for reductions (sum, max over any axes) and the fused log-softmax.
import type { Storage } from '../../core/dtype.js';
import type { ReducePlan } from '../backend.js';

/** Reduces contiguous `x` into `out` following `plan` (rows of the innermost dim at a time). */
export function reduceJs(op: 'sum' | 'max', x: Storage, out: Storage, plan: ReducePlan): void {
  out.fill(op === 'sum' ? 0 : -Infinity);
  const { shape, outStrides } = plan;
  const r = shape.length;
  const n = shape[r - 1]!;
  if (x.length === 0 || n === 0) return;
  const so = outStrides[r - 1]!;
  const rows = x.length / n;
  const idx = new Int32Array(r);
  let oo = 0;
  for (let q = 0; q < rows; q++) {
    const xi = q * n;
    if (op === 'sum') {
      if (so === 0) {
        let s = 0;
        for (let i = 0; i < n; i++) s += x[xi + i]!;
        out[oo] = out[oo]! + s;
      } else for (let i = 0; i < n; i++) out[oo + i] = out[oo + i]! + x[xi + i]!;
    } else if (so === 0) {
      let m = out[oo]!;
      for (let i = 0; i < n; i++) { const v = x[xi + i]!; if (v > m || v !== v) m = v; }
      out[oo] = m;
    } else {
      for (let i = 0; i < n; i++) { const v = x[xi + i]!, m = out[oo + i]!; if (v > m || v !== v) out[oo + i] = v; }
    }
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++;
      oo += outStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      oo -= outStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** log_softmax over the middle axis of `[outer, n, inner]`: x - max - log Σ exp(x - max). */
export function logSoftmaxJs(x: Storage, out: Storage, outer: number, n: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let m = -Infinity;
      for (let i = 0; i < n; i++) { const v = x[base + i * inner]!; if (v > m) m = v; }
      if (m === -Infinity || !Number.isFinite(m)) m = Number.isNaN(m) ? m : 0;
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.exp(x[base + i * inner]! - m);
      const lse = m + Math.log(s);
      for (let i = 0; i < n; i++) out[base + i * inner] = x[base + i * inner]! - lse;
    }
  }
}
