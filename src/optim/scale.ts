// Scaling pieces: constant factor, schedule factor, the injectable learning rate, and weight decay.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { add, mul } from '../ops/elementwise.js';
import { type ParamTree, map } from '../tree/tree.js';
import { type GradientTransformation, type LearningRateField, counter, needParams, transformation, zipLeaves } from './transform.js';
import type { Schedule } from './schedules.js';
import { nonNegative, positive } from './validate.js';

/** State key of a settable learning rate (Optimizer.lr reads and writes it). */
export const LR_KEY = 'learningRate';
/** State key of a learning rate that follows a schedule (Optimizer.lr reads it only). */
export const SCHEDULED_LR_KEY = 'scheduledLearningRate';

/** A learning rate: a number, or a schedule of the update count (0 on the first update). */
export type LearningRate = number | Schedule;

/**
 * u ← c · u (stateless).
 * @example chain(scaleByAdam(), scale(-1e-3))
 */
export function scale(factor: number): GradientTransformation<Record<string, never>> {
  if (!Number.isFinite(factor)) throw new ArgumentError('scale', `factor must be a finite number, got ${factor}`);
  return transformation(() => ({}), (u, state) => ({ updates: map(u, (t) => mul(t, factor)), state }));
}

/**
 * u ← f(t) · u where t counts the updates done before this one (0 on the first).
 * Adagrad's lr_decay is `scaleBySchedule((t) => 1 / (1 + t · decay))`.
 * @example scaleBySchedule((t) => 0.5 ** t)
 */
export function scaleBySchedule(factor: (t: number) => number): GradientTransformation<{ count: Tensor }> {
  if (typeof factor !== 'function') throw new ArgumentError('scaleBySchedule', `factor must be a function of the step, got ${typeof factor}`);
  return transformation(() => ({ count: counter(0) }), (u, state) => {
    const t = state.count.item();
    const c = factor(t);
    if (!Number.isFinite(c)) throw new ArgumentError('scaleBySchedule', `the factor at step ${t} is ${c}; it must be finite`);
    return { updates: map(u, (x) => mul(x, c)), state: { count: counter(t + 1) } };
  });
}

/**
 * u ← −η · u, with η kept in state so it can be changed between steps (Optimizer.lr,
 * ReduceLROnPlateau) and saved in checkpoints. With a schedule, η = schedule(t) on update t
 * (t = 0 first), and the state records the value last used.
 * @example chain(scaleByAdam(), scaleByLearningRate(1e-3))
 */
export function scaleByLearningRate(lr: LearningRate): GradientTransformation {
  const fn = 'scaleByLearningRate';
  const apply = (u: ParamTree, eta: number): ParamTree => map(u, (x) => mul(x, -eta));
  if (typeof lr === 'function') {
    const tx = transformation(() => ({ count: counter(0), [SCHEDULED_LR_KEY]: counter(lr(0)) }), (u, state) => {
      const t = state.count.item();
      const eta = lr(t);
      if (!(Number.isFinite(eta) && eta >= 0)) throw new ArgumentError(fn, `the learning-rate schedule gave ${eta} at step ${t}; it must be a finite number >= 0`);
      return { updates: apply(u, eta), state: { count: counter(t + 1), [SCHEDULED_LR_KEY]: counter(eta) } };
    });
    const scheduled: LearningRateField<{ count: Tensor; [SCHEDULED_LR_KEY]: Tensor }> = {
      scheduled: true,
      get: (state) => state[SCHEDULED_LR_KEY].item(),
      set: () => { throw new ArgumentError('Optimizer.lr', 'the learning rate follows a schedule given to the optimizer; pass a number lr to set it here, or change the schedule'); },
    };
    return { ...tx, lr: scheduled } as GradientTransformation;
  }
  positive(fn, 'lr', lr);
  const tx = transformation(() => ({ [LR_KEY]: counter(lr) }), (u, state) => ({ updates: apply(u, state[LR_KEY].item()), state }));
  const fixed: LearningRateField<{ [LR_KEY]: Tensor }> = {
    scheduled: false, get: (state) => state[LR_KEY].item(), set: (state, value) => ({ ...state, [LR_KEY]: counter(value) }),
  };
  return { ...tx, lr: fixed } as GradientTransformation;
}

function decay(fn: string, weightDecay: number): GradientTransformation<Record<string, never>> {
  nonNegative(fn, 'weightDecay', weightDecay);
  return transformation(() => ({}), (u, state, params) => {
    if (weightDecay === 0) return { updates: u, state };
    const [updates] = zipLeaves(fn, 1, [u, needParams(fn, params)], ([x, p]) => [add(x!, mul(p!, weightDecay))]);
    return { updates: updates!, state };
  });
}

/**
 * Decoupled weight decay (AdamW): u ← u + λ p, placed AFTER the scaling and before the learning
 * rate, so p ← p − η(u + λ p) = p(1 − ηλ) − η u as PyTorch's AdamW.
 * @example chain(scaleByAdam(), addDecayedWeights(0.01), scaleByLearningRate(1e-3))
 */
export function addDecayedWeights(weightDecay: number): GradientTransformation<Record<string, never>> {
  return decay('addDecayedWeights', weightDecay);
}

/**
 * Coupled L2 weight decay (SGD/Adam `weight_decay`): g ← g + λ p, placed FIRST so the moments see it.
 * Same arithmetic as addDecayedWeights; the position in the chain is what differs.
 * @example chain(addWeightDecay(1e-4), scaleByAdam(), scaleByLearningRate(1e-3))
 */
export function addWeightDecay(weightDecay: number): GradientTransformation<Record<string, never>> {
  return decay('addWeightDecay', weightDecay);
}
