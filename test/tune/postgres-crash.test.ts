// Crash test on the PostgreSQL storage: worker processes training tiny MLPs are SIGKILLed in the
// middle of a trial; the survivors reap the dead trials by heartbeat age and retry them. Nothing
// completed is lost, nothing runs twice, the study finishes. NEURITE_PG_KILLS and
// NEURITE_PG_CRASH_TRIALS raise the counts on demand (two workers more than kills are started).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPostgresStorage } from '../../src/node/tune/storage-postgres.js';
import { usePostgres } from '../helpers/postgres.js';
import { tinyStudy } from '../helpers/tune-worker.js';
import { assertStudyAccounted, spawnPgWorker, type WorkerProcess } from '../helpers/pg-worker-process.js';

const db = usePostgres();

test('SIGKILLed workers mid-trial: after reaping, 0 completed trials lost, 0 duplicated, the study finishes', { skip: db.skip }, async () => {
  const kills = Number(process.env.NEURITE_PG_KILLS ?? 2), maxTrials = Number(process.env.NEURITE_PG_CRASH_TRIALS ?? 16);
  const study = tinyStudy('crash', maxTrials, kills); // maxRetries = kills: even one trial killed every time completes
  const args = { url: db.url, study: study.name, maxTrials, mode: 'train', epochs: 3, epochDelayMs: 60, staleMs: 1000 };
  const workers: WorkerProcess[] = [];
  const killedTrials: number[] = [];
  const start = (): void => {
    const w = spawnPgWorker(args);
    let current = -1, finishedOne = false;
    w.onEvent((e) => {
      if (e.event === 'claimed') current = e.trial!;
      if (e.event === 'finished') finishedOne = true;
      if (e.event === 'epoch' && e.step === 1 && finishedOne && killedTrials.length < kills && w.child.exitCode === null) {
        w.child.kill('SIGKILL'); // mid-trial: epoch 1 of 3 reported, the rest not yet run
        killedTrials.push(current);
      }
    });
    workers.push(w);
  };
  for (let i = 0; i < kills + 2; i++) start(); // two survive every kill
  for (let i = 0; i < workers.length; i++) {
    const r = await workers[i]!.exited;
    const wasKilled = r.signal === 'SIGKILL';
    assert.ok(wasKilled || r.code === 0, `worker ${workers[i]!.child.pid} exited ${r.code ?? r.signal}: ${r.stderr}`);
  }
  assert.equal(killedTrials.length, kills, 'every planned kill happened');
  assert.equal(workers.filter((w) => w.child.signalCode === 'SIGKILL').length, kills);
  const s = await openPostgresStorage(db.url);
  try {
    const trials = await s.listTrials(study.name);
    assertStudyAccounted(trials, maxTrials, workers.flatMap((w) => w.events.filter((e) => e.event === 'finished')));
    for (const n of killedTrials) {
      const t = trials[n]!;
      assert.equal(t.state, 'failed', `killed trial ${n} is failed`);
      assert.match(t.error!, /stopped sending heartbeats: the last one was [\d.]+ s ago, stale after 1 s/);
      assert.ok(trials.some((r) => r.retryOf === n), `killed trial ${n} was queued again`);
      assert.deepEqual(t.intermediate.map((p) => p.step), [1], 'what the killed worker reported before dying is kept');
    }
    assert.ok(trials.length >= maxTrials + kills, 'one retry per kill');
  } finally {
    await s.close();
  }
});
