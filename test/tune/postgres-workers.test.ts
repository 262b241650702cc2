// Many workers on one PostgreSQL study: racing claimers on separate connections and in separate
// processes get every trial number exactly once and never more than maxTrials; 4 worker processes
// training tiny MLPs finish a 64-trial study with every trial accounted for exactly once.
// NEURITE_PG_TRIALS / NEURITE_PG_WORKERS run a larger study on demand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPostgresStorage } from '../../src/node/tune/storage-postgres.js';
import { usePostgres } from '../helpers/postgres.js';
import { randomProposer, tinyStudy } from '../helpers/tune-worker.js';
import { allExitClean, assertStudyAccounted, spawnPgWorker } from '../helpers/pg-worker-process.js';

const db = usePostgres();
const { skip } = db;

test('16 connections and 4 processes racing on one study: each trial number once, never more than maxTrials', { skip }, async () => {
  const maxTrials = 150, study = tinyStudy('race', maxTrials);
  const processes = Array.from({ length: 4 }, () => spawnPgWorker({ url: db.url, study: study.name, maxTrials, mode: 'claim' }));
  const handles = await Promise.all(Array.from({ length: 16 }, () => openPostgresStorage(db.url, { poolSize: 1 })));
  const inProcess: number[] = [];
  try {
    await Promise.all(handles.map(async (h, i) => {
      await h.openStudy(study);
      for (let t = await h.claimTrial(study.name, `local:${i}`, randomProposer(7)); t; t = await h.claimTrial(study.name, `local:${i}`, randomProposer(7))) {
        await h.finishTrial(study.name, t.number, { state: 'complete', value: t.number });
        inProcess.push(t.number);
      }
    }));
    await allExitClean(processes);
    const fromProcesses = processes.flatMap((p) => p.events.filter((e) => e.event === 'finished').map((e) => e.trial!));
    const all = [...inProcess, ...fromProcesses].sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: maxTrials }, (_, i) => i), 'every number 0..149 claimed and finished exactly once');
    assert.ok(fromProcesses.length > 0, 'the processes got trials too (they raced)');
    const trials = await handles[0]!.listTrials(study.name);
    assert.equal(trials.length, maxTrials);
    assert.ok(trials.every((t) => t.state === 'complete' && t.value === t.number));
  } finally {
    await Promise.all(handles.map((h) => h.close()));
  }
});

test('4 worker processes finish a 64-trial study of tiny MLPs with every trial accounted for exactly once', { skip }, async () => {
  const maxTrials = Number(process.env.NEURITE_PG_TRIALS ?? 64), workers = Number(process.env.NEURITE_PG_WORKERS ?? 4), epochs = 2;
  const study = tinyStudy('mlp-64', maxTrials);
  const procs = Array.from({ length: workers }, () => spawnPgWorker({ url: db.url, study: study.name, maxTrials, mode: 'train', epochs }));
  await allExitClean(procs);
  const s = await openPostgresStorage(db.url);
  try {
    const trials = await s.listTrials(study.name);
    const finished = procs.flatMap((p) => p.events.filter((e) => e.event === 'finished'));
    assertStudyAccounted(trials, maxTrials, finished);
    assert.equal(trials.length, maxTrials, 'no worker died, so no retries');
    assert.equal(finished.length, maxTrials, 'the workers together finished every trial');
    assert.ok(procs.filter((p) => p.events.some((e) => e.event === 'finished')).length >= Math.min(2, workers), 'the trials were shared between workers');
    for (const t of trials) {
      assert.deepEqual(t.intermediate.map((p) => p.step), [1, 2], `trial ${t.number} reported each epoch`);
      assert.ok(t.value! >= 0 && t.value! <= 1 && t.value === t.intermediate.at(-1)!.value, `trial ${t.number}: its value is its last validation accuracy`);
    }
    const best = Math.max(...trials.map((t) => t.value!)), worst = Math.min(...trials.map((t) => t.value!));
    assert.ok(best > worst, `a real search: accuracies differ between configurations (${worst}..${best})`);
  } finally {
    await s.close();
  }
});
