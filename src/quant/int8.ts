// int8 arithmetic of quantized models: per-channel symmetric weights, per-tensor affine activations, exact integer products.
import { ArgumentError } from '../core/errors.js';
import { panelIndex, roundHalfEven } from '../backend/js/quant.js';

export { roundHalfEven, quantizeRowsJs as quantizeRows } from '../backend/js/quant.js';

/** Row length padded for the int16 kernels (a multiple of 8). @example paddedLength(10) // 16 */
export const paddedLength = (k: number): number => Math.ceil(k / 8) * 8;

/** Per-output-channel symmetric int8 weights: w ≈ q · scale[channel], q in [-127, 127]. */
export interface ChannelQuantized {
  /** int8 values, row-major [channels, k]. */
  readonly q: Int8Array;
  /** One float32 scale per channel. */
  readonly scale: Float32Array;
}

/**
 * Quantizes a weight matrix [channels, k] per channel: scale = max|w| / 127 (1 for an all-zero row).
 * @example quantizeWeights(Float32Array.of(0.5, -1, 0.25, 0.125), 2, 2).q // Int8Array [64, -127, 127, 64]
 */
export function quantizeWeights(w: ArrayLike<number>, channels: number, k: number): ChannelQuantized {
  const q = new Int8Array(channels * k), scale = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let m = 0;
    for (let i = 0; i < k; i++) m = Math.max(m, Math.abs(w[c * k + i]!));
    const s = m === 0 ? 1 : Math.fround(m / 127);
    scale[c] = s;
    for (let i = 0; i < k; i++) q[c * k + i] = Math.max(-127, Math.min(127, roundHalfEven(w[c * k + i]! / s)));
  }
  return { q, scale };
}

/** Per-tensor affine int8 activations: x ≈ (q − zeroPoint) · scale, q in [-128, 127]. */
export interface AffineParams {
  readonly scale: number;
  readonly zeroPoint: number;
}

/**
 * The affine parameters covering [lo, hi] (widened to include 0, so zero is exact), as PyTorch's
 * MinMaxObserver computes them for qint8.
 * @example affineParams(-1, 3) // { scale: 4 / 255, zeroPoint: -64 }
 */
export function affineParams(lo: number, hi: number): AffineParams {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new ArgumentError('quantize', `calibration range [${lo}, ${hi}] is not finite; the calibration rows hold NaN or Infinity`);
  const a = Math.min(lo, 0), b = Math.max(hi, 0);
  const scale = b - a === 0 ? 1 : Math.fround((b - a) / 255);
  const zeroPoint = Math.max(-128, Math.min(127, -128 - roundHalfEven(a / scale)));
  return { scale, zeroPoint };
}

/**
 * Packs int8 weights [channels, k] as the int8 kernels read them: widened to int16, rows zero-padded to
 * `kp`, in panels of 4 channels (zero rows past `channels`), k-block-major (see backend/js/quant.ts panelIndex).
 * Done once when a model is quantized or loaded: the weights never change after.
 * @example packPanels(Int8Array.of(1, -2), 1, 2, 8) // Int16Array(32) [1, -2, 0, …]
 */
export function packPanels(q: ArrayLike<number>, channels: number, k: number, kp: number): Int16Array {
  const out = new Int16Array(Math.ceil(channels / 4) * 4 * kp);
  for (let c = 0; c < channels; c++) for (let i = 0; i < k; i++) out[panelIndex(c, i, kp)] = q[c * k + i]!;
  return out;
}

/**
 * The int8 weights [channels, k] (as float32 integers) held in a {@link packPanels} layout.
 * @example unpackPanels(packPanels(Int8Array.of(1, -2), 1, 2, 8), 1, 2, 8) // Float32Array [1, -2]
 */
export function unpackPanels(panels: Int16Array, channels: number, k: number, kp: number): Float32Array {
  const out = new Float32Array(channels * k);
  for (let c = 0; c < channels; c++) for (let i = 0; i < k; i++) out[c * k + i] = panels[panelIndex(c, i, kp)]!;
  return out;
}

/** Calibration of activation ranges: the full min/max, or the given percentiles (robust to outliers). */
export type CalibrationMethod = 'minmax' | { percentile: number };

/**
 * The range [lo, hi] of `values` by the calibration method (percentile p keeps values between the
 * (100 − p)th and pth percentiles).
 * @example calibrationRange(Float32Array.of(0, 1, 2, 100), 'minmax') // [0, 100]
 */
export function calibrationRange(values: ArrayLike<number>, method: CalibrationMethod): [number, number] {
  if (values.length === 0) throw new ArgumentError('quantize', 'no calibration values: pass at least one calibration row');
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new ArgumentError('quantize', `calibration activations hold ${values[i]} (value ${i} of a layer's input); the calibration rows or the model produce NaN/Infinity`);
  }
  if (method === 'minmax') {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return [lo, hi];
  }
  const p = method.percentile;
  if (!(p > 50 && p <= 100)) throw new ArgumentError('quantize', `calibration percentile must be in (50, 100], got ${p}`);
  const sorted = Float32Array.from(values).sort();
  const at = (f: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(f * (sorted.length - 1))))]!;
  return [at(1 - p / 100), at(p / 100)];
}
