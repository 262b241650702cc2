// The exact integer reference of the int8 matmul (out = x · wᵀ in int32), which the WASM kernel must equal.

/**
 * out[m, n] = Σ_k x[m, k] · w[n, k] over int16 rows of length `kp` (zero-padded), in exact int32.
 * @example const out = new Int32Array(1); int8MatmulJs(Int16Array.of(2, 3), Int16Array.of(4, -1), out, 1, 2, 1); // out[0] = 5
 */
export function int8MatmulJs(x: Int16Array, w: Int16Array, out: Int32Array, m: number, kp: number, n: number): void {
  for (let r = 0; r < m; r++) {
    const xo = r * kp;
    for (let c = 0; c < n; c++) {
      const wo = c * kp;
      let acc = 0;
      for (let k = 0; k < kp; k++) acc += x[xo + k]! * w[wo + k]!;
      out[r * n + c] = acc;
    }
  }
}
