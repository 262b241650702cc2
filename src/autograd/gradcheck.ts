// Gradient checks for users and tests: full-Jacobian central differences, and a random-direction
// VJP check for tensors too large for a full Jacobian. PyTorch's defaults: eps 1e-6, atol 1e-5, rtol 1e-3.
import type { Tensor } from '../tensor/tensor.js';
import { tensorOf } from '../ops/make.js';
import { ArgumentError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { backward, noGrad } from './graph.js';
import { allocate } from '../core/dtype.js';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw on the first mismatch (default true); otherwise report it in the result. */
  raise?: boolean;
}

export interface GradcheckResult {
  ok: boolean;
  /** Largest |analytic - numeric| seen. */
  maxAbsError: number;
  /** Description of the first mismatch, if any. */
  failure?: string;
}

type Fn = (...inputs: Tensor[]) => Tensor;

function checkInputs(op: string, inputs: readonly Tensor[]): void {
  inputs.forEach((t, i) => {
    if (t.dtype !== 'float64') throw new ArgumentError(op, `input ${i} is ${t.dtype}; finite differences need float64 (use x.cast('float64'))`);
    if (!t.isLeaf) throw new ArgumentError(op, `input ${i} is not a leaf tensor; pass leaves (e.g. x.detach().requireGrad())`);
  });
  if (!inputs.some((t) => t.requiresGrad)) throw new ArgumentError(op, 'no input has requiresGrad set: nothing to check');
}

function evalFlat(fn: Fn, inputs: Tensor[]): Float64Array {
  return Float64Array.from(noGrad(() => fn(...inputs)).data);
}

function close(a: number, n: number, atol: number, rtol: number): boolean {
  return Math.abs(a - n) <= atol + rtol * Math.abs(n) || (Number.isNaN(a) && Number.isNaN(n));
}

function finish(op: string, result: GradcheckResult, raise: boolean): GradcheckResult {
  if (!result.ok && raise) throw new Error(`${op}: ${result.failure}`);
  return result;
}

/**
 * Compares the full Jacobian from backward() with central differences, for every input that
 * requires grad. Inputs must be float64 leaves.
 *
 * @example
 * const x = randn([3], { dtype: 'float64', requiresGrad: true });
 * gradcheck((x) => x.tanh().mul(x), [x]).ok   // true
 */
export function gradcheck(fn: Fn, inputs: Tensor[], opts: GradcheckOptions = {}): GradcheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raise = true } = opts;
  checkInputs('gradcheck', inputs);
  const outSize = evalFlat(fn, inputs).length;
  const analytic = inputs.map((t) => (t.requiresGrad ? new Float64Array(outSize * t.size) : null));
  for (let j = 0; j < outSize; j++) {
    inputs.forEach((t) => (t.grad = null));
    const out = fn(...inputs);
    if (!out.requiresGrad) continue;
    const seed = tensorOf(out, allocate('float64', outSize), out.shape);
    seed.data[j] = 1;
    backward(out, seed);
    inputs.forEach((t, i) => t.grad && analytic[i]!.set(t.grad.data, j * t.size));
  }
  inputs.forEach((t) => (t.grad = null));
  let maxAbsError = 0;
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i]!;
    if (!t.requiresGrad) continue;
    for (let e = 0; e < t.size; e++) {
      const orig = t.data[e]!;
      t.data[e] = orig + eps;
      const plus = evalFlat(fn, inputs);
      t.data[e] = orig - eps;
      const minus = evalFlat(fn, inputs);
      t.data[e] = orig;
      for (let j = 0; j < outSize; j++) {
        const num = (plus[j]! - minus[j]!) / (2 * eps);
        const ana = analytic[i]![j * t.size + e]!;
        maxAbsError = Math.max(maxAbsError, Math.abs(ana - num));
        if (!close(ana, num, atol, rtol)) {
          const failure = `input ${i} element ${e}, output ${j}: analytic ${ana} vs numeric ${num}`;
          return finish('gradcheck', { ok: false, maxAbsError, failure }, raise);
        }
      }
    }
  }
  return { ok: true, maxAbsError };
}

/**
 * Random-direction check for large tensors: with random u (output) and v (inputs), compares
 * ⟨Jᵀu, v⟩ from backward() with (⟨u, f(x+εv)⟩ - ⟨u, f(x-εv)⟩) / 2ε. Cost: 1 backward + 2 forwards per trial.
 *
 * @example gradcheckVjp((w) => x.matmul(w).tanh(), [w], { trials: 3 })
 */
export function gradcheckVjp(fn: Fn, inputs: Tensor[], opts: GradcheckOptions & { trials?: number; seed?: number } = {}): GradcheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raise = true, trials = 3, seed = 0 } = opts;
  checkInputs('gradcheckVjp', inputs);
  const rng = new Rng(seed);
  let maxAbsError = 0;
  for (let trial = 0; trial < trials; trial++) {
    inputs.forEach((t) => (t.grad = null));
    const out = fn(...inputs);
    const u = tensorOf(out, Float64Array.from({ length: out.size }, () => rng.normal()), out.shape);
    const v = inputs.map((t) => Float64Array.from({ length: t.size }, () => (t.requiresGrad ? rng.normal() : 0)));
    backward(out, u);
    let ana = 0;
    inputs.forEach((t, i) => { if (t.grad) for (let e = 0; e < t.size; e++) ana += t.grad.data[e]! * v[i]![e]!; });
    const shifted = (sign: number): number => {
      const saved = inputs.map((t) => Float64Array.from(t.data));
      inputs.forEach((t, i) => { for (let e = 0; e < t.size; e++) t.data[e] = saved[i]![e]! + sign * eps * v[i]![e]!; });
      const y = evalFlat(fn, inputs);
      inputs.forEach((t, i) => t.data.set(saved[i]!));
      return y.reduce((s, val, j) => s + val * u.data[j]!, 0);
    };
    const num = (shifted(1) - shifted(-1)) / (2 * eps);
    maxAbsError = Math.max(maxAbsError, Math.abs(ana - num));
    if (!close(ana, num, atol, rtol)) {
      return finish('gradcheckVjp', { ok: false, maxAbsError, failure: `trial ${trial}: ⟨Jᵀu, v⟩ ${ana} vs numeric ${num}` }, raise);
    }
  }
  inputs.forEach((t) => (t.grad = null));
  return { ok: true, maxAbsError };
}
