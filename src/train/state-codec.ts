// TrainState ⇄ (JSON, named tensors): what a checkpoint stores as state.json + state.safetensors.
import type { Tensor } from '../tensor/tensor.js';
import type { EpochLog } from './callbacks.js';
import type { CallbackState, StateJson, TrainState } from './state.js';

/** The `format` field of an encoded train state. */
export const TRAIN_STATE_FORMAT = 'neurite-train-state';

/** A TrainState's JSON part: everything but the tensors, which are listed by name. */
export interface TrainStateJSON {
  format: typeof TRAIN_STATE_FORMAT;
  version: 1;
  epoch: number;
  epochs: number;
  stopReason?: string;
  history: EpochLog[];
  optimizerStep: number | null;
  rng: TrainState['rng'];
  callbacks: ({ json: StateJson; tensors: string[] } | null)[];
  guard: { best: number | null; bestEpoch: number; first?: number; hasWeights: boolean };
}

/** Raised for a train state that cannot be read; names the file and what is wrong. */
export class TrainStateError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'TrainStateError';
  }
}

const prefixed = (p: string, r: Record<string, Tensor>): [string, Tensor][] => Object.entries(r).map(([k, t]) => [`${p}/${k}`, t]);

/**
 * Splits a state into JSON and tensors (`model/…`, `optimizer/…`, `callbacks/<i>/…`, `guard/…`).
 * Non-finite numbers in the history become null in JSON (a checkpointed history has none).
 * @example const { json, tensors } = encodeTrainState(result.state);
 */
export function encodeTrainState(s: TrainState): { json: TrainStateJSON; tensors: Record<string, Tensor> } {
  const tensors: [string, Tensor][] = [...prefixed('model', s.model), ...prefixed('optimizer', s.optimizer?.state ?? {}), ...prefixed('guard', s.guard.bestWeights ?? {})];
  const callbacks = s.callbacks.map((c, i) => {
    if (c === null) return null;
    tensors.push(...prefixed(`callbacks/${i}`, c.tensors ?? {}));
    return { json: c.json, tensors: Object.keys(c.tensors ?? {}) };
  });
  const json: TrainStateJSON = {
    format: TRAIN_STATE_FORMAT, version: 1, epoch: s.epoch, epochs: s.epochs, ...(s.stopReason ? { stopReason: s.stopReason } : {}),
    history: s.history, optimizerStep: s.optimizer?.step ?? null, rng: s.rng, callbacks,
    guard: { best: s.guard.best, bestEpoch: s.guard.bestEpoch, ...(s.guard.first !== undefined ? { first: s.guard.first } : {}), hasWeights: s.guard.bestWeights !== undefined },
  };
  return { json, tensors: Object.fromEntries(tensors) };
}

/** The tensors under `prefix/`, with the prefix removed. */
function under(prefix: string, tensors: Record<string, Tensor>): Record<string, Tensor> {
  const p = `${prefix}/`;
  return Object.fromEntries(Object.entries(tensors).filter(([k]) => k.startsWith(p)).map(([k, t]) => [k.slice(p.length), t]));
}

function need(file: string, ok: boolean, what: string): void {
  if (!ok) throw new TrainStateError(file, `${what}; the checkpoint is damaged or from another program — resume from an intact run folder or train again with --overwrite`);
}

/**
 * Rebuilds a TrainState from encodeTrainState's parts (as read back from files); `file` names the
 * source in errors.
 * @example const state = decodeTrainState(JSON.parse(text), decoded.tensors, 'runs/a/state.json');
 */
export function decodeTrainState(raw: unknown, tensors: Record<string, Tensor>, file = 'state.json'): TrainState {
  const j = raw as Partial<TrainStateJSON> | null;
  need(file, typeof j === 'object' && j !== null && j.format === TRAIN_STATE_FORMAT, `not a neurite train state (format ${JSON.stringify(j?.format)})`);
  need(file, j!.version === 1, `unsupported train-state version ${JSON.stringify(j!.version)} (this build reads 1)`);
  const s = j as TrainStateJSON;
  need(file, Number.isInteger(s.epoch) && s.epoch >= 0 && Number.isInteger(s.epochs) && s.epochs >= 1, `epoch ${JSON.stringify(s.epoch)} / epochs ${JSON.stringify(s.epochs)} must be integers`);
  need(file, Array.isArray(s.history) && s.history.length === s.epoch, `history must list ${s.epoch} epochs`);
  need(file, Array.isArray(s.callbacks) && typeof s.rng === 'object' && s.rng !== null && Array.isArray(s.rng.modules), 'callbacks and rng are missing');
  need(file, typeof s.guard === 'object' && s.guard !== null, 'guard is missing');
  const callbacks: (CallbackState | null)[] = s.callbacks.map((c, i) => {
    if (c === null) return null;
    const t = under(`callbacks/${i}`, tensors);
    need(file, Array.isArray(c.tensors) && c.tensors.every((k) => k in t), `callback ${i + 1}'s tensors are missing from the weights file`);
    return { json: c.json, ...(c.tensors.length ? { tensors: t } : {}) };
  });
  const model = under('model', tensors);
  need(file, Object.keys(model).length > 0, 'the state holds no model tensors');
  return {
    epoch: s.epoch, epochs: s.epochs, ...(s.stopReason ? { stopReason: s.stopReason } : {}), history: s.history, model,
    optimizer: s.optimizerStep === null ? null : { step: s.optimizerStep, state: under('optimizer', tensors) },
    rng: s.rng, callbacks,
    guard: { best: s.guard.best, bestEpoch: s.guard.bestEpoch, ...(s.guard.first !== undefined ? { first: s.guard.first } : {}), ...(s.guard.hasWeights ? { bestWeights: under('guard', tensors) } : {}) },
  };
}
