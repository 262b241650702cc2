// AssemblyScript source of the fused LSTM cell over one time step (float32 SIMD), forward and backward.
//
// Layout as the recurrent layer keeps it: gate pre-activations xg, hg [4H, N] (row blocks i, f, g, o,
// each H rows of N), states [H, N]. The pre-activation is xg + hg (+ b[row], b [4H], when b ≠ 0).
// Each row runs four columns at a time; its ragged tail runs the same vector code on splatted scalars,
// so every element is treated alike. Every operation is one the composed cell and its gradient run,
// in the same order (sigmoidGrad, tanhGrad as the elementwise kernels), so the results are the same bits.
import { sigmoidv, tanhv } from './activations';

/** Four floats at p, or (tail) the one float at p splatted. */
// @ts-ignore: decorator
@inline
function ld(p: usize, tail: bool): v128 {
  return tail ? f32x4.splat(load<f32>(p)) : v128.load(p);
}

/** Stores four floats at p, or (tail) lane 0 only. */
// @ts-ignore: decorator
@inline
function st(p: usize, v: v128, tail: bool): void {
  if (tail) store<f32>(p, f32x4.extract_lane(v, 0));
  else v128.store(p, v);
}

/** Gate k's pre-activation at byte offset q of its row (row r of the block). */
// @ts-ignore: decorator
@inline
function pre(xg: usize, hg: usize, b: usize, gate: usize, q: usize, bk: usize, tail: bool): v128 {
  const s = f32x4.add(ld(xg + gate + q, tail), ld(hg + gate + q, tail));
  return b == 0 ? s : f32x4.add(s, v128.load32_splat(b + bk));
}

/**
 * out [2H, N]: rows 0..H−1 h_t = o ⊙ tanh(c_t), rows H..2H−1 c_t = f ⊙ c_{t−1} + i ⊙ g̃, with
 * i, f, o = σ(pre), g̃ = tanh(pre).
 */
export function lstmCell(xg: usize, hg: usize, b: usize, c0: usize, out: usize, h: i32, n: i32): void {
  const block = (<usize>h * <usize>n) << 2;
  for (let r = 0; r < h; r++) {
    const row = (<usize>r * <usize>n) << 2, br = <usize>r << 2, hb = <usize>h << 2;
    for (let j = 0; j < n; j += 4) {
      const tail = j + 4 > n;
      const steps = tail ? n - j : 1;
      for (let t = 0; t < steps; t++) {
        const q = row + ((<usize>(j + t)) << 2);
        const i = sigmoidv(pre(xg, hg, b, 0, q, br, tail)), f = sigmoidv(pre(xg, hg, b, block, q, br + hb, tail));
        const g = tanhv(pre(xg, hg, b, 2 * block, q, br + 2 * hb, tail)), o = sigmoidv(pre(xg, hg, b, 3 * block, q, br + 3 * hb, tail));
        const c = f32x4.add(f32x4.mul(f, ld(c0 + q, tail)), f32x4.mul(i, g));
        st(out + block + q, c, tail);
        st(out + q, f32x4.mul(o, tanhv(c)), tail);
      }
    }
  }
}

/**
 * The cell's gradient for upstream dout [2H, N] (dh rows, then dc rows): with the gates recomputed,
 * dc = dc_out + dh ⊙ o ⊙ (1 − tanh²c), dgates [4H, N] = (dc ⊙ g̃ ⊙ i(1−i), dc ⊙ c_{t−1} ⊙ f(1−f),
 * dc ⊙ i ⊙ (1−g̃²), dh ⊙ tanh c ⊙ o(1−o)), dc0 [H, N] = dc ⊙ f.
 */
export function lstmCellGrad(xg: usize, hg: usize, b: usize, c0: usize, dout: usize, dgates: usize, dc0: usize, h: i32, n: i32): void {
  const block = (<usize>h * <usize>n) << 2, one = f32x4.splat(1);
  for (let r = 0; r < h; r++) {
    const row = (<usize>r * <usize>n) << 2, br = <usize>r << 2, hb = <usize>h << 2;
    for (let j = 0; j < n; j += 4) {
      const tail = j + 4 > n;
      const steps = tail ? n - j : 1;
      for (let t = 0; t < steps; t++) {
        const q = row + ((<usize>(j + t)) << 2);
        const i = sigmoidv(pre(xg, hg, b, 0, q, br, tail)), f = sigmoidv(pre(xg, hg, b, block, q, br + hb, tail));
        const g = tanhv(pre(xg, hg, b, 2 * block, q, br + 2 * hb, tail)), o = sigmoidv(pre(xg, hg, b, 3 * block, q, br + 3 * hb, tail));
        const cp = ld(c0 + q, tail);
        const tc = tanhv(f32x4.add(f32x4.mul(f, cp), f32x4.mul(i, g)));
        const dh = ld(dout + q, tail);
        const dc = f32x4.add(ld(dout + block + q, tail), f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(tc, tc))));
        // σ' as the sigmoidGrad kernel, (up·s)·(1 − s); tanh' as tanhGrad, up·(1 − y²).
        st(dgates + q, f32x4.mul(f32x4.mul(f32x4.mul(dc, g), i), f32x4.sub(one, i)), tail);
        st(dgates + block + q, f32x4.mul(f32x4.mul(f32x4.mul(dc, cp), f), f32x4.sub(one, f)), tail);
        st(dgates + 2 * block + q, f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g))), tail);
        st(dgates + 3 * block + q, f32x4.mul(f32x4.mul(f32x4.mul(dh, tc), o), f32x4.sub(one, o)), tail);
        st(dc0 + q, f32x4.mul(dc, f), tail);
      }
    }
  }
}
