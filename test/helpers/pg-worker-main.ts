// A worker process for the PostgreSQL tests, run bundled by pg-worker-process.ts: `node pg-worker.mjs '<json>'`.
// Mode `train` runs runTuneWorker (tiny MLP trials); mode `claim` claims and finishes trials as fast
// as it can (no training), to race many processes on the study row lock. One JSON line per event.
import { hostname } from 'node:os';
import { openPostgresStorage } from 'neurite/node'; // dist/, like tune-worker.ts
import { randomProposer, runTuneWorker, tinyStudy } from './tune-worker.js';

interface Args { url: string; study: string; maxTrials: number; mode: 'train' | 'claim'; epochs?: number; staleMs?: number; epochDelayMs?: number }

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const print = (event: Record<string, unknown>): void => { process.stdout.write(JSON.stringify(event) + '\n'); };
const worker = `${hostname()}:${process.pid}`;
const storage = await openPostgresStorage(args.url, { retryDelayMs: 50 });
try {
  const study = tinyStudy(args.study, args.maxTrials);
  if (args.mode === 'claim') {
    await storage.openStudy(study);
    const propose = randomProposer(7);
    for (let t = await storage.claimTrial(study.name, worker, propose); t; t = await storage.claimTrial(study.name, worker, propose)) {
      await storage.finishTrial(study.name, t.number, { state: 'complete', value: t.number });
      print({ event: 'finished', trial: t.number, value: t.number });
    }
  } else {
    await runTuneWorker({ storage, study, worker, epochs: args.epochs ?? 2, staleMs: args.staleMs ?? 5000, epochDelayMs: args.epochDelayMs, log: print });
  }
  print({ event: 'done', worker });
} finally {
  await storage.close();
}
