// The StudyStorage contract with a movable clock (reaping by heartbeat age): memory and journal storages pass it; see storage-contract.ts for the suite shared with PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StudyDefinition, StudyStorage } from '../../src/tune/storage/types.js';

/** A fresh study definition for the contract tests. */
export function contractDefinition(name: string, over: Partial<StudyDefinition> = {}): StudyDefinition {
  return { name, direction: 'maximize', metric: 'accuracy', space: { x: { type: 'float', low: 0, high: 1 } }, sampler: { name: 'random', seed: 0 }, pruner: { name: 'none' }, maxTrials: 3, maxRetries: 1, ...over };
}

/**
 * Registers the contract tests for storages made by `open` (each call a new handle on the same
 * backing store, so two handles act as two processes); `clock` lets reaping tests move time.
 */
export function storageContract(label: string, open: (clock: () => number) => Promise<StudyStorage>): void {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = (): number => now;
  const propose = (): Record<string, number> => ({ x: 0.5 });

  test(`${label}: openStudy creates, reopens an equal definition, refuses a different one naming the field`, async () => {
    const s = await open(clock);
    const def = contractDefinition('open');
    assert.deepEqual(await s.openStudy(def), def);
    assert.deepEqual(await s.openStudy({ ...def }), def);
    await assert.rejects(s.openStudy({ ...def, maxTrials: 9 }), /study 'open' exists with a different maxTrials: stored 3, given 9/);
    await s.close();
  });

  test(`${label}: claimTrial numbers trials 0, 1, 2 across handles and stops at maxTrials`, async () => {
    const a = await open(clock), b = await open(clock);
    await a.openStudy(contractDefinition('claim'));
    await b.openStudy(contractDefinition('claim'));
    const got = [await a.claimTrial('claim', 'w:1', propose), await b.claimTrial('claim', 'w:2', propose), await a.claimTrial('claim', 'w:1', propose)];
    assert.deepEqual(got.map((t) => t?.number), [0, 1, 2]);
    assert.ok(got.every((t) => t?.state === 'running'));
    assert.equal(await b.claimTrial('claim', 'w:2', propose), null);
    await b.finishTrial('claim', 1, { state: 'complete', value: 0.7 });
    await assert.rejects(b.finishTrial('claim', 0, { state: 'complete', value: 0.1 }), /trial 0 of study 'claim' is not running by this worker/);
    await a.reportIntermediate('claim', 0, 1, 0.4);
    await a.finishTrial('claim', 0, { state: 'pruned', value: 0.4 });
    await assert.rejects(a.finishTrial('claim', 0, { state: 'complete', value: 0.4 }), /it is pruned/);
    const trials = await b.listTrials('claim');
    assert.deepEqual(trials.map((t) => t.state), ['pruned', 'complete', 'running']);
    assert.deepEqual(trials[0]!.intermediate, [{ step: 1, value: 0.4 }]);
    await a.close(); await b.close();
  });

  test(`${label}: reapStale fails stale or dead workers' trials and queues retries (retryOf) up to maxRetries`, async () => {
    const a = await open(clock), r = await open(clock);
    await a.openStudy(contractDefinition('reap', { maxTrials: 2, maxRetries: 1 }));
    await r.openStudy(contractDefinition('reap', { maxTrials: 2, maxRetries: 1 }));
    const t0 = (await a.claimTrial('reap', 'host:1', () => ({ x: 0.1 })))!;
    const t1 = (await a.claimTrial('reap', 'host:2', () => ({ x: 0.2 })))!;
    now += 5_000;
    await a.heartbeat('reap', t1.number);
    now += 30_000;
    assert.deepEqual(await r.reapStale('reap', 60_000), []);
    assert.deepEqual(await r.reapStale('reap', 60_000, ['host:1']), [0]);
    now += 40_000;
    assert.deepEqual(await r.reapStale('reap', 60_000), [1]);
    let trials = await r.listTrials('reap');
    assert.deepEqual(trials.map((t) => [t.state, t.retryOf, t.params.x]), [['failed', null, 0.1], ['failed', null, 0.2], ['waiting', 0, 0.1], ['waiting', 1, 0.2]]);
    await assert.rejects(a.finishTrial('reap', 0, { state: 'complete', value: 1 }), /is not running by this worker: it is failed \(worker host:1 died/);
    const retry = (await r.claimTrial('reap', 'host:3', () => ({ x: 0.9 })))!;
    assert.deepEqual([retry.number, retry.retryOf, retry.params.x], [2, 0, 0.1]);
    assert.deepEqual(await r.reapStale('reap', 60_000, ['host:3']), [2]);
    trials = await r.listTrials('reap');
    assert.equal(trials.length, 4, 'a retry of a retry is not queued with maxRetries 1');
    await a.close(); await r.close();
  });
}
