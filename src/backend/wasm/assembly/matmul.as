// AssemblyScript source of the WASM SIMD float32 matmul: packed panels + a 4x8 f32x4 register-blocked micro-kernel.
//
// Built by scripts/build-wasm.mjs (`asc --runtime stub --enable simd -O3 --noAssert`). The file ends in `.as`
// so that the project's TypeScript compiler does not read it; the build script hands it to asc as `.ts`.
// Memory is owned by the TypeScript loader: every pointer below is a byte offset it chose.
//
// GEMM loop nest (as in BLIS/GotoBLAS): for each NC-wide column block of C and each k slice (sliceDepth),
// B's slice is packed into NR-wide column panels; for each MC-high row block, A's slice is packed into
// MR-high row panels; the micro-kernel then runs over all (MR x NR) tiles from the two packed panels,
// which are read strictly sequentially. Transposed operands are handled while packing, so A^T and B^T
// cost the same as plain operands.

// MR x NR = 4 x 8 is the largest tile that V8 keeps in registers: its x64 code has 15 usable xmm registers
// and schedules a k step's loads ahead of its multiply-adds, so a step holds 8 accumulators + 2 B vectors
// + 4 A splats (+ 1 product in the plain build). A 6x8 tile (12 accumulators) spilled 2 of them to the
// stack on every k step and ran at ~0.6x the 4x8 rate (bench/matmul-mlp.ts A/B, 2026-12-02, load 3-4).
const MR: i32 = 4;
const NR: i32 = 8;
/** Deepest k slice; the slices of one product all have depth sliceDepth(k) (the last one may be shorter). */
const KC: i32 = 512;
const MC: i32 = 128;
const NC: i32 = 2048;

/** First byte the loader may use. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}

/** Rows per thread chunk boundary: chunks of the threaded matmul start on multiples of this (= MR). */
export function matmulRowBlock(): i32 {
  return MR;
}

/**
 * Depth of the k slices of a product of inner size k: k split evenly into ceil(k / KC) slices (each
 * costs a pass over C), rounded up to a multiple of 4 (the packing's 4x4 transposes): 784 → 2 × 392
 * rather than 3 × 256 + 16. Every element of C is the sum, slice by slice, of its products added in
 * order of k from +0 inside each slice; resident.as uses this same depth, so its results match.
 */
export function sliceDepth(k: i32): i32 {
  const slices = (k + KC - 1) / KC;
  return (((k + slices - 1) / slices) + 3) & ~3;
}

/** Bytes of the packed-A buffer one caller needs. */
export function packABytes(): i32 {
  return MC * KC * 4;
}

/**
 * Bytes of the packed-B buffer one caller needs, followed by its edge tile: ragged MR x NR tiles of C
 * are computed there in full, then the valid part is copied (per caller, so workers never share it).
 */
export function packBBytes(): i32 {
  return KC * NC * 4 + MR * NR * 4;
}

/** Packs rows [i0, i0+mc) x cols [p0, p0+kc) of op(A) into MR-high panels (p-major, MR floats per p). */
function packA(a: usize, m: i32, k: i32, transA: bool, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const i = i0 + ir;
    if (transA) {
      // A stored [k, m]: MR consecutive floats of one stored row are one packed step.
      let src = a + (<usize>p0 * <usize>m + <usize>i) * 4;
      if (rows == MR) {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src));
          src += <usize>m * 4;
          dst += MR * 4;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let r = 0; r < MR; r++) store<f32>(dst + r * 4, r < rows ? load<f32>(src + r * 4) : 0);
          src += <usize>m * 4;
          dst += MR * 4;
        }
      }
    } else {
      // A stored [m, k]: read MR rows along k, transposing 4x4 blocks in registers.
      const r0 = a + (<usize>i * <usize>k + <usize>p0) * 4;
      const ld = <usize>k * 4;
      if (rows == MR) {
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const off = <usize>p * 4;
          const x0 = v128.load(r0 + off), x1 = v128.load(r0 + ld + off);
          const x2 = v128.load(r0 + 2 * ld + off), x3 = v128.load(r0 + 3 * ld + off);
          const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
          const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
          v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
          v128.store(dst, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
          v128.store(dst, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
          v128.store(dst, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
          dst += 64;
        }
        for (; p < kc; p++) {
          const off = <usize>p * 4;
          for (let r = 0; r < MR; r++) store<f32>(dst + r * 4, load<f32>(r0 + <usize>r * ld + off));
          dst += MR * 4;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const off = <usize>p * 4;
          for (let r = 0; r < MR; r++) store<f32>(dst + r * 4, r < rows ? load<f32>(r0 + <usize>r * ld + off) : 0);
          dst += MR * 4;
        }
      }
    }
  }
}

