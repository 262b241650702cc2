// `neurite train`'s run folder before training: refuse a non-empty --out (unless --overwrite, and only
// for a run folder), or, with --resume, check the config against the run's and load its last state.
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainState } from '../../train/state.js';
import { cleanRunFolder, loadTrainState, readGenerationFile } from '../io/checkpoint.js';
import { CHECKPOINTS_DIR, CURRENT_FILE, readCurrent } from '../io/generation.js';
import type { ConfigRequest, TrainConfig } from './config.js';
import { CHOSEN_KEY } from './default-rule.js';
import { HISTORY_LOG, PROCESS_FILE } from './live-files.js';

/** Names a run folder may hold; --overwrite refuses to clear a folder with anything else in it. */
const RUN_ENTRIES = new Set([CURRENT_FILE, CHECKPOINTS_DIR, 'config.json', 'history.json', HISTORY_LOG, PROCESS_FILE, 'metrics.json', 'report.html', 'run.json', 'model.json', 'model.safetensors']);

/** Config keys a resume may change: more epochs (or fewer, down to those done) and the folder itself. */
export const RESUMABLE_KEYS = ['train.epochs', 'out'];

/** The final status a run folder records in run.json. */
export interface RunStatus {
  status: 'completed' | 'stopped' | 'diverged';
  epochs: number;
  reason?: string;
  bestEpoch?: number | null;
  exitCode: number;
}

/**
 * Makes `dir` ready for a fresh run: created if missing; an empty folder is fine; a non-empty one is
 * an error unless `overwrite`, which clears it only when it holds nothing but run-folder entries.
 * @example prepareFreshRun('runs/a', false)
 */
export function prepareFreshRun(dir: string, overwrite: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new Error(`--out ${dir}: exists and is not a folder; choose another --out`);
  const entries = readdirSync(dir);
  if (entries.length === 0) return;
  if (!overwrite) {
    throw new Error(`--out ${dir}: the folder is not empty (${entries.slice(0, 4).join(', ')}${entries.length > 4 ? ', …' : ''}); pass --overwrite to replace that run, or --resume ${dir} to continue it`);
  }
  const foreign = entries.filter((e) => !RUN_ENTRIES.has(e) && !(e.startsWith('.') && e.endsWith('.tmp')));
  if (foreign.length > 0) {
    throw new Error(`--out ${dir}: --overwrite only replaces neurite run folders, and this one also holds ${foreign.slice(0, 4).join(', ')}${foreign.length > 4 ? ', …' : ''}; choose another --out or remove them yourself`);
  }
  for (const e of entries) rmSync(join(dir, e), { recursive: true, force: true });
}

/** Leaf paths where two configs differ, as `path (old → new)`. @example configDifferences({ a: { b: 1 } }, { a: { b: 2 } }) // ['a.b (1 → 2)'] */
export function configDifferences(a: unknown, b: unknown, path = ''): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => configDifferences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${path} (${JSON.stringify(a) ?? 'absent'} → ${JSON.stringify(b) ?? 'absent'})`];
}

function readJson(path: string): unknown {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); is --resume a run folder made by neurite train?`); }
  try { return JSON.parse(text); } catch (e) { throw new Error(`${path}: not valid JSON (${(e as Error).message})`); }
}

/**
 * The run's saved config.json (the base a resume's flags apply to), without the default rule's notes
 * (its chosen values stay, so a resume trains with them).
 * @example savedConfig('runs/a').train.epochs
 */
export function savedConfig(dir: string): TrainConfig {
  const { [CHOSEN_KEY]: _notes, ...cfg } = readJson(join(dir, 'config.json')) as TrainConfig & { [CHOSEN_KEY]?: unknown };
  return cfg;
}

/**
 * Checks that `cfg` matches the run's config.json except RESUMABLE_KEYS, removes stale temp files and
 * generations, and loads the current generation's train state.
 * @example const state = prepareResume('runs/a', cfg);
 */
export function prepareResume(dir: string, cfg: ConfigRequest): TrainState {
  if (!existsSync(join(dir, 'config.json'))) throw new Error(`--resume ${dir}: not a run folder of neurite train (no config.json); pass the folder train wrote`);
  if (readCurrent(dir) === null) throw new Error(`--resume ${dir}: no checkpoint to resume (no ${CURRENT_FILE} file: the run was stopped before its first epoch was saved, or is a plain model folder); train it again with --overwrite`);
  const diffs = configDifferences(savedConfig(dir), cfg).filter((d) => !RESUMABLE_KEYS.some((k) => d.startsWith(`${k} `)));
  if (diffs.length > 0) {
    throw new Error(`--resume ${dir}: the config differs from the run's config.json at ${diffs.join(', ')}; resume with the run's settings (only train.epochs may change) or start a new run with --out`);
  }
  const status = existsSync(join(dir, 'run.json')) ? (readJson(join(dir, 'run.json')) as RunStatus) : null;
  if (status?.status === 'diverged' || status?.status === 'stopped') {
    throw new Error(`--resume ${dir}: the run ${status.status} after epoch ${status.epochs} (${status.reason ?? 'no reason recorded'}); there is nothing to continue — start a new run with other settings`);
  }
  cleanRunFolder(dir);
  const state = loadTrainState(dir);
  if (cfg.train.epochs !== null && state.epoch >= cfg.train.epochs) {
    throw new Error(`--resume ${dir}: the run has already trained ${state.epoch} of ${cfg.train.epochs} epochs; pass --epochs N with N > ${state.epoch} to train further`);
  }
  return state;
}

/**
 * The backend a run trained on (model.json's info.backend in the current generation), or null;
 * --resume uses it by default, since only the same backend continues bit-identically.
 * @example runBackend('runs/a') // 'wasm'
 */
export function runBackend(dir: string): string | null {
  try {
    const j = JSON.parse(readGenerationFile(dir, 'model.json').toString('utf8')) as { info?: { backend?: unknown } };
    return typeof j.info?.backend === 'string' ? j.info.backend : null;
  } catch {
    return null; // prepareResume reports a missing or damaged checkpoint with the file named
  }
}
