// The journal storage: the StudyStorage contract, several processes sharing one study, a torn last
// line after a kill, a stale lock of a dead process, a damaged line, and resuming from the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { openJournalStorage, JOURNAL_FILE, LOCK_FILE } from '../../src/node/tune/journal.js';
import { acquireLock } from '../../src/node/tune/lock.js';
import { tune } from '../../src/tune/index.js';
import { contractDefinition, storageContract } from './storage-contract-clocked.js';

const dirs: string[] = [];
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'neurite-journal-')); dirs.push(d); return d; };
test.after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const shared = tmp();
storageContract('journal', (clock) => openJournalStorage(shared, { clock }));

function child(dir: string, trials: number): Promise<number[]> {
  return new Promise((ok, fail) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'journal-claimer.ts'), dir, String(trials)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? ok(out.trim().split('\n').filter(Boolean).map(Number)) : fail(new Error(`claimer exited ${code}: ${err}`))));
  });
}

test('journal: three processes claiming from one study get every trial number exactly once', async () => {
  const dir = tmp();
  const got = (await Promise.all([child(dir, 24), child(dir, 24), child(dir, 24)])).flat().sort((a, b) => a - b);
  assert.deepEqual(got, Array.from({ length: 24 }, (_, i) => i));
  const s = await openJournalStorage(dir);
  const trials = await s.listTrials('race');
  assert.equal(trials.length, 24);
  assert.ok(trials.every((t) => t.state === 'complete' && t.value === t.number && t.intermediate.length === 1));
  await s.close();
});

test('journal: a torn last line is ignored with a warning and truncated by the next write; the study resumes', async () => {
  const dir = tmp();
  const space = { x: { type: 'float', low: 0, high: 1 } };
  const first = await tune({ space, trials: 3, storage: await openJournalStorage(dir), sampler: { name: 'random', seed: 2 }, objective: (t) => t.params.x as number });
  appendFileSync(join(dir, JOURNAL_FILE), '{"op":"report","study":"study","num');
  const warnings: string[] = [];
  const storage = await openJournalStorage(dir, { onWarning: (m) => warnings.push(m) });
  const listed = await storage.listTrials('study');
  assert.deepEqual(listed.map((t) => t.value), first.trials.map((t) => t.value));
  assert.match(warnings[0]!, /journal\.jsonl: ignoring an incomplete last record \(35 bytes after line \d+; a write cut off by a kill\); the next write truncates it/);
  const more = await tune({ space, trials: 5, storage, sampler: { name: 'random', seed: 2 }, objective: (t) => t.params.x as number }).catch((e: Error) => e);
  assert.match(String(more), /exists with a different maxTrials: stored 3, given 5/);
  const again = await tune({ space, trials: 3, storage, sampler: { name: 'random', seed: 2 }, objective: () => { throw new Error('must not run'); } });
  assert.equal(again.trials.length, 3, 'a finished study runs no more trials');
  await storage.openStudy(contractDefinition('second'));
  assert.match(warnings.at(-1)!, /journal\.jsonl: truncated the incomplete last record \(35 bytes\)/);
  await storage.close();
  const text = readFileSync(join(dir, JOURNAL_FILE), 'utf8');
  assert.ok(text.endsWith('\n'));
  for (const line of text.trim().split('\n')) JSON.parse(line);
  assert.equal((await (await openJournalStorage(dir)).listTrials('second')).length, 0);
});

test('journal: resuming a study interrupted mid-way runs only the remaining trials', async () => {
  const dir = tmp();
  const space = { x: { type: 'float', low: 0, high: 1 } };
  let ran = 0;
  const stop = new Error('interrupted');
  await tune({ space, trials: 6, storage: await openJournalStorage(dir), sampler: { name: 'tpe', seed: 1 }, objective: (t) => { if (++ran === 4) throw stop; return t.params.x as number; }, maxFailures: 1 });
  const resumed = await tune({ space, trials: 6, storage: await openJournalStorage(dir), sampler: { name: 'tpe', seed: 1 }, objective: (t) => t.params.x as number });
  assert.equal(resumed.counts.complete, 6);
  assert.equal(resumed.counts.failed, 1);
  assert.equal(resumed.trials.length, 7);
});

test('journal: a damaged line in the middle is an error naming the file and line', async () => {
  const dir = tmp();
  const s = await openJournalStorage(dir);
  await s.openStudy(contractDefinition('bad'));
  await s.close();
  appendFileSync(join(dir, JOURNAL_FILE), 'garbage\n{"op":"heartbeat"}\n');
  const again = await openJournalStorage(dir);
  await assert.rejects(again.listTrials('bad'), /journal\.jsonl line 2: not valid JSON .*the journal is damaged — restore it from a copy/);
});

test('lock: a stale lock of a dead process on this host is taken over with a warning; a live one is waited for', async () => {
  const dir = tmp();
  const lock = join(dir, LOCK_FILE);
  writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), at: '2026-01-01T00:00:00Z' }));
  const warnings: string[] = [];
  const release = await acquireLock(lock, { onWarning: (m) => warnings.push(m) });
  assert.match(warnings[0]!, /took over the lock of process 4206649 on .*, which is no longer running/);
  await assert.rejects(acquireLock(lock, { timeoutMs: 100 }), new RegExp(`still locked by process ${process.pid} on host .* after 0 s; if that process is gone`));
  release();
  (await acquireLock(lock, { timeoutMs: 100 }))();
  writeFileSync(lock, JSON.stringify({ pid: 1, host: 'another-machine', at: '2026-01-01T00:00:00Z' }));
  await assert.rejects(acquireLock(lock, { timeoutMs: 50 }), /still locked by process 1 on host another-machine since 2026-01-01T00:00:00Z/);
});