/** Packs rows [p0, p0+kc) x cols [j0, j0+nc) of op(B) into NR-wide panels (p-major, NR floats per p). */
export function packB(b: usize, k: i32, n: i32, transB: bool, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const j = j0 + jr;
    if (!transB) {
      // B stored [k, n]: NR consecutive floats of one stored row are one packed step.
      let src = b + (<usize>p0 * <usize>n + <usize>j) * 4;
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += <usize>n * 4;
          dst += NR * 4;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let c = 0; c < NR; c++) store<f32>(dst + c * 4, c < cols ? load<f32>(src + c * 4) : 0);
          src += <usize>n * 4;
          dst += NR * 4;
        }
      }
    } else {
      // B stored [n, k]: each of the NR stored rows is read along k (4x4 transposes in registers).
      const r0 = b + (<usize>j * <usize>k + <usize>p0) * 4;
      const ld = <usize>k * 4;
      if (cols == NR) {
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const off = <usize>p * 4;
          for (let h: usize = 0; h < 2; h++) {
            const base = r0 + h * 4 * ld + off;
            const x0 = v128.load(base), x1 = v128.load(base + ld);
            const x2 = v128.load(base + 2 * ld), x3 = v128.load(base + 3 * ld);
            const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
            const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
            const d = dst + h * 16;
            v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
            v128.store(d, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 32);
            v128.store(d, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 64);
            v128.store(d, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 96);
          }
          dst += 4 * NR * 4;
        }
        for (; p < kc; p++) {
          const off = <usize>p * 4;
          for (let c = 0; c < NR; c++) store<f32>(dst + c * 4, load<f32>(r0 + <usize>c * ld + off));
          dst += NR * 4;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const off = <usize>p * 4;
          for (let c = 0; c < NR; c++) store<f32>(dst + c * 4, c < cols ? load<f32>(r0 + <usize>c * ld + off) : 0);
          dst += NR * 4;
        }
      }
    }
  }
}

/**
 * c + a·b per lane. The relaxed-SIMD build (neurite-relaxed.wasm, `--enable relaxed-simd`) uses
 * f32x4.relaxed_madd, which engines with FMA hardware run as one fused multiply-add (rounded once,
 * so products differ from the plain build's in the last bits); the plain build rounds the product
 * and the sum separately. ASC_FEATURE_RELAXED_SIMD is a compile-time constant: no branch remains.
 */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** C tile (MR x NR, row stride ldc bytes) = (accumulate ? C : 0) + packedA panel @ packedB panel. */
// @ts-ignore: decorator
@inline
function kernel(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // An end pointer, not a step counter: one integer add and compare fewer per k step.
  for (const end = pa + (<usize>kc << 4); pa < end;) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc)); c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc)); c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

/**
 * Row block [ic, ic+mc) (mc <= MC) x columns [jc, jc+nc) of C over one packed k slice (depth kc at pc) of op(B)
 * at pb (packB's layout): packs A's block into pA, then runs the tiles; C += the slice with `acc`. `edge`:
 * the MR x NR scratch tile of ragged edges.
 */
