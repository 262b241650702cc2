// The memory storage passes the StudyStorage contract (handles made by one factory share one store).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryStorage, tune, opLogStorage, applyOp, type StudiesState, type Transact } from '../../src/tune/index.js';
import { contractDefinition, storageContract } from './storage-contract-clocked.js';

/** Memory storages sharing one state, as two processes share one journal. */
function sharedMemory(): (clock: () => number) => Promise<import('../../src/tune/index.js').StudyStorage> {
  const state: StudiesState = new Map();
  const transact: Transact = async (decide) => { const { ops, result } = decide(state); ops.forEach((op) => applyOp(state, op)); return result; };
  return async (clock) => opLogStorage(transact, async () => {}, clock);
}

storageContract('memory', sharedMemory());

test('a trial reaped while its worker still runs cannot be finished by that worker, so nothing is recorded twice', async () => {
  let now = 0;
  const s = memoryStorage(() => now);
  await s.openStudy(contractDefinition('late', { maxTrials: 1 }));
  const t = (await s.claimTrial('late', 'host:1', () => ({ x: 0.3 })))!;
  now += 10 * 60_000;
  assert.deepEqual(await s.reapStale('late', 60_000), [0]);
  await assert.rejects(s.finishTrial('late', t.number, { state: 'complete', value: 0.9 }), /^StudyStorageError: finishTrial: trial 0 of study 'late' is not running by this worker: it is failed \(worker host:1 stopped sending heartbeats \(last 600 s ago, limit 60 s\)\); its result is not recorded$/);
  const retry = (await s.claimTrial('late', 'host:2', () => ({ x: 0.9 })))!;
  await s.finishTrial('late', retry.number, { state: 'complete', value: 0.9 });
  assert.deepEqual((await s.listTrials('late')).map((r) => [r.state, r.retryOf, r.params.x]), [['failed', null, 0.3], ['complete', 0, 0.3]]);
});

test('tune() goes on when its running trial was reaped meanwhile (taken for dead): the retry completes it', async () => {
  const storage = memoryStorage();
  const { tune } = await import('../../src/tune/index.js');
  let reaped = false;
  const s = await tune({
    space: { x: { type: 'float', low: 0, high: 1 } }, trials: 2, storage, worker: 'me:1', sampler: { name: 'random', seed: 1 },
    objective: async (t) => {
      if (!reaped) { reaped = true; assert.deepEqual(await storage.reapStale('study', 60_000, ['me:1']), [t.number]); }
      return t.params.x as number;
    },
  });
  assert.deepEqual(s.trials.map((t) => [t.state, t.retryOf]), [['failed', null], ['complete', 0], ['complete', null]]);
});

test('a trial reaped from a live loop does not count towards maxFailures, and onTrialEnd says it was reaped', async () => {
  const storage = memoryStorage();
  let reaped = false;
  const ends: Array<[string, boolean]> = [];
  const s = await tune({
    space: { x: { type: 'float', low: 0, high: 1 } }, trials: 2, storage, worker: 'me:1', sampler: { name: 'random', seed: 1 }, maxFailures: 1,
    objective: async (t) => {
      if (!reaped) { reaped = true; await storage.reapStale('study', 60_000, ['me:1']); }
      return t.params.x as number;
    },
    onTrialEnd: (t, how) => ends.push([t.state, how.reaped]),
  });
  assert.deepEqual(ends, [['failed', true], ['complete', false], ['complete', false]]);
  assert.equal(s.trials.filter((t) => t.state === 'complete').length, 2);
});
