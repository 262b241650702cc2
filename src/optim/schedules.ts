// Learning-rate schedules as pure functions of the step (or epoch) t = 0, 1, 2, ... (PyTorch's closed forms).
import { ArgumentError } from '../core/errors.js';
import { integer, nonNegative, positive } from './validate.js';

/** A learning rate as a function of the step or epoch t ≥ 0 (t = 0 is the first). */
export type Schedule = (t: number) => number;

function checkT(fn: string, t: number): number {
  if (!(Number.isFinite(t) && t >= 0)) throw new ArgumentError(fn, `step must be a finite number >= 0, got ${t}`);
  return t;
}

/**
 * η_t = η. @example constant(0.1)(7) // 0.1
 */
export function constant(lr: number): Schedule {
  positive('constant', 'lr', lr);
  return (t) => (checkT('constant', t), lr);
}

/**
 * PyTorch StepLR: η_t = η₀ · γ^⌊t / stepSize⌋.
 * @example stepLR(0.1, 3, 0.5)(3) // 0.05
 */
export function stepLR(lr0: number, stepSize: number, gamma = 0.1): Schedule {
  positive('stepLR', 'lr0', lr0);
  integer('stepLR', 'stepSize', stepSize, 1);
  positive('stepLR', 'gamma', gamma);
  return (t) => lr0 * gamma ** Math.floor(checkT('stepLR', t) / stepSize);
}

/**
 * PyTorch ExponentialLR: η_t = η₀ · γ^t.
 * @example exponentialLR(0.1, 0.9)(2) // 0.081
 */
export function exponentialLR(lr0: number, gamma: number): Schedule {
  positive('exponentialLR', 'lr0', lr0);
  positive('exponentialLR', 'gamma', gamma);
  return (t) => lr0 * gamma ** checkT('exponentialLR', t);
}

/**
 * PyTorch CosineAnnealingLR (closed form, periodic past tMax as PyTorch's recursion is):
 * η_t = η_min + (η₀ − η_min)(1 + cos(π t / T_max)) / 2.
 * @example cosineAnnealing(0.1, 10, 0.001)(5) // 0.0505
 */
export function cosineAnnealing(lr0: number, tMax: number, etaMin = 0): Schedule {
  positive('cosineAnnealing', 'lr0', lr0);
  integer('cosineAnnealing', 'tMax', tMax, 1);
  nonNegative('cosineAnnealing', 'etaMin', etaMin);
  return (t) => etaMin + ((lr0 - etaMin) * (1 + Math.cos((Math.PI * checkT('cosineAnnealing', t)) / tMax))) / 2;
}

/**
 * Linear warm-up then another schedule (PyTorch SequentialLR of LinearLR and `after`):
 * η_t = after(0) · (f + (1 − f) t / W) for t < W, else after(t − W), with f = startFactor.
 * @example linearWarmup(5, cosineAnnealing(0.1, 50))(0) // 0.1 / 3
 */
export function linearWarmup(warmupSteps: number, after: Schedule | number, startFactor = 1 / 3): Schedule {
  integer('linearWarmup', 'warmupSteps', warmupSteps, 1);
  const next = typeof after === 'number' ? constant(after) : after;
  if (typeof next !== 'function') throw new ArgumentError('linearWarmup', `after must be a schedule function or a number, got ${typeof after}`);
  if (!(startFactor > 0 && startFactor <= 1)) throw new ArgumentError('linearWarmup', `startFactor must be in (0, 1], got ${startFactor}`);
  return (t) => {
    checkT('linearWarmup', t);
    return t < warmupSteps ? next(0) * (startFactor + ((1 - startFactor) * t) / warmupSteps) : next(t - warmupSteps);
  };
}

