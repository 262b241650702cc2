// AssemblyScript source of resident packed weights: w[n, k] packed once into column panels, and a few-row product over them.
//
// A Linear layer's weights stay packed in linear memory between calls (the TypeScript side,
// ../resident.ts, repacks them when their storage changed). For a few rows (one-sample inference)
// the product runs over the resident panels directly, NP output columns at a time: no packing and
// no copy of the weights per call. Every output element is summed exactly as the packed matmul
// (matmul.as) sums it — products added one by one from +0 in order of k inside each k slice (sliceDepth),
// slices added to the running total — so the result is bit-identical to the matmul path; the bias
// add and the activation are the elementwise kernels the eager path runs.
import { binary, unary, unaryParam } from './elementwise';
import { sliceDepth } from './matmul';

/** Output columns per panel: eight f32x4 accumulators, eight independent add chains. */
const NP: i32 = 32;
const ADD: i32 = 0;

/** Bytes the packed form of w[n, k] takes. */
export function residentBytes(k: i32, n: i32): i32 {
  return ((n + NP - 1) / NP) * NP * k * 4;
}

/** Packs w[n, k] (row-major, one row per output) into NP-wide panels: panel-major, then k, NP floats per k, zero-padded. */
export function residentPack(w: usize, k: i32, n: i32, dst: usize): void {
  for (let j0 = 0; j0 < n; j0 += NP) {
    const cols = min(NP, n - j0);
    for (let p = 0; p < k; p++) {
      for (let c = 0; c < NP; c++) store<f32>(dst + <usize>c * 4, c < cols ? load<f32>(w + (<usize>(j0 + c) * <usize>k + <usize>p) * 4) : 0);
      dst += <usize>NP * 4;
    }
  }
}

/** tot[0..NP) = (first ? 0 : tot) + Σ_p x[p] · panel[p] over one k slice, in order of p. */
// @ts-ignore: decorator
@inline
function slice(x: usize, pb: usize, kc: i32, tot: usize, first: bool): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const a = v128.load32_splat(x);
    a0 = f32x4.add(a0, f32x4.mul(a, v128.load(pb))); a1 = f32x4.add(a1, f32x4.mul(a, v128.load(pb, 16)));
    a2 = f32x4.add(a2, f32x4.mul(a, v128.load(pb, 32))); a3 = f32x4.add(a3, f32x4.mul(a, v128.load(pb, 48)));
    a4 = f32x4.add(a4, f32x4.mul(a, v128.load(pb, 64))); a5 = f32x4.add(a5, f32x4.mul(a, v128.load(pb, 80)));
    a6 = f32x4.add(a6, f32x4.mul(a, v128.load(pb, 96))); a7 = f32x4.add(a7, f32x4.mul(a, v128.load(pb, 112)));
    x += 4;
    pb += <usize>NP * 4;
  }
  if (!first) {
    a0 = f32x4.add(a0, v128.load(tot)); a1 = f32x4.add(a1, v128.load(tot, 16));
    a2 = f32x4.add(a2, v128.load(tot, 32)); a3 = f32x4.add(a3, v128.load(tot, 48));
    a4 = f32x4.add(a4, v128.load(tot, 64)); a5 = f32x4.add(a5, v128.load(tot, 80));
    a6 = f32x4.add(a6, v128.load(tot, 96)); a7 = f32x4.add(a7, v128.load(tot, 112));
  }
  v128.store(tot, a0); v128.store(tot, a1, 16); v128.store(tot, a2, 32); v128.store(tot, a3, 48);
  v128.store(tot, a4, 64); v128.store(tot, a5, 80); v128.store(tot, a6, 96); v128.store(tot, a7, 112);
}

/**
 * out[m, n] = act(x[m, k] @ wᵀ + b) over the resident panels `pw` (residentPack), row by row; b = 0:
 * no bias; act < 0 none, 0..99 a unary code, 100 + c a parametrised code with p, q (as infer.as).
 * `tmp`: NP floats of scratch.
 */
export function residentLinear(x: usize, pw: usize, b: usize, out: usize, m: i32, k: i32, n: i32, act: i32, p: f32, q: f32, tmp: usize): void {
  const panel = <usize>k * <usize>NP * 4;
  // The matmul's k slices (matmul.as sliceDepth): the slice boundaries decide the rounding, so they must agree.
  const depth = sliceDepth(k);
  for (let r = 0; r < m; r++) {
    const xr = x + <usize>r * <usize>k * 4, orow = out + <usize>r * <usize>n * 4;
    for (let j0 = 0; j0 < n; j0 += NP) {
      const pj = pw + <usize>(j0 / NP) * panel;
      for (let pc = 0; pc < k; pc += depth) slice(xr + <usize>pc * 4, pj + <usize>pc * <usize>NP * 4, min(depth, k - pc), tmp, pc == 0);
      memory.copy(orow + <usize>j0 * 4, tmp, <usize>min(NP, n - j0) * 4);
    }
  }
  if (b != 0) binary(ADD, out, n, 1, b, 0, 1, out, m, n);
  if (act >= 100) unaryParam(act - 100, out, out, m * n, p, q);
  else if (act >= 0) unary(act, out, out, m * n);
}
