// A minimal tune worker for the storage tests (not a public API; the real loop is `tune()`): reap
// stale trials, claim one with a seeded random proposer, train a tiny MLP with fitAsync reporting
// validation accuracy per epoch, finish it; until the study has nothing left to run.
import { hostname } from 'node:os';
// The built package (dist/), as the examples use it: worker processes run this file bundled for
// plain node (pg-worker-process.ts), a third of the start-up CPU of src/ through tsx.
import { Optimizer, Rng, adam, data, fitAsync, metricsForHead, multiclassHead, nn } from 'neurite';
import { TrialNotRunningError } from 'neurite/node';
import type { ParamValue, StudyDefinition, StudyStorage, TrialRecord } from '../../src/tune/storage/types.js';

/** The tests' study: a tiny spiral classifier's learning rate, width and activation. */
export function tinyStudy(name: string, maxTrials: number, maxRetries = 2): StudyDefinition {
  return {
    name, direction: 'maximize', metric: 'validation.accuracy',
    space: { lr: { type: 'float', low: 1e-3, high: 0.3, log: true }, hidden: { type: 'categorical', choices: [4, 8, 16] }, activation: { type: 'categorical', choices: ['tanh', 'relu'] } },
    sampler: { name: 'random', seed: 7 }, pruner: null, maxTrials, maxRetries,
  };
}

/** Random search over tinyStudy's space, seeded by the study seed and the number of trials so far. */
export function randomProposer(seed: number): (trials: readonly TrialRecord[]) => Record<string, ParamValue> {
  return (trials) => {
    const rng = new Rng(seed * 100_003 + trials.length);
    return {
      lr: Math.exp(Math.log(1e-3) + rng.uniform() * (Math.log(0.3) - Math.log(1e-3))),
      hidden: [4, 8, 16][Math.floor(rng.uniform() * 3)]!,
      activation: rng.uniform() < 0.5 ? 'tanh' : 'relu',
    };
  };
}

const spiral = data.makeSpiral({ n: 90, k: 3, seed: 3 });
const { train, test: validation } = data.trainTestSplit({ x: spiral.x, y: spiral.y }, { testSize: 30, seed: 1, stratify: true });

/** Trains the tiny MLP for `epochs`, calling `onEpoch(epoch, validationAccuracy)` after each; returns the last accuracy. */
export async function trainTiny(params: Record<string, ParamValue>, epochs: number, onEpoch: (epoch: number, acc: number) => Promise<void>): Promise<number> {
  const model = nn.mlp({ sizes: [2, Number(params.hidden), 3], activation: params.activation as 'tanh' | 'relu', seed: 1 });
  const head = multiclassHead({ numClasses: 3 });
  let last = NaN;
  await fitAsync({
    model, head, optimizer: new Optimizer(adam({ lr: Number(params.lr) }), model), x: train.x, y: train.y, epochs, batchSize: 16, seed: 1,
    validation: { x: validation.x, y: validation.y }, metrics: metricsForHead(head), divergenceFactor: null,
    callbacks: [{ onEpochEnd: async (_ctx, log) => { last = log.valMetrics!.accuracy!; await onEpoch(log.epoch, last); } }],
  });
  return last;
}

/** What the worker does and how it tells the test. */
export interface TuneWorkerOptions {
  storage: StudyStorage;
  study: StudyDefinition;
  /** `host:pid` by default. */
  worker?: string;
  epochs: number;
  /** Running trials whose heartbeat is older than this are reaped (and retried) by any worker. */
  staleMs: number;
  /** Sleep after each epoch (the crash test uses it so that kills land inside trials). */
  epochDelayMs?: number;
  /** Called with each event: claimed, epoch, finished (after the storage acknowledged it). */
  log?: (event: Record<string, unknown>) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs trials of `study` until none is left to claim and none is running anywhere (so a dead
 * worker's trial is reaped and retried by the survivors). Returns the trial numbers it finished.
 * @example await runTuneWorker({ storage, study: tinyStudy('s', 8), epochs: 2, staleMs: 5000 });
 */
export async function runTuneWorker(o: TuneWorkerOptions): Promise<number[]> {
  const worker = o.worker ?? `${hostname()}:${process.pid}`;
  const log = o.log ?? (() => undefined);
  const finished: number[] = [];
  await o.storage.openStudy(o.study);
  const propose = randomProposer((o.study.sampler as { seed: number }).seed);
  for (;;) {
    await o.storage.reapStale(o.study.name, o.staleMs);
    const trial = await o.storage.claimTrial(o.study.name, worker, propose);
    if (!trial) {
      const busy = (await o.storage.listTrials(o.study.name)).some((t) => t.state === 'running' || t.state === 'waiting');
      if (!busy) return finished;
      await sleep(Math.min(200, o.staleMs / 4));
      continue;
    }
    log({ event: 'claimed', trial: trial.number, retryOf: trial.retryOf });
    try {
      const value = await trainTiny(trial.params, o.epochs, async (epoch, acc) => {
        await o.storage.reportIntermediate(o.study.name, trial.number, epoch, acc);
        log({ event: 'epoch', trial: trial.number, step: epoch });
        if (o.epochDelayMs) await sleep(o.epochDelayMs);
      });
      await o.storage.finishTrial(o.study.name, trial.number, { state: 'complete', value });
      finished.push(trial.number);
      log({ event: 'finished', trial: trial.number, value });
    } catch (err) {
      if (!(err instanceof TrialNotRunningError)) throw err;
      log({ event: 'lost', trial: trial.number }); // reaped while we ran it (we looked dead): its retry runs it
    }
  }
}
