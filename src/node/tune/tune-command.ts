// `neurite tune`: runs a study in this process (or as one --worker of it), or starts --workers N
// worker processes and watches them; then writes best-config.json and report.html and prints the
// study table. `--show STUDY` prints the table of an existing study.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { formatHelp, parseCommand } from '../cli/argv.js';
import { selectBackend } from '../cli/backend-choice.js';
import type { Output } from '../cli/run.js';
import { type StudySummary, studyDefinition, summarize, tune } from '../../tune/tune.js';
import { parseSpace } from '../../tune/space.js';
import type { StudyStorage } from '../../tune/storage/types.js';
import { tuneArgs, tuneSpec, type TuneArgs } from './tune-spec.js';
import { type CliStudy, cliStudy } from './study-setup.js';
import { openStorage, storageKind } from './storage-open.js';
import { runCliTrial } from './trial-run.js';
import { launchWorkers } from './launcher.js';
import { pidAlive } from './lock.js';
import { STUDY_FILE, readStudyFile, studyTable, writeBestConfig, writeStudyFile } from './study-files.js';
import { writeStudyReport } from './study-report.js';

/** Trials in a row that may fail before a worker gives up (a broken setup fails every trial). */
const MAX_FAILURES_IN_A_ROW = 3;

/** Fails running trials of dead processes on this host, and trials without a heartbeat for `staleMs`. */
export function reapDead(staleMs: number): (storage: StudyStorage, study: string) => Promise<void> {
  return async (storage, study) => {
    const host = hostname();
    const dead = (await storage.listTrials(study)).filter((t) => t.state === 'running' && t.worker?.startsWith(`${host}:`) && !pidAlive(Number(t.worker.slice(host.length + 1)))).map((t) => t.worker!);
    await storage.reapStale(study, staleMs, dead);
  };
}

/** The tune() options of a CLI study. */
function loopOptions(s: CliStudy, args: TuneArgs, storage: StudyStorage) {
  return {
    space: s.block.space, storedSpace: { space: s.block.space, base: s.base, ...(s.cv !== null ? { cv: s.cv } : {}) }, trials: s.trials, direction: s.block.direction, metric: s.block.metric,
    sampler: s.sampler, pruner: s.pruner, storage, name: s.name, maxRetries: args.maxRetries,
  };
}

/** Runs trials in this process until the study hands out no more. */
async function work(s: CliStudy, args: TuneArgs, storage: StudyStorage, io: Output): Promise<number> {
  let failedInARow = 0, lastError = '';
  await tune({
    ...loopOptions(s, args, storage), worker: `${hostname()}:${process.pid}`, heartbeatMs: Math.min(10_000, args.staleAfterMs / 4),
    maxFailures: MAX_FAILURES_IN_A_ROW, beforeClaim: reapDead(args.staleAfterMs),
    objective: (t) => runCliTrial(t, { studyDir: s.dir, base: s.base, metric: s.block.metric, cv: s.cv, say: io.out }),
    onTrialEnd: (t, how) => { if (how.reaped) return; failedInARow = t.state === 'failed' ? failedInARow + 1 : 0; lastError = t.error ?? lastError; },
  });
  if (failedInARow >= MAX_FAILURES_IN_A_ROW) { io.err(`neurite: tune: ${failedInARow} trials in a row failed, so this worker stopped; the last error: ${lastError}\n`); return 1; }
  return 0;
}

/** The study's table, best-config.json and report.html. */
async function finish(s: CliStudy, storage: StudyStorage, io: Output): Promise<StudySummary> {
  const summary = summarize(s.name, s.block.direction, s.block.metric, await storage.listTrials(s.name));
  const best = await writeBestConfig(s.dir, summary, s.block.parsed, s.base);
  const report = await writeStudyReport(s.dir, summary, s.block.parsed);
  io.out(studyTable(summary, s.block.parsed));
  const how = s.cv === null ? 'reproduces it' : `trains its configuration once on the standard split; each fold run is reproduced by neurite train --config ${s.dir}/${summary.best?.runDir ?? 'trial-N'}/fold-K/config.json`;
  io.out(`${best ? `best config → ${best} (neurite train --config ${best} ${how})\n` : ''}report → ${report}\n`);
  return summary;
}

