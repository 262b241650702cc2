// The tuning studies `neurite board` shows: the board folder itself when it is a study folder, and
// its subfolders that are (each holds the study.json of `neurite tune`). Journal studies are read
// without the lock and never written; a study in PostgreSQL shows what study.json says.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJournal } from '../tune/journal.js';
import { STUDY_FILE, type StudyFile, readStudyFile } from '../tune/study-files.js';
import { STUDY_REPORT } from '../tune/study-report.js';
import { summarize } from '../../tune/tune.js';
import type { Direction, TrialState } from '../../tune/storage/types.js';

/** The URL segment of the board folder itself when it is a study folder. */
export const ROOT_STUDY = '-';

/** One study as the board lists it. */
export interface StudyView {
  /** Its folder inside the board folder, or ROOT_STUDY for the board folder itself. */
  folder: string;
  name: string;
  storage: StudyFile['storage'];
  metric: string;
  direction: Direction;
  /** Null when the trials are not in a journal here (PostgreSQL, memory). */
  counts: Record<TrialState, number> | null;
  best: { number: number; value: number; runDir: string | null } | null;
  report: boolean;
  warnings: string[];
}

function readStudy(dir: string, folder: string): StudyView {
  const file = readStudyFile(dir);
  const view: StudyView = { folder, name: file.name, storage: file.storage, metric: file.metric, direction: file.direction as Direction, counts: null, best: null, report: existsSync(join(dir, STUDY_REPORT)), warnings: [] };
  if (file.storage !== 'journal') { view.warnings.push(`the trials are in ${file.storage === 'postgres' ? 'PostgreSQL: neurite tune --show with --storage postgres://… lists them' : 'memory and were not kept'}`); return view; }
  const { state, warnings } = readJournal(dir);
  view.warnings.push(...warnings);
  const trials = state.get(file.name)?.trials ?? [];
  const s = summarize(file.name, view.direction, file.metric, trials);
  view.counts = s.counts;
  view.best = s.best ? { number: s.best.number, value: s.best.value!, runDir: s.best.runDir } : null;
  return view;
}

/**
 * The studies in `root` (itself, then its subfolders); an unreadable one is listed with a warning.
 * @example listStudies('studies').map((s) => s.name)
 */
export function listStudies(root: string): StudyView[] {
  const folders = existsSync(join(root, STUDY_FILE)) ? [ROOT_STUDY] : [];
  try { folders.push(...readdirSync(root).filter((n) => !n.startsWith('.') && n !== ROOT_STUDY && existsSync(join(root, n, STUDY_FILE))).sort()); } catch { return []; }
  return folders.map((f) => {
    try { return readStudy(f === ROOT_STUDY ? root : join(root, f), f); } catch (e) {
      return { folder: f, name: f, storage: 'journal', metric: '?', direction: 'maximize', counts: null, best: null, report: false, warnings: [(e as Error).message] };
    }
  });
}

/**
 * The file behind `/studies/FOLDER/report.html` or `/studies/FOLDER/trial-NNNN/report.html`, only for
 * a listed study and those two shapes (never a path outside the board folder), else null.
 * @example studyReportPath('studies', ['iris', 'report.html']) // 'studies/iris/report.html'
 */
export function studyReportPath(root: string, segments: string[]): string | null {
  let parts: string[];
  try { parts = segments.map((s) => decodeURIComponent(s)); } catch { return null; }
  const [folder, a, b] = parts;
  if (folder === undefined || !listStudies(root).some((s) => s.folder === folder)) return null;
  const dir = folder === ROOT_STUDY ? root : join(root, folder);
  if (parts.length === 2 && a === STUDY_REPORT) return join(dir, STUDY_REPORT);
  if (parts.length === 3 && /^trial-\d{4,}$/.test(a!) && b === 'report.html') return join(dir, a!, 'report.html');
  return null;
}
