// The reference kernels of int8 models: quantizing rows, the exact int32 matmul and the rescaled int8 Linear, which WASM must equal.

/** The affine parameters of one int8 input: x ≈ (q − zeroPoint) · scale. */
export interface Int8Input {
  readonly scale: number;
  readonly zeroPoint: number;
}

/** Round half to even (`nearbyint`, as PyTorch's quantize_per_tensor rounds). @example roundHalfEven(2.5) // 2 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}


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

/**
 * Quantizes rows [m, k] of activations to zero-point-shifted int16 rows of `kp` (q − zeroPoint, in [-255, 255]; padding 0):
 * q = clamp(nearbyint(x / scale) + zeroPoint, -128, 127) with x / scale rounded to float32, as PyTorch's
 * quantize_val; NaN quantizes to the zero point. The WASM kernel (assembly/quant.as) computes the same.
 * @example quantizeRowsJs(Float32Array.of(0.5, -1), 1, 2, 8, { scale: 0.5, zeroPoint: 0 }) // Int16Array [1, -2, 0, 0, 0, 0, 0, 0]
 */
export function quantizeRowsJs(x: ArrayLike<number>, m: number, k: number, kp: number, p: Int8Input, out = new Int16Array(m * kp)): Int16Array {
  const s = p.scale, z = p.zeroPoint;
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < k; i++) {
      const q = roundHalfEven(Math.fround(x[r * k + i]! / s)) + z;
      out[r * kp + i] = Number.isNaN(q) ? 0 : (q < -128 ? -128 : q > 127 ? 127 : q) - z;
    }
  }
  return out;
}

/**
 * The int8 Linear layer: out[m, n] = fround(acc · colScale[n]) + bias[n], acc = quantized x · w (exact int32).
 * @example
 * const w = new Int16Array(8), out = new Float32Array(1);   // one output row [4, -1], zero-padded to kp = 8
 * w.set([4, -1]);
 * int8LinearJs(Float32Array.of(0.5, -1), 1, 2, { scale: 0.5, zeroPoint: 0 }, w, 8, 1, Float32Array.of(0.25), Float32Array.of(0.5), out);
 * // x quantizes to [1, -2]; out[0] = fround(6 · 0.25) + 0.5 = 2
 */
export function int8LinearJs(
  x: Float32Array, m: number, k: number, input: Int8Input, w: Int16Array, kp: number, n: number, colScale: Float32Array, bias: Float32Array | null, out: Float32Array,
): void {
  const xq = quantizeRowsJs(x, m, k, kp, input);
  const acc = new Int32Array(m * n);
  int8MatmulJs(xq, w, acc, m, kp, n);
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < n; c++) out[r * n + c] = Math.fround(acc[r * n + c]! * colScale[c]!) + (bias ? bias[c]! : 0);
  }
}
