// neurite tune end to end on a real PostgreSQL: `--storage postgres://... --workers 4`, then --show
// lists every trial once and best-config.json reproduces the best trial; and a worker killed with
// kill -9 mid-trial: no completed trial lost or run twice, the study completes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresStorage } from '../../src/node/tune/storage-postgres.js';
import type { TrialRecord } from '../../src/tune/index.js';
import { runCli } from '../helpers/cli.js';
import { usePostgres } from '../helpers/postgres.js';

const db = usePostgres();
const { skip } = db;
const root = mkdtempSync(join(tmpdir(), 'neurite-tune-pg-cli-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const entry = join(import.meta.dirname, '../../src/node/tune/worker-main.ts');

function configFile(epochs: number): string {
  const path = join(root, `iris-${epochs}.json`);
  writeFileSync(path, JSON.stringify({
    data: { dataset: 'iris', validationSplit: 0.2 }, train: { epochs },
    tune: { space: { 'train.lr': { type: 'float', low: 0.001, high: 0.1, log: true }, 'model.hidden': { type: 'layers', count: { low: 1, high: 2 }, width: { type: 'int', low: 4, high: 32 } } } },
  }));
  return path;
}

function launch(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; out: string; err: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'tune', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  return { child, done: new Promise((ok) => child.on('exit', (code) => ok({ code, out, err }))) };
}

async function trials(study: string): Promise<TrialRecord[]> {
  const s = await openPostgresStorage(db.url);
  try { return await s.listTrials(study); } catch { return []; } finally { await s.close(); }
}

/** Polls until a trial of `study` is running with two epochs reported (mid-trial), for up to 60 s. */
async function runningTrial(study: string): Promise<TrialRecord> {
  for (let i = 0; i < 1200; i++) {
    const victim = (await trials(study)).find((t) => t.state === 'running' && t.intermediate.length >= 2);
    if (victim) return victim;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`no trial of ${study} was seen running with two epochs reported within 60 s`);
}

test('tune --storage postgres:// --workers 4: 16 trials, --show lists each once (and asks for the URL without it), best-config.json reproduces the best', { skip }, async () => {
  const dir = join(root, 'pg-iris');
  const r = await launch(['--config', configFile(4), '--storage', db.url, '--study', dir, '--name', 'iris-pg', '--workers', '4', '--trials', '16', '--sampler', 'random']).done;
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /16 trials: 16 complete, 0 pruned, 0 failed/);
  for (const text of [r.out, r.err, readFileSync(join(dir, 'study.json'), 'utf8')]) assert.ok(!text.includes(db.server.password), 'the password is never printed nor written');
  const ts = await trials('iris-pg');
  assert.deepEqual(ts.map((t) => t.state), Array(16).fill('complete'));
  const shown = await runCli(['tune', '--show', dir, '--storage', db.url]);
  assert.equal(shown.code, 0, shown.err);
  const rows = [...shown.out.matchAll(/^ *(\d+) {2}complete/gm)].map((m) => Number(m[1]));
  assert.deepEqual(rows.sort((a, b) => a - b), [...Array(16).keys()], shown.out);
  const noUrl = await runCli(['tune', '--show', dir]);
  assert.equal(noUrl.code, 1);
  assert.match(noUrl.err, /tune: \S+pg-iris lives in PostgreSQL; pass --storage postgres:\/\/\.\.\. with --show/);
  const best = Number(/best: trial (\d+)/.exec(r.out)![1]);
  const trialMetrics = JSON.parse(readFileSync(join(dir, ts[best]!.runDir!, 'metrics.json'), 'utf8'));
  const t = await runCli(['train', '--config', join(dir, 'best-config.json'), '--out', join(root, 'best-run'), '--json']);
  assert.equal(t.code, 0, t.err);
  assert.deepEqual(JSON.parse(t.out).metrics.validation, trialMetrics.validation, 'the best config trains to the same validation metrics');
});

test('tune --storage postgres:// --cv 2: --show reads the study from the database without a local folder (mean ± std); an unknown name is a clear error', { skip }, async () => {
  const dir = join(root, 'pg-cv');
  const r = await runCli(['tune', '--config', configFile(2), '--storage', db.url, '--study', dir, '--name', 'cv-pg', '--trials', '2', '--sampler', 'random', '--cv', '2']);
  assert.equal(r.code, 0, r.err);
  const ts = await trials('cv-pg');
  assert.deepEqual(ts.map((t) => (t.attrs.folds as number[]).length), [2, 2], 'the per-fold values are stored in PostgreSQL');
  const elsewhere = join(root, 'no-such-folder');
  const shown = await runCli(['tune', '--show', elsewhere, '--storage', db.url, '--name', 'cv-pg']);
  assert.equal(shown.code, 0, shown.err);
  assert.match(shown.out, /accuracy ± fold std/);
  assert.match(shown.out, /2 trials: 2 complete/);
  assert.match(shown.out, /best: trial \d, accuracy \d\.\d{4} ± \d\.\d{4} \(mean over 2 folds/);
  assert.ok(!existsSync(elsewhere), '--show writes nothing');
  const unknown = await runCli(['tune', '--show', elsewhere, '--storage', db.url, '--name', 'nope']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /tune: \S+no-such-folder is not a study folder \(no study\.json\) and the PostgreSQL storage has no study 'nope'; pass --name NAME/);
});

test('tune --storage postgres:// --workers 2: kill -9 of a worker mid-trial loses no completed trial, runs none twice, and the study completes', { skip }, async () => {
  const dir = join(root, 'pg-crash'), N = 4;
  const run = launch(['--config', configFile(12), '--storage', db.url, '--study', dir, '--name', 'crash-pg', '--workers', '2', '--trials', String(N), '--sampler', 'random']);
  const victim = await runningTrial('crash-pg');
  const before = (await trials('crash-pg')).filter((t) => t.state === 'complete');
  process.kill(Number(victim.worker!.split(':').at(-1)), 'SIGKILL');
  const r = await run.done;
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, new RegExp(`worker \\S+ was killed by SIGKILL; trial ${victim.number} failed and is queued again`));
  const ts = await trials('crash-pg');
  const complete = ts.filter((t) => t.state === 'complete');
  assert.equal(complete.length, N, JSON.stringify(ts.map((t) => [t.number, t.state, t.retryOf])));
  assert.equal(ts.filter((t) => t.state === 'running' || t.state === 'waiting').length, 0);
  assert.deepEqual(ts.filter((t) => t.state === 'failed').map((t) => t.number), [victim.number]);
  assert.equal(ts.filter((t) => t.retryOf === victim.number && t.state === 'complete').length, 1, 'the killed trial was retried once');
  assert.equal(new Set(complete.map((t) => JSON.stringify(t.params))).size, N, 'no parameters completed twice');
  for (const c of before) assert.deepEqual([ts[c.number]!.state, ts[c.number]!.value], ['complete', c.value], `trial ${c.number} completed before the kill is kept`);
  for (const t of complete) assert.equal(JSON.parse(readFileSync(join(dir, t.runDir!, 'run.json'), 'utf8')).status, 'completed');
});

test('tune --storage postgres://: a live worker whose trial is reaped (taken for dead) drops it on its next report or heartbeat; the retry completes the study', { skip }, async () => {
  const dir = join(root, 'pg-reaped'), N = 3;
  const run = launch(['--config', configFile(12), '--storage', db.url, '--study', dir, '--name', 'reaped-pg', '--trials', String(N), '--sampler', 'random']);
  const victim = await runningTrial('reaped-pg');
  const reaper = await openPostgresStorage(db.url);
  try { assert.deepEqual(await reaper.reapStale('reaped-pg', 0, [victim.worker!]), [victim.number]); } finally { await reaper.close(); }
  const r = await run.done;
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`trial ${victim.number} failed: (reportIntermediate|heartbeat): trial ${victim.number} of study 'reaped-pg' is failed, no longer running by this worker`));
  const ts = await trials('reaped-pg');
  assert.equal(ts.filter((t) => t.state === 'complete').length, N, JSON.stringify(ts.map((t) => [t.number, t.state, t.retryOf])));
  assert.match(ts[victim.number]!.error!, /died \(its launcher reported it\)/, 'the reap, not the worker, wrote why it failed');
  assert.equal(ts.filter((t) => t.retryOf === victim.number && t.state === 'complete').length, 1);
  assert.ok(ts[victim.number]!.intermediate.length < 12, 'nothing after the reap was recorded');
});
