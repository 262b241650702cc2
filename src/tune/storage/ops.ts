// The contract's decisions as pure functions of the study state: which ops a claim, report, finish or
// reap appends. Storages call them inside their own atomic section (a lock, a transaction).
import { type StudiesState, type StudyOp, definitionDifference, newTrial, retryDepth } from './state.js';
import { TRIAL_NOT_RUNNING } from './not-running.js';
import type { ProposeParams, StudyDefinition, TrialRecord, TrialResult } from './types.js';

/** Raised when a storage call breaks the contract (unknown study, a trial not running by this worker). */
export class StudyStorageError extends Error {
  constructor(message: string) { super(message); this.name = 'StudyStorageError'; }
}

/** A report, heartbeat or finish for a trial this handle no longer holds (reaped, finished, or never claimed here). */
class TrialNotRunning extends StudyStorageError {
  readonly code = TRIAL_NOT_RUNNING;
}

function studyOf(state: StudiesState, study: string): { def: StudyDefinition; trials: TrialRecord[] } {
  const s = state.get(study);
  if (!s) throw new StudyStorageError(`study '${study}' does not exist in this storage; openStudy creates it`);
  return s;
}

/**
 * The ops that create `def`, or none when it exists with an equal definition; a differing one is an error naming the field.
 * @example openOps(new Map(), spec) // [{ op: 'study', def: spec }]
 */
export function openOps(state: StudiesState, def: StudyDefinition): StudyOp[] {
  const old = state.get(def.name);
  if (!old) return [{ op: 'study', def: structuredClone(def) }];
  const diff = definitionDifference(old.def, def);
  if (diff !== null) {
    throw new StudyStorageError(`study '${def.name}' exists with a different ${diff}: stored ${JSON.stringify(old.def[diff])}, given ${JSON.stringify(def[diff])}; use the stored settings to continue it, or start a new study (another --study folder or name)`);
  }
  return [];
}

/** Trials that count against maxTrials: complete, pruned, running or waiting. */
export const countsAgainstBudget = (t: TrialRecord): boolean => t.state !== 'failed';

/**
 * A claim: the oldest waiting trial, else a new trial from `propose` while the budget allows, else null.
 * @example const { ops, trial } = claimOps(state, 'study', 'host:12', () => ({ x: 1 }), new Date().toISOString());
 */
export function claimOps(state: StudiesState, study: string, worker: string, propose: ProposeParams, at: string): { ops: StudyOp[]; trial: TrialRecord | null } {
  const s = studyOf(state, study);
  const waiting = s.trials.find((t) => t.state === 'waiting');
  if (waiting) return { ops: [{ op: 'claim', study, number: waiting.number, worker, at }], trial: waiting };
  if (s.trials.filter(countsAgainstBudget).length >= s.def.maxTrials) return { ops: [], trial: null };
  const trial = newTrial(s.trials.length, propose(s.trials), null);
  return { ops: [{ op: 'create', study, trial }, { op: 'claim', study, number: trial.number, worker, at }], trial };
}

/** Checks that trial `number` is running by `worker` (the worker this storage handle claimed it for). */
export function checkRunning(state: StudiesState, study: string, number: number, worker: string | undefined, what: string): TrialRecord {
  const t = studyOf(state, study).trials[number];
  if (!t) throw new StudyStorageError(`${what}: study '${study}' has no trial ${number}`);
  if (t.state !== 'running' || worker === undefined || t.worker !== worker) {
    const why = t.state === 'running' ? `it is running on ${t.worker}, not claimed through this storage handle` : `it is ${t.state}${t.error ? ` (${t.error})` : ''}`;
    throw new TrialNotRunning(`${what}: trial ${number} of study '${study}' is not running by this worker: ${why}; its result is not recorded`);
  }
  return t;
}

/** A trial's attributes must be a plain JSON object (they are stored as JSON). @example checkAttrs({ folds: [0.2, 0.3] }) */
export function checkAttrs(attrs: unknown): Record<string, unknown> {
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) throw new StudyStorageError(`finishTrial: result.attrs must be a JSON object, got ${JSON.stringify(attrs)}`);
  const text = JSON.stringify(attrs);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The finish op of a running trial (checked by checkRunning first). */
export function finishOp(study: string, number: number, result: TrialResult, at: string): StudyOp {
  if (!['complete', 'pruned', 'failed'].includes(result.state)) throw new StudyStorageError(`finishTrial: state must be complete, pruned or failed, got ${JSON.stringify(result.state)}`);
  if (result.state === 'complete' && (typeof result.value !== 'number' || !Number.isFinite(result.value))) throw new StudyStorageError(`finishTrial: a complete trial needs a finite value, got ${JSON.stringify(result.value)} (report NaN/Inf as failed)`);
  return { op: 'finish', study, number, result: { state: result.state, value: result.value, error: result.error ?? null, ...(result.runDir !== undefined ? { runDir: result.runDir } : {}), ...(result.attrs !== undefined ? { attrs: checkAttrs(result.attrs) } : {}) }, at };
}

/**
 * Reaping: running trials with a heartbeat older than `staleMs` (or a worker in `deadWorkers`) fail,
 * and each is queued again as a new waiting trial (params copied, retryOf set) while retries are left.
 * @example reapOps(state, 'study', 60_000, ['host:4242'], Date.now())
 */
export function reapOps(state: StudiesState, study: string, staleMs: number, deadWorkers: readonly string[], nowMs: number): { ops: StudyOp[]; reaped: number[] } {
  const s = studyOf(state, study);
  const at = new Date(nowMs).toISOString();
  const ops: StudyOp[] = [], reaped: number[] = [];
  let next = s.trials.length;
  for (const t of s.trials) {
    if (t.state !== 'running') continue;
    const dead = t.worker !== null && deadWorkers.includes(t.worker);
    const age = nowMs - Date.parse(t.heartbeatAt ?? t.startedAt ?? at);
    if (!dead && !(age > staleMs)) continue;
    const error = dead ? `worker ${t.worker} died (process gone)` : `worker ${t.worker} stopped sending heartbeats (last ${Math.round(age / 1000)} s ago, limit ${Math.round(staleMs / 1000)} s)`;
    ops.push({ op: 'reap', study, number: t.number, error, at });
    reaped.push(t.number);
    if (retryDepth(s.trials, t) < s.def.maxRetries) ops.push({ op: 'create', study, trial: newTrial(next++, structuredClone(t.params), t.number) });
  }
  return { ops, reaped };
}
