// Crash test of run folders: runs `neurite train` and SIGKILLs it at random moments and aimed inside the
// checkpoint commit window (NEURITE_TEST_COMMIT_DELAY_MS pauses each commit step), then checks every
// folder: it loads, and it lost no epoch the process had reported complete beyond the one being written.
// Usage: node --import tsx scripts/crash-test.ts [--kills 200] [--delay 15] [--seed 1] [--json]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Rng } from '../src/core/rng.js';
import { loadModel } from '../src/node/io/model-files.js';
import { readGenerationFile } from '../src/node/io/checkpoint.js';
import { readCurrent } from '../src/node/io/generation.js';

const ENTRY = fileURLToPath(new URL('./neurite-src.ts', import.meta.url));
/** A small, fast run: iris, dropout, plateau schedule and early stopping, so every kind of state is saved. */
export const CRASH_CONFIG = { data: { dataset: 'iris' }, model: { hidden: [16], dropout: 0.2 }, train: { epochs: 24, batchSize: 8, schedule: 'plateau', patience: 30 } };
/** The messages the commit hook prints, in order: a kill aimed "after" one lands in the next step. */
const STEPS = ['begins', 'wrote model.safetensors', 'wrote model.json', 'wrote state.safetensors', 'wrote state.json', 'is current', 'done'];

export interface CrashFigures {
  kills: number; atRandom: number; inWindow: number; byStep: Record<string, number>; resumedKills: number;
  failures: string[]; lostBeyondCurrent: number; lostCurrent: number; finishedBeforeKill: number; seconds: number;
}

export interface Trial { reported: number; killed: boolean; code: number | null; stderr: string }

/** Runs one `neurite` process from the sources; kills it (SIGKILL) after `killAfterMs`, or when the hook prints commit step `aim`. */
export function runNeurite(args: string[], env: NodeJS.ProcessEnv, kill: { afterMs?: number; afterEpoch?: number; aim?: { commit: number; step: string; delayMs: number } }): Promise<Trial> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let reported = 0, killed = false, commits = 0, buf = '', stderr = '';
    const doKill = (): void => { if (!killed && child.exitCode === null) { killed = true; child.kill('SIGKILL'); } };
    const timer = kill.afterMs !== undefined ? setTimeout(doKill, kill.afterMs) : undefined;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      buf += chunk;
      stderr += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (killed) continue;
        const m = /^epoch\s+(\d+)\//.exec(line);
        if (m) reported = Math.max(reported, Number(m[1]));
        if (m && Number(m[1]) === kill.afterEpoch) doKill();
        const c = /^neurite-test: commit g\d+ (.*)$/.exec(line);
        if (c && kill.aim) {
          if (c[1] === 'begins') commits++;
          if (commits === kill.aim.commit && c[1] === kill.aim.step) setTimeout(doKill, kill.aim.delayMs);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => { if (timer) clearTimeout(timer); resolve({ reported, killed, code, stderr }); });
  });
}

/** The epoch of the folder's current generation, or null without one; throws when the folder does not load. */
async function loadedEpoch(dir: string): Promise<number | null> {
  if (readCurrent(dir) === null) return null;
  await loadModel(dir);
  return (JSON.parse(readGenerationFile(dir, 'state.json').toString('utf8')) as { epoch: number }).epoch;
}

/** Entries of a run folder after a clean exit: no temp files, one generation. */
const CLEAN_ENTRIES = ['CURRENT', 'checkpoints', 'config.json', 'history.json', 'history.jsonl', 'metrics.json', 'process.json', 'report.html', 'run.json'];

/** Runs the last folder to the end without a kill (resuming it when it can) and checks nothing stray is left. */
async function finishCleanly(dir: string, args: string[], env: NodeJS.ProcessEnv, f: CrashFigures): Promise<void> {
  const t = await runNeurite(args, env, {});
  const entries = readdirSync(dir).sort();
  const gens = readdirSync(join(dir, 'checkpoints'));
  if (t.code !== 0 || entries.join() !== CLEAN_ENTRIES.join() || gens.length !== 1 || (await loadedEpoch(dir)) !== CRASH_CONFIG.train.epochs) {
    f.failures.push(`the final clean run (${args.join(' ')}) exited ${t.code} and left ${entries.join(', ')} / checkpoints: ${gens.join(', ')}`);
  }
}

/**
 * Runs the crash test: `kills` SIGKILLs, alternating random moments and aimed commit steps; a killed
 * folder is resumed by the next trial half the time. Returns the figures.
 * @example const f = await crashTest({ kills: 10 }); // f.failures.length === 0
 */
