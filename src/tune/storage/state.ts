// The study state every storage keeps, as a fold over small operation records: the journal writes
// these records to its file and replays them; the memory storage applies them directly. Each
// contract method is a pure "decide the ops from the current state" step (ops.ts), applied here.
import type { StudyDefinition, TrialRecord, TrialResult } from './types.js';

/** One change to a study, as the journal stores it (one JSON line). `at` is an ISO time. */
export type StudyOp =
  | { op: 'study'; def: StudyDefinition }
  | { op: 'create'; study: string; trial: TrialRecord }
  | { op: 'claim'; study: string; number: number; worker: string; at: string }
  | { op: 'report'; study: string; number: number; step: number; value: number; at: string }
  | { op: 'heartbeat'; study: string; number: number; at: string }
  | { op: 'finish'; study: string; number: number; result: TrialResult; at: string }
  | { op: 'reap'; study: string; number: number; error: string; at: string };

/** The studies of one storage: definition and trials (index = trial number). */
export type StudiesState = Map<string, { def: StudyDefinition; trials: TrialRecord[] }>;

/** Raised when an op does not fit the state it is applied to (a corrupt or foreign journal). */
export class StudyStateError extends Error {
  constructor(message: string) { super(message); this.name = 'StudyStateError'; }
}

function trialOf(state: StudiesState, study: string, number: number): TrialRecord {
  const s = state.get(study);
  if (!s) throw new StudyStateError(`study '${study}' does not exist; open it first`);
  const t = s.trials[number];
  if (!t) throw new StudyStateError(`study '${study}' has no trial ${number} (it has ${s.trials.length})`);
  return t;
}

/**
 * Applies one op to `state` in place.
 * @example applyOp(state, { op: 'study', def: spec });
 */
export function applyOp(state: StudiesState, op: StudyOp): void {
  if (op.op === 'study') {
    if (!state.has(op.def.name)) state.set(op.def.name, { def: op.def, trials: [] });
    return;
  }
  if (op.op === 'create') {
    const s = state.get(op.study);
    if (!s) throw new StudyStateError(`trial ${op.trial.number} of study '${op.study}' comes before the study's definition`);
    if (op.trial.number !== s.trials.length) throw new StudyStateError(`study '${op.study}': trial ${op.trial.number} created where trial ${s.trials.length} was next`);
    s.trials.push(structuredClone(op.trial));
    return;
  }
  const t = trialOf(state, op.study, op.number);
  switch (op.op) {
    case 'claim': Object.assign(t, { state: 'running', worker: op.worker, startedAt: op.at, heartbeatAt: op.at }); return;
    case 'report': recordStep(t.intermediate, op.step, op.value); t.heartbeatAt = op.at; return;
    case 'heartbeat': t.heartbeatAt = op.at; return;
    case 'finish':
      Object.assign(t, { state: op.result.state, value: op.result.value, error: op.result.error ?? null, finishedAt: op.at });
      if (op.result.runDir !== undefined) t.runDir = op.result.runDir;
      if (op.result.attrs !== undefined) t.attrs = structuredClone(op.result.attrs);
      return;
    case 'reap': Object.assign(t, { state: 'failed', error: op.error, finishedAt: op.at }); return;
  }
}

/** A fresh trial record. */
export function newTrial(number: number, params: TrialRecord['params'], retryOf: number | null): TrialRecord {
  return { number, state: 'waiting', params, value: null, intermediate: [], retryOf, worker: null, startedAt: null, finishedAt: null, heartbeatAt: null, error: null, runDir: null, attrs: {} };
}

/** How many retries led to `t` (0 for an original trial). */
export function retryDepth(trials: readonly TrialRecord[], t: TrialRecord): number {
  let depth = 0;
  for (let cur = t; cur.retryOf !== null; cur = trials[cur.retryOf]!) depth++;
  return depth;
}

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/**
 * The first field where two definitions of one study differ, or null when they are equal.
 * @example definitionDifference(a, { ...a, maxTrials: 9 }) // 'maxTrials'
 */
export function definitionDifference(a: StudyDefinition, b: StudyDefinition): keyof StudyDefinition | null {
  for (const k of ['name', 'direction', 'metric', 'space', 'sampler', 'pruner', 'maxTrials', 'maxRetries'] as const) if (canonical(a[k]) !== canonical(b[k])) return k;
  return null;
}

/** Keep a trial's intermediate values in step order; a step reported again replaces its value (as PostgreSQL's upsert does). */
function recordStep(steps: TrialRecord['intermediate'], step: number, value: number): void {
  const at = steps.findIndex((s) => s.step >= step);
  if (at === -1) steps.push({ step, value });
  else if (steps[at]!.step === step) steps[at] = { step, value };
  else steps.splice(at, 0, { step, value });
}
