// `neurite board`'s view of run folders: config, history (final history.json, or the growing
// history.jsonl of a run still training), metrics and status, read so that a missing file, a torn
// last line or a damaged file never throws: what cannot be read becomes a warning on the run.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { EpochLog } from '../../train/callbacks.js';
import { HISTORY_LOG, PROCESS_FILE, type RunProcess } from '../cli/live-files.js';

/** How a run stands: still training, finished (completed or early-stopped), diverged, or failed (ended without finishing). */
export type BoardStatus = 'training' | 'done' | 'diverged' | 'failed';

/** One run as the board shows it. */
export interface RunView {
  name: string;
  dataset: string;
  status: BoardStatus;
  /** Why it stopped, diverged or failed, when known. */
  reason?: string;
  /** Epochs planned (config.json) and logged so far. */
  plannedEpochs: number | null;
  epochs: number;
  config: Record<string, unknown> | null;
  metrics: Record<string, Record<string, number>> | null;
  history: EpochLog[];
  /** Last change of the run's files (ms since 1970). */
  updated: number;
  /** What could not be read, naming the file. */
  warnings: string[];
}

/** A run still writing to history.jsonl from another host counts as training for this long after its last line. */
export const STALE_MS = 10 * 60 * 1000;

type Json = Record<string, unknown>;

/** A JSON file's object, or null with a warning (absent files warn only when `required`). */
function readJsonFile(path: string, warnings: string[], required: boolean): Json | null {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) {
    if (required || (e as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return null;
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null) return v as Json;
    warnings.push(`${path}: not a JSON object`);
  } catch (e) { warnings.push(`${path}: not valid JSON (${(e as Error).message})`); }
  return null;
}

const isEpochLog = (v: unknown): v is EpochLog => typeof v === 'object' && v !== null && typeof (v as EpochLog).epoch === 'number' && typeof (v as EpochLog).metrics === 'object';

/**
 * The epoch logs of a history.jsonl text: whole lines only (a last line without its newline is still
 * being written and is left for the next read); a damaged whole line is skipped with a warning.
 * @example parseHistoryLog('{"epoch":1,"loss":1,"metrics":{}}\n{"epo', 'h.jsonl', []) // [{ epoch: 1, … }]
 */
export function parseHistoryLog(text: string, file: string, warnings: string[]): EpochLog[] {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const out: EpochLog[] = [];
  complete.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const v = JSON.parse(line) as unknown;
      if (isEpochLog(v)) out.push(v);
      else warnings.push(`${file} line ${i + 1}: not an epoch log`);
    } catch { warnings.push(`${file} line ${i + 1}: not valid JSON; skipped`); }
  });
  return out;
}

/** history.json when the run wrote it (finished), else the growing history.jsonl, else none. */
function readHistory(dir: string, warnings: string[]): EpochLog[] {
  const final = join(dir, 'history.json');
  if (existsSync(final)) {
    try {
      const v = JSON.parse(readFileSync(final, 'utf8')) as unknown;
      if (Array.isArray(v)) return v.filter(isEpochLog);
      warnings.push(`${final}: not a list of epoch logs`);
    } catch (e) { warnings.push(`${final}: ${(e as Error).message}`); }
  }
  const log = join(dir, HISTORY_LOG);
  try { return parseHistoryLog(readFileSync(log, 'utf8'), log, warnings); } catch { return []; }
}

/** Whether process `pid` exists on this machine. */
function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Status from run.json, or, while it is absent, from whether the training process still runs. */
function statusOf(dir: string, updated: number, warnings: string[]): { status: BoardStatus; reason?: string } {
  const run = readJsonFile(join(dir, 'run.json'), warnings, false);
  if (run !== null) {
    const reason = typeof run.reason === 'string' ? { reason: run.reason } : {};
    if (run.status === 'diverged') return { status: 'diverged', ...reason };
    if (run.status === 'completed' || run.status === 'stopped') return { status: 'done', ...reason };
    return { status: 'failed', reason: `run.json has status ${JSON.stringify(run.status)}` };
  }
  const proc = readJsonFile(join(dir, PROCESS_FILE), warnings, false) as Partial<RunProcess> | null;
  if (proc === null || typeof proc.pid !== 'number') return { status: 'failed', reason: 'no run.json and no process.json: the run ended before it finished, or was made by an older neurite' };
  if (proc.host !== hostname()) {
    return Date.now() - updated < STALE_MS ? { status: 'training' } : { status: 'failed', reason: `no new epoch for ${Math.round((Date.now() - updated) / 60000)} min from ${String(proc.host)}` };
  }
  if (alive(proc.pid)) return { status: 'training' };
  return { status: 'failed', reason: `the training process (pid ${proc.pid}) ended without finishing (killed or crashed); neurite train --resume ${dir} continues it` };
}

/** Newest modification time among the files that change while a run trains. */
function updatedAt(dir: string): number {
  let t = 0;
  for (const f of ['run.json', HISTORY_LOG, 'history.json', 'config.json']) {
    try { t = Math.max(t, statSync(join(dir, f)).mtimeMs); } catch { /* absent */ }
  }
  return t;
}

/**
 * Reads one run folder for the board; never throws for a damaged or half-written run.
 * @example readRun('runs', 'iris-1').status // 'done'
 */
export function readRun(root: string, name: string): RunView {
  const dir = join(root, name), warnings: string[] = [];
  const config = readJsonFile(join(dir, 'config.json'), warnings, true);
  const data = (config?.data ?? {}) as { dataset?: unknown; csv?: unknown };
  const train = (config?.train ?? {}) as { epochs?: unknown };
  const history = readHistory(dir, warnings);
  const updated = updatedAt(dir);
  const metrics = readJsonFile(join(dir, 'metrics.json'), warnings, false) as RunView['metrics'];
  const dataset = typeof data.csv === 'string' && data.csv ? data.csv : typeof data.dataset === 'string' ? data.dataset : '?';
  return {
    name, dataset, ...statusOf(dir, updated, warnings), plannedEpochs: typeof train.epochs === 'number' ? train.epochs : null,
    epochs: history.length, config, metrics, history, updated, warnings,
  };
}

/**
 * The run folders directly inside `root` (folders holding a config.json), newest first.
 * @example listRuns('runs').map((r) => r.name)
 */
export function listRuns(root: string): RunView[] {
  let names: string[];
  try { names = readdirSync(root); } catch { return []; }
  const runs = names.filter((n) => !n.startsWith('.') && existsSync(join(root, n, 'config.json'))).map((n) => readRun(root, n));
  return runs.sort((a, b) => b.updated - a.updated || a.name.localeCompare(b.name));
}