export async function crashTest(opts: { kills: number; delayMs?: number; seed?: number; log?: (s: string) => void }): Promise<CrashFigures> {
  const t0 = Date.now();
  const rng = new Rng(opts.seed ?? 1), delayMs = opts.delayMs ?? 15, log = opts.log ?? (() => {});
  const root = mkdtempSync(join(tmpdir(), 'neurite-crash-'));
  const cfg = join(root, 'config.json');
  writeFileSync(cfg, JSON.stringify(CRASH_CONFIG));
  const f: CrashFigures = { kills: 0, atRandom: 0, inWindow: 0, byStep: {}, resumedKills: 0, failures: [], lostBeyondCurrent: 0, lostCurrent: 0, finishedBeforeKill: 0, seconds: 0 };
  const base = { ...process.env };
  delete base.NEURITE_TEST_COMMIT_DELAY_MS;
  const calib = Date.now();
  const first = await runNeurite(['train', '--config', cfg, '--out', join(root, 'calibration'), '--backend', 'js'], base, {});
  if (first.code !== 0 || first.reported !== CRASH_CONFIG.train.epochs) throw new Error(`crash test: the uninterrupted run failed (exit ${first.code}, ${first.reported} epochs)`);
  const runMs = Date.now() - calib;
  const dir = join(root, 'run');
  let resumable = false;
  for (let i = 0; f.kills < opts.kills; i++) {
    const aimed = f.kills % 2 === 1;
    const resume = resumable && rng.uniform() < 0.5;
    const args = resume ? ['train', '--resume', dir, '--backend', 'js'] : ['train', '--config', cfg, '--out', dir, '--overwrite', '--backend', 'js'];
    const step = STEPS[rng.int(STEPS.length)]!;
    const kill = aimed ? { aim: { commit: 1 + rng.int(4), step, delayMs: rng.uniform() * delayMs } } : { afterMs: rng.uniform() * runMs };
    const t = await runNeurite(args, aimed ? { ...base, NEURITE_TEST_COMMIT_DELAY_MS: String(delayMs) } : base, kill);
    if (!t.killed) { f.finishedBeforeKill++; resumable = false; continue; }
    f.kills++;
    if (aimed) { f.inWindow++; f.byStep[step] = (f.byStep[step] ?? 0) + 1; } else f.atRandom++;
    if (resume) f.resumedKills++;
    let epoch: number | null;
    try {
      epoch = await loadedEpoch(dir);
    } catch (e) {
      f.failures.push(`kill ${f.kills} (${aimed ? `after "${step}"` : 'random'}): ${(e as Error).message}`);
      resumable = false;
      continue;
    }
    const lost = t.reported - (epoch ?? 0);
    if (lost >= 2) { f.lostBeyondCurrent++; f.failures.push(`kill ${f.kills}: ${t.reported} epochs reported, the folder holds ${epoch ?? 0}`); }
    else if (lost === 1) f.lostCurrent++;
    resumable = epoch !== null && epoch < CRASH_CONFIG.train.epochs && !existsSync(join(dir, 'run.json'));
    log(`kill ${f.kills}: ${aimed ? `in window after "${step}"` : 'random'}${resume ? ' (resumed run)' : ''}: reported ${t.reported}, folder holds ${epoch ?? 'nothing yet'}\n`);
  }
  await finishCleanly(dir, resumable ? ['train', '--resume', dir, '--backend', 'js'] : ['train', '--config', cfg, '--out', dir, '--overwrite', '--backend', 'js'], base, f);
  f.seconds = (Date.now() - t0) / 1000;
  rmSync(root, { recursive: true, force: true });
  return f;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { kills: { type: 'string', default: '200' }, delay: { type: 'string', default: '15' }, seed: { type: 'string', default: '1' }, json: { type: 'boolean' }, verbose: { type: 'boolean' } } });
  const figures = await crashTest({ kills: Number(values.kills), delayMs: Number(values.delay), seed: Number(values.seed), ...(values.verbose ? { log: (s: string) => process.stderr.write(s) } : {}) });
  process.stdout.write(values.json ? `${JSON.stringify(figures, null, 2)}\n` : [
    `kills: ${figures.kills} (${figures.atRandom} at random moments, ${figures.inWindow} aimed inside the commit window; ${figures.resumedKills} of them killed a resumed run)`,
    `aimed kills by commit step: ${Object.entries(figures.byStep).map(([k, v]) => `after "${k}" ${v}`).join(', ')}`,
    `folders that failed to load: ${figures.failures.filter((m) => !/epochs reported/.test(m)).length}`,
    `kills that lost completed epochs beyond the one being written: ${figures.lostBeyondCurrent}; that lost the epoch being written: ${figures.lostCurrent}`,
    `runs that finished before their kill (not counted): ${figures.finishedBeforeKill}`,
    `time: ${figures.seconds.toFixed(1)} s`, ...figures.failures.map((m) => `FAIL ${m}`), '',
  ].join('\n'));
  process.exitCode = figures.failures.length === 0 ? 0 : 1;
}
