// Crash tests of neurite tune with the journal: kill -9 a worker mid-trial (its trial is failed,
// retried and the study completes: nothing completed is lost, nothing runs twice), and kill -9 the
// launcher with its workers, then resume. NEURITE_TUNE_CRASH_LARGE=1 runs a longer study with more kills.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournalStorage } from '../../src/node/tune/journal.js';
import type { TrialRecord } from '../../src/tune/index.js';
import { runCli } from '../helpers/cli.js';

const large = process.env.NEURITE_TUNE_CRASH_LARGE === '1';
const TRIALS = large ? 16 : 4, KILLS = large ? 3 : 1;
const root = mkdtempSync(join(tmpdir(), 'neurite-tune-crash-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const entry = join(import.meta.dirname, '../../src/node/tune/worker-main.ts');

function configFile(): string {
  const path = join(root, 'iris-tune.json');
  writeFileSync(path, JSON.stringify({
    data: { dataset: 'iris', validationSplit: 0.2 }, train: { epochs: large ? 30 : 10 },
    tune: { space: { 'train.lr': { type: 'float', low: 0.001, high: 0.1, log: true }, 'model.hidden': { type: 'layers', count: { low: 1, high: 2 }, width: { type: 'int', low: 8, high: 64 } } } },
  }));
  return path;
}

function launch(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; out: string; err: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'tune', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '', err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  return { child, done: new Promise((ok) => child.on('exit', (code, signal) => ok({ code, signal, out, err }))) };
}

async function trials(study: string): Promise<TrialRecord[]> {
  const s = await openJournalStorage(study, { onWarning: () => {} });
  try { return await s.listTrials('study'); } catch { return []; } finally { await s.close(); }
}

/** Polls the journal until `pick` finds something (a running trial mid-way, a complete count). */
async function waitFor<T>(study: string, pick: (ts: TrialRecord[]) => T | undefined, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const got = pick(await trials(study));
    if (got !== undefined) return got;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every trial accounted for: `n` complete, each failed one retried by exactly one later trial, no params completed twice. */
function checkAccounted(study: string, ts: TrialRecord[], n: number, completedBefore: TrialRecord[]): void {
  const complete = ts.filter((t) => t.state === 'complete');
  assert.equal(complete.length, n, JSON.stringify(ts.map((t) => [t.number, t.state, t.retryOf])));
  assert.equal(ts.filter((t) => t.state === 'running' || t.state === 'waiting').length, 0);
  // --max-retries 1 (the default): an original trial that failed is retried once; a failed retry is not retried again.
  for (const f of ts.filter((t) => t.state === 'failed')) assert.equal(ts.filter((t) => t.retryOf === f.number).length, f.retryOf === null ? 1 : 0, `failed trial ${f.number}'s retries`);
  const keys = complete.map((t) => JSON.stringify(t.params));
  assert.equal(new Set(keys).size, keys.length, 'no parameters completed twice');
  for (const c of completedBefore) {
    const now = ts[c.number]!;
    assert.deepEqual([now.state, now.value], ['complete', c.value], `trial ${c.number} completed before the kill is kept`);
  }
  for (const t of complete) assert.equal(JSON.parse(readFileSync(join(study, t.runDir!, 'run.json'), 'utf8')).status, 'completed', `trial ${t.number}'s run folder`);
}

test(`tune --workers 2: kill -9 of a worker mid-trial loses no completed trial, runs none twice, and the study completes (kills: ${KILLS})`, async () => {
  const study = join(root, 'workers');
  const run = launch(['--config', configFile(), '--study', study, '--trials', String(TRIALS), '--workers', '2', '--sampler', 'random', '--name', 'study']);
  const killed: number[] = [];
  let before: TrialRecord[] = [];
  for (let k = 0; k < KILLS; k++) {
    const victim = await waitFor(study, (ts) => ts.find((t) => t.state === 'running' && t.intermediate.length >= 2 && !killed.includes(t.number)), 'a running trial');
    before = (await trials(study)).filter((t) => t.state === 'complete');
    process.kill(Number(victim.worker!.split(':').at(-1)), 'SIGKILL');
    killed.push(victim.number);
  }
  const r = await run.done;
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /worker \S+ was killed by SIGKILL; trial \d+ failed and is queued again/);
  const ts = await trials(study);
  checkAccounted(study, ts, TRIALS, before);
  for (const n of killed) assert.match(ts[n]!.error!, /worker \S+ died \(process gone\)/);
});

test('tune: kill -9 of the launcher and its workers, then the same command resumes and completes the study', async () => {
  const study = join(root, 'launcher');
  const args = ['--config', configFile(), '--study', study, '--trials', String(TRIALS), '--workers', '2', '--sampler', 'random', '--name', 'study'];
  const run = launch(args);
  await waitFor(study, (ts) => (ts.filter((t) => t.state === 'complete').length >= 1 && ts.some((t) => t.state === 'running' && t.intermediate.length >= 1) ? true : undefined), 'a complete and a running trial');
  const running = (await trials(study)).filter((t) => t.state === 'running').map((t) => Number(t.worker!.split(':').at(-1)));
  process.kill(-run.child.pid!, 'SIGKILL'); // the launcher's process group: it and its workers
  for (const pid of running) { try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ } }
  await run.done;
  await new Promise((r) => setTimeout(r, 100));
  const before = (await trials(study)).filter((t) => t.state === 'complete');
  assert.ok((await trials(study)).some((t) => t.state === 'running'), 'the kill left a trial running');
  const resumed = await runCli(['tune', ...args.filter((a, i) => a !== '--workers' && args[i - 1] !== '--workers')]);
  assert.equal(resumed.code, 0, resumed.err);
  checkAccounted(study, await trials(study), TRIALS, before);
});

test('tune: kill -9 of the launcher alone: its workers finish the study, and a rerun writes the results', async () => {
  const study = join(root, 'orphans');
  const args = ['--config', configFile(), '--study', study, '--trials', '4', '--workers', '2', '--sampler', 'random', '--name', 'study'];
  const run = launch(args);
  const workers = await waitFor(study, (ts) => { const w = ts.filter((t) => t.state === 'running').map((t) => Number(t.worker!.split(':').at(-1))); return w.length >= 1 && ts.some((t) => t.state === 'complete') ? w : undefined; }, 'a running and a complete trial');
  process.kill(run.child.pid!, 'SIGKILL');
  await run.done;
  await waitFor(study, (ts) => (ts.filter((t) => t.state === 'complete').length === 4 ? true : undefined), 'the orphaned workers to finish');
  const alive = (pid: number): boolean => { try { process.kill(pid, 0); return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '); } catch { return false; } };
  for (let i = 0; i < 200 && workers.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
  const ts = await trials(study);
  assert.deepEqual(ts.map((t) => t.state), ['complete', 'complete', 'complete', 'complete'], 'no trial failed or ran twice');
  const rerun = await runCli(['tune', ...args.filter((a, i) => a !== '--workers' && args[i - 1] !== '--workers')]);
  assert.equal(rerun.code, 0, rerun.err);
  assert.match(rerun.out, /4 trials: 4 complete, 0 pruned, 0 failed/);
});
