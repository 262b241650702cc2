// Spawns PostgreSQL tune worker processes (test/helpers/pg-worker-main.ts) for the concurrency and
// crash tests, collecting each one's JSON-line events; and checks a finished study's bookkeeping.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { build, type Plugin } from 'esbuild';
import type { TrialRecord } from '../../src/tune/storage/types.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * pg-worker-main.ts bundled once into plain ESM that imports the built package (dist/) by absolute
 * path, so worker processes start under plain node: 0.3 s of CPU each instead of 1 s through tsx.
 */
async function bundleWorker(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-pg-worker-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const toDist: Plugin = {
    name: 'neurite-dist',
    setup(b) {
      b.onResolve({ filter: /^neurite(\/node)?$/ }, (a) => ({ path: join(root, a.path === 'neurite' ? 'dist/index.js' : 'dist/node/index.js'), external: true }));
    },
  };
  const outfile = join(dir, 'pg-worker.mjs');
  await build({ entryPoints: [join(root, 'test/helpers/pg-worker-main.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', plugins: [toDist], logLevel: 'error' });
  return outfile;
}

const workerScript = await bundleWorker();

/** One event line a worker printed. */
export interface WorkerEvent { event: string; trial?: number; step?: number; value?: number; retryOf?: number | null; worker?: string }

/** A running worker process. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly events: WorkerEvent[];
  /** Resolves when it exits, with its stderr (for failure messages). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Calls `fn` on each event as it arrives. */
  onEvent(fn: (e: WorkerEvent) => void): void;
}

/**
 * Starts `node <bundled pg-worker-main> '<args>'`.
 * @example const w = spawnPgWorker({ url, study: 's', maxTrials: 8, mode: 'claim' }); await w.exited;
 */
export function spawnPgWorker(args: Record<string, unknown>): WorkerProcess {
  const child = spawn(process.execPath, [workerScript, JSON.stringify(args)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: WorkerEvent[] = [];
  const listeners: Array<(e: WorkerEvent) => void> = [];
  let buffered = '', stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const e = JSON.parse(buffered.slice(0, nl)) as WorkerEvent;
      buffered = buffered.slice(nl + 1);
      events.push(e);
      for (const fn of listeners) fn(e);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, events, exited, onEvent: (fn) => listeners.push(fn) };
}

/** Waits for every worker and fails, with its stderr, if one did not exit 0. */
export async function allExitClean(workers: readonly WorkerProcess[]): Promise<void> {
  for (const w of workers) {
    const r = await w.exited;
    assert.equal(r.code, 0, `worker ${w.child.pid} exited ${r.code ?? r.signal}: ${r.stderr}`);
  }
}

/**
 * The trial a retry chain started from (its first attempt): retries copy their parameters from it.
 * @example rootOf(byNumber, trials[5])  // 2 when trial 5 retries trial 2
 */
export function rootOf(byNumber: ReadonlyMap<number, TrialRecord>, t: TrialRecord): TrialRecord {
  let cur = t;
  while (cur.retryOf !== null) cur = byNumber.get(cur.retryOf)!;
  return cur;
}

/**
 * Checks a finished study: trial numbers 0..n-1, nothing running or waiting, exactly `maxTrials`
 * complete trials from `maxTrials` distinct first attempts (no proposal run twice, none lost), each
 * retry carrying its first attempt's parameters, and every finish a worker was told about stored.
 */
export function assertStudyAccounted(trials: readonly TrialRecord[], maxTrials: number, finished: readonly WorkerEvent[]): void {
  assert.deepEqual(trials.map((t) => t.number), trials.map((_, i) => i), 'trial numbers are 0..n-1, each once');
  assert.deepEqual(trials.filter((t) => t.state === 'running' || t.state === 'waiting').map((t) => t.number), [], 'nothing left running or waiting');
  const byNumber = new Map(trials.map((t) => [t.number, t]));
  const complete = trials.filter((t) => t.state === 'complete');
  assert.equal(complete.length, maxTrials, `${complete.length} complete trials, expected ${maxTrials}`);
  const roots = complete.map((t) => rootOf(byNumber, t));
  assert.equal(new Set(roots.map((r) => r.number)).size, maxTrials, 'no first attempt completed twice');
  for (const t of trials) assert.deepEqual(t.params, rootOf(byNumber, t).params, `trial ${t.number} keeps its first attempt's parameters`);
  const told = finished.map((e) => e.trial!).sort((a, b) => a - b);
  assert.equal(new Set(told).size, told.length, `a trial was finished twice: ${told}`);
  for (const e of finished) {
    const t = byNumber.get(e.trial!)!;
    assert.deepEqual([t.state, t.value], ['complete', e.value], `trial ${e.trial} was finished by a worker and must stay complete with its value`);
  }
}
