// The contract suite itself: it passes an in-memory storage that keeps the contract, and each
// deliberate flaw planted in that storage makes the check for its property fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorageContract, runCheck, storageChecks } from './storage-contract.js';
import { openMemoryStorage, type MemoryFlaw, type MemoryStore } from './memory-storage.js';

const store: MemoryStore = new Map();
describeStorageContract('in-memory reference', async () => openMemoryStorage(store));

const caughtBy: Record<MemoryFlaw, string> = {
  'counts-only-complete': 'claimTrial returns null once maxTrials',
  'no-retry': 'reapStale fails a dead worker',
  'ignores-definition': 'openStudy with a different definition',
  'finishes-anything': 'finishing a trial that is not running',
  'forgets-history': 'passes propose the full history',
  'reuses-numbers': 'a failure stands after maxRetries',
};

test('every planted flaw fails the check for its property (the suite can fail)', async () => {
  for (const [flaw, expected] of Object.entries(caughtBy) as Array<[MemoryFlaw, string]>) {
    const flawed: MemoryStore = new Map();
    const failed: string[] = [];
    for (const check of storageChecks) {
      await runCheck(check, async () => openMemoryStorage(flawed, flaw)).catch(() => failed.push(check.name));
    }
    assert.ok(failed.some((n) => n.includes(expected)), `flaw '${flaw}' should fail "${expected}…"; failed: ${JSON.stringify(failed)}`);
  }
});
