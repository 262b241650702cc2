// Argument checks of the PostgreSQL study storage's calls, and the message saying why a trial a
// worker reports on is no longer running (reaped as stale, finished, or queued again as another).
import type { PoolClient } from 'pg';
import { ArgumentError } from '../../core/errors.js';
import type { TrialResult } from '../../tune/storage/types.js';

const FINAL_STATES = new Set(['complete', 'pruned', 'failed']);

function checkTrialNumber(op: string, trial: number): void {
  if (!Number.isInteger(trial) || trial < 0) throw new ArgumentError(op, `trial must be a trial number (an integer >= 0), got ${String(trial)}`);
}

/** A worker id must be a non-empty string such as `host:pid`. */
export function checkWorker(worker: string): void {
  if (typeof worker !== 'string' || worker === '') throw new ArgumentError('claimTrial', `worker must be a non-empty string such as 'host:pid', got ${JSON.stringify(worker)}`);
}

/** reportIntermediate's trial, step (an epoch, 1-based) and value (a number; NaN is stored as reported). */
export function checkReport(trial: number, step: number, value: number): void {
  checkTrialNumber('reportIntermediate', trial);
  if (!Number.isInteger(step) || step < 1) throw new ArgumentError('reportIntermediate', `step must be an epoch number (an integer >= 1), got ${String(step)}`);
  if (typeof value !== 'number') throw new ArgumentError('reportIntermediate', `value must be a number, got ${JSON.stringify(value)}`);
}

/** finishTrial's trial and result: a final state, a number or null, optional strings. */
export function checkFinish(trial: number, result: TrialResult): void {
  checkTrialNumber('finishTrial', trial);
  if (!FINAL_STATES.has(result?.state)) {
    throw new ArgumentError('finishTrial', `result.state must be 'complete', 'pruned' or 'failed', got ${JSON.stringify(result?.state)}`);
  }
  if (result.value !== null && typeof result.value !== 'number') throw new ArgumentError('finishTrial', `result.value must be a number or null, got ${JSON.stringify(result.value)}`);
  if (result.state === 'complete' && result.value === null) throw new ArgumentError('finishTrial', 'a complete trial needs its objective value (result.value is null)');
  for (const key of ['error', 'runDir'] as const) {
    const v = result[key];
    if (v != null && typeof v !== 'string') throw new ArgumentError('finishTrial', `result.${key} must be a string or null, got ${JSON.stringify(v)}`);
  }
  const a = result.attrs;
  if (a !== undefined && (typeof a !== 'object' || a === null || Array.isArray(a))) throw new ArgumentError('finishTrial', `result.attrs must be a JSON object, got ${JSON.stringify(a)}`);
}

/** reapStale's staleness (milliseconds >= 0) and dead worker ids. */
export function checkReap(staleMs: number, deadWorkers: readonly string[]): void {
  if (typeof staleMs !== 'number' || !(staleMs >= 0) || staleMs === Infinity) throw new ArgumentError('reapStale', `staleMs must be a finite number of milliseconds >= 0, got ${String(staleMs)}`);
  if (!Array.isArray(deadWorkers) || deadWorkers.some((w) => typeof w !== 'string')) throw new ArgumentError('reapStale', 'deadWorkers must be an array of worker ids (strings)');
}

/**
 * Why trial `trial` of `study` is not running by this worker: its state, who ran it, the reaper's
 * note, and the trial that retries its parameters.
 */
export async function describeNotRunning(c: PoolClient, s: string, op: string, study: string, trial: number): Promise<string> {
  const r = await c.query<{ state: string; worker: string | null; error: string | null; retry: number | null }>(
    `SELECT t.state, t.worker, t.error, (SELECT min(r.number) FROM ${s}.trials r WHERE r.study_id = t.study_id AND r.retry_of = t.number) AS retry
       FROM ${s}.trials t JOIN ${s}.studies st ON st.id = t.study_id WHERE st.name = $1 AND t.number = $2`,
    [study, trial],
  );
  const row = r.rows[0];
  if (!row) return `${op}: study '${study}' has no trial ${trial}`;
  const why = row.error ? `: ${row.error}` : '';
  const retry = row.retry === null ? '' : `; its parameters were queued again as trial ${row.retry}`;
  return `${op}: trial ${trial} of study '${study}' is ${row.state}, no longer running by this worker${why}${retry}; stop it: nothing more of it is recorded`;
}
