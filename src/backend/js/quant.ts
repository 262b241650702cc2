// The reference kernels of int8 models: quantizing rows, the exact int32 matmuls and the fused int8 layer chain, which WASM must equal.

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

/** The elementwise activation an int8 layer's epilogue applies (ReLU and hardtanh: exact, NaN passes through). */
export type Int8Act = { readonly kind: 'none' } | { readonly kind: 'relu' } | { readonly kind: 'hardtanh'; readonly lo: number; readonly hi: number };

/** One int8 Linear layer of a chain: panel-packed int16 weights (see {@link panelIndex}), rescale, bias, its input's quantization and activation. */
export interface Int8ChainLayer {
  readonly k: number;
  /** k padded to a multiple of 8. */
  readonly kp: number;
  readonly n: number;
  /** Panel-packed weights, ceil(n / 4) · 4 · kp int16 values. */
  readonly w: Int16Array;
  /** float32(input scale · weight scale[c]) per output channel. */
  readonly colScale: Float32Array;
  readonly bias: Float32Array | null;
  readonly input: Int8Input;
  readonly act: Int8Act;
}

/**
 * Where weight (c, k) sits in the panel layout: panels of 4 output channels, each k-block-major,
 * w[p][kb][j][0..8) = W[4p + j][8kb .. 8kb + 8).
 * @example panelIndex(5, 9, 16) // 64 + 32 + 8 + 1 = 105
 */
export const panelIndex = (c: number, k: number, kp: number): number => (c >> 2) * 4 * kp + (k >> 3) * 32 + (c & 3) * 8 + (k & 7);

/**
 * out[m, n] = Σ_k x[m, k] · W[n, k] in exact int32, x int16 rows of `kp`, W panel-packed.
 * @example const w = new Int16Array(32); w[0] = 4; w[1] = -1; const out = new Int32Array(1); int8MatmulPanelsJs(Int16Array.of(2, 3, 0, 0, 0, 0, 0, 0), w, out, 1, 8, 1); // out[0] = 5
 */
export function int8MatmulPanelsJs(x: Int16Array, w: Int16Array, out: Int32Array, m: number, kp: number, n: number): void {
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < n; c++) {
      let acc = 0;
      for (let k = 0; k < kp; k++) acc += x[r * kp + k]! * w[panelIndex(c, k, kp)]!;
      out[r * n + c] = acc;
    }
  }
}

const activate = (v: number, act: Int8Act): number => (act.kind === 'relu' ? (v <= 0 ? 0 : v) : act.kind === 'hardtanh' ? (v < act.lo ? act.lo : v > act.hi ? act.hi : v) : v);

/**
 * The reference of int8 layer chains: for each layer, quantize its float32 input, the exact product,
 * y = act(fround(acc · colScale[c]) + bias[c]) in float32; the last layer's y goes to out [m, n].
 * @example
 * const w = new Int16Array(32); w[0] = 4; w[1] = -1;   // one output channel [4, -1]
 * const out = new Float32Array(1), layer = { k: 2, kp: 8, n: 1, w, colScale: Float32Array.of(0.25), bias: Float32Array.of(0.5), input: { scale: 0.5, zeroPoint: 0 }, act: { kind: 'relu' } } as const;
 * int8ChainJs(Float32Array.of(0.5, -1), 1, [layer], out); // x quantizes to [1, -2]; out[0] = relu(fround(6 · 0.25) + 0.5) = 2
 */
export function int8ChainJs(x: Float32Array, m: number, layers: readonly Int8ChainLayer[], out: Float32Array): void {
  let h = x;
  layers.forEach((l, i) => {
    const acc = new Int32Array(m * l.n);
    int8MatmulPanelsJs(quantizeRowsJs(h, m, l.k, l.kp, l.input), l.w, acc, m, l.kp, l.n);
    const y = i === layers.length - 1 ? out : new Float32Array(m * l.n);
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < l.n; c++) {
        y[r * l.n + c] = Math.fround(acc[r * l.n + c]! * l.colScale[c]!) + (l.bias ? l.bias[c]! : 0);
        y[r * l.n + c] = activate(y[r * l.n + c]!, l.act);
      }
    }
    h = y;
  });
}