/** The launcher's arguments for its workers: its own minus --workers/--study/--name, plus --worker and the resolved study folder and name. */
function workerArgv(argv: string[], s: CliStudy): string[] {
  const drop = ['--workers', '--study', '--name'];
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (drop.includes(a)) { i++; continue; }
    if (drop.some((d) => a.startsWith(`${d}=`))) continue;
    out.push(a);
  }
  return ['tune', ...out, '--worker', '--study', s.dir, '--name', s.name];
}

/** What --show prints from: the local study.json, or (PostgreSQL, no local folder) the database's own record. */
async function showPostgres(args: TuneArgs, io: Output): Promise<number> {
  const name = args.name ?? basename(resolve(args.show!));
  const storage = await openStorage(args.storage, args.show!, io.err);
  try {
    const def = await storage.readStudy!(name);
    if (def === null) throw new Error(`tune: ${args.show} is not a study folder (no ${STUDY_FILE}) and the PostgreSQL storage has no study '${name}'; pass --name NAME with the study's name (neurite tune printed it at the start)`);
    const stored = def.space as { space?: unknown };
    io.out(studyTable(summarize(def.name, def.direction, def.metric, await storage.listTrials(def.name)), parseSpace(stored.space)));
  } finally { await storage.close(); }
  return 0;
}

/** `neurite tune --show STUDY` (a study folder; with a PostgreSQL --storage, also a study name without a folder). */
async function show(args: TuneArgs, io: Output): Promise<number> {
  if (!existsSync(join(args.show!, STUDY_FILE)) && storageKind(args.storage) === 'postgres') return showPostgres(args, io);
  const file = readStudyFile(args.show!);
  if (file.storage === 'memory') throw new Error(`tune: ${args.show} ran with --storage memory, which keeps no record; its trials' run folders are all that is left`);
  if (file.storage === 'postgres' && !args.storage.startsWith('postgres')) throw new Error(`tune: ${args.show} lives in PostgreSQL; pass --storage postgres://... with --show`);
  const storage = await openStorage(file.storage === 'journal' ? 'journal' : args.storage, args.show!, io.err);
  try {
    io.out(studyTable(summarize(file.name, file.direction as 'maximize', file.metric, await storage.listTrials(file.name)), parseSpace(file.space)));
  } finally { await storage.close(); }
  return 0;
}

/**
 * `neurite tune ...`: see tuneSpec and docs/tune.md.
 * @example await tuneCommand(['--config', 'iris-tune.json', '--trials', '10'], io);
 */
export async function tuneCommand(argv: string[], io: Output): Promise<number> {
  const values = parseCommand(tuneSpec, argv);
  if (values.help) { io.out(formatHelp(tuneSpec)); return 0; }
  const args = tuneArgs(values);
  if (args.show !== null) return show(args, io);
  const s = cliStudy(args);
  if (args.workers > 1 && s.file.storage === 'memory') throw new Error('tune: --storage memory lives in one process and cannot be shared by --workers; use journal (the default) or PostgreSQL');
  const created = mkdirSync(s.dir, { recursive: true }); // the first folder this made, if any
  let storage: StudyStorage | null = null;
  try {
    storage = await openStorage(args.storage, s.dir, io.err);
    await storage.openStudy(studyDefinition(loopOptions(s, args, storage), s.block.parsed));
  } catch (e) {
    await storage?.close().catch(() => undefined);
    if (created !== undefined) rmSync(created, { recursive: true, force: true }); // no empty study folder left behind
    throw e;
  }
  try {
    await writeStudyFile(s.dir, s.file);
    let code: number;
    if (args.workers > 1 && !args.worker) {
      io.err(`neurite tune: study ${s.name} in ${s.dir}: ${s.trials} trials, ${args.workers} workers, sampler ${s.sampler.name}, pruner ${s.pruner.name}\n`);
      const r = await launchWorkers({ workers: args.workers, argv: workerArgv(argv, s), storage, study: s.name, staleMs: args.staleAfterMs, io });
      for (const e of r.errors) io.err(`neurite: tune: ${e}\n`);
      code = r.errors.length > 0 ? 1 : 0;
    } else {
      await selectBackend(null);
      if (!args.worker) io.err(`neurite tune: study ${s.name} in ${s.dir}: ${s.trials} trials, sampler ${s.sampler.name}, pruner ${s.pruner.name}\n`);
      code = await work(s, args, storage, io);
    }
    if (args.worker) return code;
    const summary = await finish(s, storage, io);
    return summary.best === null ? 1 : code;
  } finally { await storage.close(); }
}
