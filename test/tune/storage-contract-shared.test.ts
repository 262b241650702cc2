// The PostgreSQL storage's contract suite (storage-contract.ts) run against the journal and the op-log
// memory storage too, so all three storages are held to the same twelve checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournalStorage } from '../../src/node/tune/journal.js';
import { TrialNotRunningError } from '../../src/node/tune/pg-errors.js';
import { applyOp, isTrialNotRunning, opLogStorage, type StudiesState, type Transact } from '../../src/tune/index.js';
import { describeStorageContract } from './storage-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'neurite-journal-contract-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
describeStorageContract('journal', async () => openJournalStorage(dir));

const state: StudiesState = new Map();
const transact: Transact = async (decide) => { const { ops, result } = decide(state); ops.forEach((op) => applyOp(state, op)); return result; };
describeStorageContract('op-log memory', async () => opLogStorage(transact, async () => {}, () => Date.now()));

test('every storage marks "not running by this worker" with the same code, which the trial loop recognises', async () => {
  assert.ok(isTrialNotRunning(new TrialNotRunningError('finishTrial: reaped')));
  const s = await openJournalStorage(dir);
  await s.openStudy({ name: 'code', direction: 'maximize', metric: 'm', space: {}, sampler: null, pruner: null, maxTrials: 2, maxRetries: 0 });
  const done = (await s.claimTrial('code', 'host:1', () => ({})))!, open = (await s.claimTrial('code', 'host:1', () => ({})))!;
  await s.finishTrial('code', done.number, { state: 'complete', value: 1 });
  await assert.rejects(s.finishTrial('code', done.number, { state: 'complete', value: 1 }), (e: unknown) => isTrialNotRunning(e));
  await assert.rejects(s.finishTrial('code', open.number, { state: 'complete', value: Number.NaN }), (e: unknown) => e instanceof Error && !isTrialNotRunning(e));
  await s.close();
});
