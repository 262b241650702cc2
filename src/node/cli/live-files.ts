// Files a run folder gets while it trains, for `neurite board` to follow it: history.jsonl (one epoch
// log per line, appended as each epoch ends) and process.json (which process trains it, from where).
import { appendFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Callback, EpochLog } from '../../train/callbacks.js';
import { writeFileAtomic } from '../data/atomic.js';

/** The growing history: one JSON epoch log per line, `\n`-terminated (a line without one is not yet complete). */
export const HISTORY_LOG = 'history.jsonl';
/** Who trains the run: `{ pid, host, started }`. */
export const PROCESS_FILE = 'process.json';

/** What process.json holds. */
export interface RunProcess { pid: number; host: string; started: string }

/**
 * Starts the live files of a run: process.json, and history.jsonl holding `history` (the epochs a
 * resumed run already has; none for a fresh run). Both are written atomically.
 * @example await startLiveFiles('runs/a', []);
 */
export async function startLiveFiles(dir: string, history: readonly EpochLog[]): Promise<void> {
  const proc: RunProcess = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  await writeFileAtomic(join(dir, PROCESS_FILE), JSON.stringify(proc) + '\n');
  await writeFileAtomic(join(dir, HISTORY_LOG), history.map((h) => JSON.stringify(h) + '\n').join(''));
}

/**
 * A fit() callback appending each epoch's log to RUN/history.jsonl as one line (one write call, so a
 * reader sees whole lines or a torn last line, which it skips until it is complete).
 * @example fit({ ...options, callbacks: [historyLog('runs/a'), modelCheckpoint('runs/a', bundle)] })
 */
export function historyLog(dir: string): Callback {
  return { onEpochEnd: (_ctx, log) => appendFileSync(join(dir, HISTORY_LOG), JSON.stringify(log) + '\n') };
}
