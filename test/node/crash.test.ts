// The crash test at a small count (scripts/crash-test.ts runs ≥ 200 kills on demand): SIGKILLed
// `neurite train` runs, at random moments and inside the commit window, leave loadable folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crashTest } from '../../scripts/crash-test.js';

test('SIGKILL at random moments and inside the commit window: every folder loads, no completed epoch is lost', async () => {
  const kills = Number(process.env.NEURITE_CRASH_KILLS ?? 8);
  const f = await crashTest({ kills, seed: 7 });
  assert.deepEqual(f.failures, []);
  assert.equal(f.kills, kills);
  assert.ok(f.inWindow >= Math.floor(kills / 2) && f.atRandom >= Math.floor(kills / 2), JSON.stringify(f));
  assert.equal(f.lostBeyondCurrent, 0);
});
