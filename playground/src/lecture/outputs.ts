// The label convention the lecture panels accept: two-class labels as ±1. (Head outputs for the
// surface come from the shell's own `headOutputs` in model.ts.)

/**
 * Two-class labels as ±1: {0, 1} → {−1, +1}, ±1 kept; null for anything else (several classes, regression
 * values), so a panel that needs two classes can say so and use its own data.
 * @example signedLabels(Float32Array.of(0, 1, 1))   // Float32Array [-1, 1, 1]
 */
export function signedLabels(y: Float32Array): Float32Array | null {
  if (y.every((v) => v === 0 || v === 1)) return y.map((v) => 2 * v - 1);
  if (y.every((v) => v === -1 || v === 1)) return Float32Array.from(y);
  return null;
}
