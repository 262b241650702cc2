// TrainState: everything fit() needs to continue a run exactly where it stopped (epoch, weights,
// optimizer moments, RNG streams, history, callbacks' and the divergence guard's state).
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { Rng, type RngState, defaultRng } from '../core/rng.js';
import { Module } from '../nn/module.js';
import type { EpochLog } from './callbacks.js';

/** JSON-safe values a callback may keep in its state. */
export type StateJson = null | boolean | number | string | StateJson[] | { [key: string]: StateJson };

/** A callback's saved state: JSON-safe values plus (optionally) tensors such as best weights. */
export interface CallbackState {
  json: StateJson;
  tensors?: Record<string, Tensor>;
}

/** An optimizer's checkpoint (Optimizer.stateDict()): its state leaves by dotted path and the step count. */
export interface OptimizerState {
  step: number;
  state: Record<string, Tensor>;
}

/** The divergence guard's memory: the lowest epoch training loss and that epoch's weights. */
export interface GuardState {
  best: number | null;
  bestEpoch: number;
  /** The first epoch's loss (a loss must also exceed it to count as diverged). */
  first?: number;
  bestWeights?: Record<string, Tensor>;
}

/**
 * A run's state after a completed epoch. `fit({ ..., resume: state })` continues from it and ends
 * with bit-for-bit the weights the uninterrupted run would have had.
 */
export interface TrainState {
  /** Epochs completed (1-based number of the last one). */
  epoch: number;
  /** Planned epochs when the state was taken. */
  epochs: number;
  history: EpochLog[];
  /** Set when the run stopped before `epochs` (early stopping, a callback); resuming it is refused. */
  stopReason?: string;
  /** The model's live parameters and buffers after `epoch` (copies). */
  model: Record<string, Tensor>;
  optimizer: OptimizerState | null;
  /** RNG positions: fit's shuffling stream, every stream a module owns (dropout, noise), the global one. */
  rng: { shuffle: RngState; modules: RngState[]; global: RngState };
  /** One entry per callback, in order (null for stateless callbacks). */
  callbacks: (CallbackState | null)[];
  guard: GuardState;
}

/**
 * Every Rng a module tree owns (Dropout masks, hypernetwork noise), in a fixed order: own fields
 * in declaration order, then submodules, depth first.
 * @example moduleRngs(nn.mlp({ sizes: [4, 8, 2], dropout: 0.5 })).length // 1
 */
export function moduleRngs(root: Module): Rng[] {
  const seen = new Set<unknown>();
  const out: Rng[] = [];
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Rng) { out.push(v); return; }
    if (Array.isArray(v)) { v.forEach(visit); return; }
    if (!(v instanceof Module)) return;
    for (const k of Object.keys(v)) visit((v as unknown as Record<string, unknown>)[k]);
    for (const [, c] of v.children()) visit(c);
  };
  visit(root);
  return out;
}

/** The RNG positions of a run (see TrainState.rng). @example const rng = captureRngs(model, shuffleRng) */
export function captureRngs(model: Module, shuffle: Rng): TrainState['rng'] {
  return { shuffle: shuffle.getState(), modules: moduleRngs(model).map((r) => r.getState()), global: defaultRng().getState() };
}

/** Puts every stream back; the module must own as many streams as when the state was taken. @example restoreRngs(model, shuffleRng, state.rng) */
export function restoreRngs(model: Module, shuffle: Rng, s: TrainState['rng']): void {
  const rngs = moduleRngs(model);
  if (rngs.length !== s.modules.length) {
    throw new ArgumentError('fit', `resume: the state has ${s.modules.length} module random streams but the model owns ${rngs.length}; was it saved from a different architecture (dropout, noise)?`);
  }
  shuffle.setState(s.shuffle);
  rngs.forEach((r, i) => r.setState(s.modules[i]!));
  defaultRng().setState(s.global);
}

/** Copies of every tensor in a record (a state must not alias live weights). @example const best = cloneTensors(model.stateDict()) */
export function cloneTensors(r: Record<string, Tensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(r).map(([k, t]) => [k, t.clone()]));
}