export function gemmBlock(a: usize, c: usize, m: i32, k: i32, n: i32, transA: bool, ic: i32, mc: i32, pc: i32, kc: i32, jc: i32, nc: i32, pA: usize, pB: usize, edge: usize, acc: bool): void {
  const ldc = <usize>n * 4;
  packA(a, m, k, transA, ic, mc, pc, kc, pA);
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const pb = pB + <usize>jr * <usize>kc * 4;
    for (let ir = 0; ir < mc; ir += MR) {
      const rows = min(MR, mc - ir);
      const pa = pA + <usize>ir * <usize>kc * 4;
      const ct = c + (<usize>(ic + ir) * <usize>n + <usize>(jc + jr)) * 4;
      if (rows == MR && cols == NR) {
        kernel(pa, pb, kc, ct, ldc, acc);
      } else {
        kernel(pa, pb, kc, edge, NR * 4, false);
        for (let r = 0; r < rows; r++) {
          for (let q = 0; q < cols; q++) {
            const dst = ct + <usize>r * ldc + <usize>q * 4;
            const v = load<f32>(edge + <usize>(r * NR + q) * 4);
            store<f32>(dst, acc ? load<f32>(dst) + v : v);
          }
        }
      }
    }
  }
}

/** Rows [r0, r1) of one product C[m,n] = op(A) @ op(B) (C += with `into`), using the caller's pack buffers. */
function gemmRows(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, transA: bool, transB: bool, r0: i32, r1: i32, pA: usize, pB: usize, into: bool = false): void {
  const edge = edgeTile(pB);
  const depth = sliceDepth(k);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += depth) {
      const kc = min(depth, k - pc);
      packB(b, k, n, transB, pc, kc, jc, nc, pB);
      for (let ic = r0; ic < r1; ic += MC) gemmBlock(a, c, m, k, n, transA, ic, min(MC, r1 - ic), pc, kc, jc, nc, pA, pB, edge, into || pc > 0);
    }
  }
}

/** Widest op(B) that packB packs in one column block (NC): callers that walk C's row blocks themselves (infer.as) need n <= this. */
export function packedColumns(): i32 {
  return NC;
}

/** The MR x NR scratch tile of ragged edges behind the packed-B buffer at pB. */
export function edgeTile(pB: usize): usize {
  return pB + <usize>(KC * NC * 4);
}

/**
 * Batched C[t] = op(A[t]) @ op(B[t]) for the flattened output rows [start, end) of batch*m rows
 * (a worker's share; the whole product is start=0, end=batch*m). Strides are in elements.
 */
export function matmulRange(
  a: usize, b: usize, c: usize, batch: i32, m: i32, k: i32, n: i32, transA: i32, transB: i32,
  aStride: i32, bStride: i32, pA: usize, pB: usize, start: i32, end: i32,
): void {
  if (m == 0 || n == 0) return;
  for (let t = start / m; t < batch && t * m < end; t++) {
    const lo = max(start - t * m, 0), hi = min(end - t * m, m);
    if (lo >= hi) continue;
    const ct = c + <usize>t * <usize>m * <usize>n * 4;
    if (k == 0) {
      memory.fill(ct + <usize>lo * <usize>n * 4, 0, <usize>(hi - lo) * <usize>n * 4);
      continue;
    }
    gemmRows(a + <usize>t * <usize>aStride * 4, b + <usize>t * <usize>bStride * 4, ct, m, k, n, transA != 0, transB != 0, lo, hi, pA, pB);
  }
}

/**
 * One whole product C[m,n] = op(A) @ op(B), or C += op(A) @ op(B) with `into` (per k slice, C
 * gains that slice's sum, slices of sliceDepth(k)), for kernels that multiply inside WASM (conv.as). Not for k = 0.
 */
export function gemm(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, transA: bool, transB: bool, into: bool, pA: usize, pB: usize): void {
  gemmRows(a, b, c, m, k, n, transA, transB, 0, m, pA, pB, into);
}
