// The files of a study folder beside the trials' run folders: study.json (how the study was started,
// for --show and resumes), best-config.json (ready for neurite train --config) and the study table.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../data/atomic.js';
import type { StudySummary } from '../../tune/tune.js';
import type { TrialRecord } from '../../tune/storage/types.js';
import { toOverrides, applyOverrides, type SearchSpace } from '../../tune/space.js';
import type { StorageKind } from './storage-open.js';

/** study.json: what --show and the report need to find and read the study again. */
export interface StudyFile {
  name: string; storage: StorageKind; metric: string; direction: string; space: unknown; base: Record<string, unknown>;
  /** Folds per trial of a cross-validated study (absent: one run per trial). */
  cv?: number;
}

export const STUDY_FILE = 'study.json';
export const BEST_CONFIG_FILE = 'best-config.json';

const json = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';

/** Reads STUDY/study.json, or explains what the folder is missing. */
export function readStudyFile(dir: string): StudyFile {
  const path = join(dir, STUDY_FILE);
  if (!existsSync(path)) throw new Error(`tune: ${dir} is not a study folder (no ${STUDY_FILE}); pass the --study folder neurite tune wrote`);
  try { return JSON.parse(readFileSync(path, 'utf8')) as StudyFile; } catch (e) { throw new Error(`tune: ${path}: not valid JSON (${(e as Error).message})`); }
}

/** Writes STUDY/study.json (atomically). */
export async function writeStudyFile(dir: string, s: StudyFile): Promise<void> {
  await writeFileAtomic(join(dir, STUDY_FILE), json(s));
}

/**
 * The best trial's full training config: the base config with its sampled values, `out` cleared.
 * @example const cfg = bestConfig(result, parseSpace(config), base);
 */
export function bestConfig(best: TrialRecord, space: SearchSpace, base: Record<string, unknown>): Record<string, unknown> {
  return applyOverrides(base, { ...toOverrides(space, best.params), out: null });
}

/** Writes best-config.json when a trial completed; returns its path or null. */
export async function writeBestConfig(dir: string, summary: StudySummary, space: SearchSpace, base: Record<string, unknown>): Promise<string | null> {
  if (!summary.best) return null;
  const path = join(dir, BEST_CONFIG_FILE);
  await writeFileAtomic(path, json(bestConfig(summary.best, space, base)));
  return path;
}

const seconds = (t: TrialRecord): string => (t.startedAt && t.finishedAt ? `${((Date.parse(t.finishedAt) - Date.parse(t.startedAt)) / 1000).toFixed(1)} s` : t.state === 'running' ? 'running' : '');

function fmtParam(v: unknown): string {
  return typeof v === 'number' ? String(Number(v.toPrecision(4))) : JSON.stringify(v);
}

/** A cross-validated trial's per-fold values and their standard deviation (its attributes), or null. */
export function foldsOf(t: TrialRecord): { folds: number[]; std: number } | null {
  const a = t.attrs ?? {};
  return Array.isArray(a.folds) && a.folds.every((v) => typeof v === 'number') && typeof a.foldStd === 'number' ? { folds: a.folds as number[], std: a.foldStd } : null;
}

/**
 * The study table: one row per trial (number, state, metric, epochs, time, parameters), then the best;
 * a cross-validated study's metric reads mean ± std over the folds.
 * @example io.out(studyTable(result, parseSpace(config)));
 */
export function studyTable(summary: StudySummary, space: SearchSpace): string {
  const cv = summary.trials.some((t) => foldsOf(t) !== null);
  const width = cv ? 19 : 10;
  const cell = (t: TrialRecord, v: number | null | undefined): string => {
    const f = foldsOf(t);
    return v === undefined || v === null ? '' : f ? `${v.toFixed(4)} ± ${f.std.toFixed(4)}` : v.toFixed(4);
  };
  const head = `${'trial'.padStart(5)}  ${'state'.padEnd(8)}  ${(cv ? `${summary.metric} ± fold std` : summary.metric).padStart(width)}  ${'epochs'.padStart(6)}  ${'time'.padStart(8)}  params`;
  const rows = summary.trials.map((t) => {
    const v = t.value ?? t.intermediate.at(-1)?.value;
    const params = Object.entries(toOverrides(space, t.params)).map(([k, x]) => `${k}=${fmtParam(x)}`).join(' ');
    const notes = [t.retryOf !== null ? `retry of ${t.retryOf}` : '', t.state === 'failed' && t.error ? t.error.slice(0, 160) : ''].filter(Boolean);
    const note = notes.length ? `  (${notes.join('; ')})` : '';
    return `${String(t.number).padStart(5)}  ${t.state.padEnd(8)}  ${cell(t, v).padStart(width)}  ${String(t.intermediate.length).padStart(6)}  ${seconds(t).padStart(8)}  ${params}${note}`;
  });
  const c = summary.counts;
  const tail = `${summary.trials.length} trials: ${c.complete} complete, ${c.pruned} pruned, ${c.failed} failed, ${c.running} running, ${c.waiting} waiting; ${summary.steps} epochs in all`;
  const bestFolds = summary.best ? foldsOf(summary.best) : null;
  const best = summary.best ? `best: trial ${summary.best.number}, ${summary.metric} ${cell(summary.best, summary.best.value)}${bestFolds ? ` (mean over ${bestFolds.folds.length} folds: ${bestFolds.folds.map((v) => v.toFixed(4)).join(', ')})` : ''}${summary.best.runDir ? `  → ${summary.best.runDir}` : ''}` : 'best: no trial has completed yet';
  return [head, ...rows, tail, best].join('\n') + '\n';
}
