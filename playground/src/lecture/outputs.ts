// What the host's surface expects from a panel's predict: head outputs (probabilities or values), made
// from a network's raw scores with the head the shell's state describes; and the data's labels as ±1.
import { binaryHead, regressionHead, softmax, Tensor } from 'neurite';

/** The state fields that decide the head (the shell's PlaygroundState has them; absent ones default). */
export interface HeadFields { problem?: unknown; temperature?: unknown; regressionActivation?: unknown; rangeA?: unknown; rangeB?: unknown }

/**
 * Head outputs of raw scores [n, k]: σ(z) for 'binary' (the hinge's score too), softmax(z/τ) per row for
 * 'multiclass', the regression head's activation (identity, ReLU, softplus, or tanh rescaled to [a, b])
 * otherwise — the shell's surface colours these. Unknown or missing fields mean a raw regression value.
 * @example surfaceOutputs({ problem: 'binary' }, raw)   // probabilities of class 1
 */
export function surfaceOutputs(s: HeadFields, raw: Tensor): Float32Array {
  if (s.problem === 'binary') return Float32Array.from(binaryHead().activate(raw).data);
  if (s.problem === 'multiclass') return Float32Array.from(softmax(raw, -1, typeof s.temperature === 'number' ? s.temperature : 1).data);
  const act = s.regressionActivation;
  if (act === 'tanh' && typeof s.rangeA === 'number' && typeof s.rangeB === 'number') return Float32Array.from(regressionHead({ activation: 'tanh', range: [s.rangeA, s.rangeB] }).activate(raw).data);
  if (act === 'relu' || act === 'softplus') return Float32Array.from(regressionHead({ activation: act }).activate(raw).data);
  return Float32Array.from(raw.data);
}

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
