// AssemblyScript source of the fused optimizer kernel: one Adam step over a float32 leaf, SIMD.
//
// The same float32 operations in the same order as the unfused tensor ops (and the JS reference,
// src/backend/js/optim.ts), each IEEE-rounded, so all three agree bit for bit. Ragged tails run the
// scalar float32 form of the same operations.

/**
 * Over n floats at p, g, m, v: x = g + wd·p (when wd > 0), m ← m + (x − m)·c1, v ← v·b2 + x²·c2,
 * and when hasGrad ≠ 0, p ← p + ((m / bc1) / (√v / bc2 + eps))·negLr. m and v are overwritten.
 */
export function adamStep(
  p: usize, g: usize, m: usize, v: usize, n: i32, hasGrad: i32,
  c1: f32, b2: f32, c2: f32, eps: f32, wd: f32, bc1: f32, bc2: f32, negLr: f32,
): void {
  const c1v = f32x4.splat(c1), b2v = f32x4.splat(b2), c2v = f32x4.splat(c2), epsv = f32x4.splat(eps);
  const wdv = f32x4.splat(wd), bc1v = f32x4.splat(bc1), bc2v = f32x4.splat(bc2), lrv = f32x4.splat(negLr);
  const decay = wd > 0, update = hasGrad != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pv = v128.load(p + o);
    let x = v128.load(g + o);
    if (decay) x = f32x4.add(x, f32x4.mul(pv, wdv));
    const m0 = v128.load(m + o);
    const mj = f32x4.add(m0, f32x4.mul(f32x4.sub(x, m0), c1v));
    const vj = f32x4.add(f32x4.mul(v128.load(v + o), b2v), f32x4.mul(f32x4.mul(x, x), c2v));
    v128.store(m + o, mj);
    v128.store(v + o, vj);
    if (update) {
      const denom = f32x4.add(f32x4.div(f32x4.sqrt(vj), bc2v), epsv);
      v128.store(p + o, f32x4.add(pv, f32x4.mul(f32x4.div(f32x4.div(mj, bc1v), denom), lrv)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pj = load<f32>(p + o);
    let x = load<f32>(g + o);
    if (decay) x = x + pj * wd;
    const m0 = load<f32>(m + o);
    const mj: f32 = m0 + (x - m0) * c1;
    const vj: f32 = load<f32>(v + o) * b2 + (x * x) * c2;
    store<f32>(m + o, mj);
    store<f32>(v + o, vj);
    if (update) store<f32>(p + o, pj + ((mj / bc1) / (sqrt<f32>(vj) / bc2 + eps)) * negLr);
  }
}
