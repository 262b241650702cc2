// JS reference kernel of the fused Adam step (float32 rounded per operation, float64 as is).
import type { Storage } from '../../core/dtype.js';
import type { AdamStepParams } from '../backend.js';

/**
 * One Adam step over a leaf; see Backend.adamStep. NOTE: `Math.fround` after each float32 operation
 * reproduces the unfused tensor ops exactly (an IEEE +, −, ×, ÷ or √ done in float64 and rounded to
 * float32 equals the float32 operation), scalar constants included.
 * @example adamStepJs(p, g, m0, v0, m, v, { b1: 0.9, b2: 0.999, eps: 1e-8, weightDecay: 0, bc1: 0.1, bc2Sqrt: 0.0316, negLr: -1e-3 })
 */
export function adamStepJs(p: Storage, g: Storage | null, m0: Storage, v0: Storage, m: Storage, v: Storage, c: AdamStepParams): void {
  if (p instanceof Float32Array) adamF32(p, g, m0, v0, m, v, c);
  else adamF64(p, g, m0, v0, m, v, c);
}

function adamF32(p: Float32Array, g: Storage | null, m0: Storage, v0: Storage, m: Storage, v: Storage, c: AdamStepParams): void {
  const fr = Math.fround;
  const c1 = fr(1 - c.b1), b2 = fr(c.b2), c2 = fr(1 - c.b2), eps = fr(c.eps), wd = fr(c.weightDecay);
  const bc1 = fr(c.bc1), bc2 = fr(c.bc2Sqrt), negLr = fr(c.negLr);
  const n = p.length;
  for (let j = 0; j < n; j++) {
    let x = g === null ? 0 : g[j]!;
    if (wd > 0) x = fr(x + fr(p[j]! * wd));
    const a = m0[j]!;
    const mj = fr(a + fr(fr(x - a) * c1));
    const vj = fr(fr(v0[j]! * b2) + fr(fr(x * x) * c2));
    m[j] = mj;
    v[j] = vj;
    if (g !== null) p[j] = p[j]! + fr(fr(fr(mj / bc1) / fr(fr(fr(Math.sqrt(vj)) / bc2) + eps)) * negLr);
  }
}

function adamF64(p: Storage, g: Storage | null, m0: Storage, v0: Storage, m: Storage, v: Storage, c: AdamStepParams): void {
  const { b1, b2, eps, weightDecay: wd, bc1, bc2Sqrt, negLr } = c;
  const n = p.length;
  for (let j = 0; j < n; j++) {
    let x = g === null ? 0 : g[j]!;
    if (wd > 0) x = x + p[j]! * wd;
    const mj = m0[j]! + (x - m0[j]!) * (1 - b1);
    const vj = v0[j]! * b2 + x * x * (1 - b2);
    m[j] = mj;
    v[j] = vj;
    if (g !== null) p[j] = p[j]! + ((mj / bc1) / (Math.sqrt(vj) / bc2Sqrt + eps)) * negLr;
  }
}
