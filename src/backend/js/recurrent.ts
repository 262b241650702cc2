// JS reference of the fused LSTM cell (one time step, forward and backward) over the recurrent layer's [4H, N] gate layout.
//
// Every step rounds to the storage's dtype exactly where the composed ops and their gradients would
// (add, mul, σ, tanh, sigmoidGrad, tanhGrad: one rounding per kernel), in the composed order, so the fused cell gives the composed cell's values
// bit for bit; the WASM kernels (assembly/recurrent.as) follow the same sequence in float32 SIMD.
import type { Storage } from '../../core/dtype.js';
import { rounder } from './elementwise.js';

type Round = (v: number) => number;
const sigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

/** i, f, g̃, o and c_t at element e of row r (len = h·n), rounded as the composed ops round. */
function gates(xg: Storage, hg: Storage, b: Storage | null, c0: Storage, e: number, r: number, h: number, len: number, rd: Round): number[] {
  const p = (k: number): number => { const s = rd(xg[k * len + e]! + hg[k * len + e]!); return b ? rd(s + b[k * h + r]!) : s; };
  const i = rd(sigmoid(p(0))), f = rd(sigmoid(p(1))), g = rd(Math.tanh(p(2))), o = rd(sigmoid(p(3)));
  return [i, f, g, o, rd(rd(f * c0[e]!) + rd(i * g))];
}

/** See Backend.lstmCell. */
export function lstmCellJs(xg: Storage, hg: Storage, b: Storage | null, c0: Storage, out: Storage, h: number, n: number): void {
  const len = h * n, rd = rounder(out);
  for (let r = 0; r < h; r++) {
    for (let e = r * n; e < (r + 1) * n; e++) {
      const [, , , o, c] = gates(xg, hg, b, c0, e, r, h, len, rd);
      out[len + e] = c!;
      out[e] = o! * rd(Math.tanh(c!));
    }
  }
}

/** See Backend.lstmCellGrad. */
export function lstmCellGradJs(xg: Storage, hg: Storage, b: Storage | null, c0: Storage, dout: Storage, dgates: Storage, dc0: Storage, h: number, n: number): void {
  const len = h * n, rd = rounder(dgates);
  // σ' and tanh' as the sigmoidGrad / tanhGrad kernels: up·s·(1 − s) and up·(1 − y²), rounded once.
  const dsig = (up: number, s: number): number => up * s * (1 - s), dtanh = (up: number, y: number): number => up * (1 - y * y);
  for (let r = 0; r < h; r++) {
    for (let e = r * n; e < (r + 1) * n; e++) {
      const [i, f, g, o, c] = gates(xg, hg, b, c0, e, r, h, len, rd) as [number, number, number, number, number];
      const tc = rd(Math.tanh(c)), dh = dout[e]!;
      const dc = rd(dout[len + e]! + rd(dtanh(rd(dh * o), tc)));
      dgates[e] = dsig(rd(dc * g), i);
      dgates[len + e] = dsig(rd(dc * c0[e]!), f);
      dgates[2 * len + e] = dtanh(rd(dc * i), g);
      dgates[3 * len + e] = dsig(rd(dh * tc), o);
      dc0[e] = dc * f;
    }
  }
}
