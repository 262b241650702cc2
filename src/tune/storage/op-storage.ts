// A StudyStorage over an op log: every method runs one atomic step (`transact`) that brings the state
// up to date, decides its ops from it (ops.ts) and commits them. The memory storage commits to an
// array; the journal (src/node/tune/journal.ts) to its file under a lock.
import { type StudiesState, type StudyOp, applyOp } from './state.js';
import { checkRunning, claimOps, finishOp, openOps, reapOps } from './ops.js';
import type { ProposeParams, StudyDefinition, StudyStorage, TrialRecord, TrialResult } from './types.js';

/** One atomic step: `decide` sees the current state and returns the ops to commit and its result. */
export type Transact = <T>(decide: (state: StudiesState) => { ops: StudyOp[]; result: T }) => Promise<T>;

/** The clock of a storage (ms since the epoch); tests pass their own. */
export type Clock = () => number;

/**
 * A StudyStorage whose every method is one `transact` step; the handle remembers which worker it
 * claimed each trial for, so reports and finishes of trials it did not claim (or that were reaped
 * meanwhile) are refused.
 * @example const storage = opLogStorage(async (decide) => decide(new Map()).result, async () => {});
 */
export function opLogStorage(transact: Transact, close: () => Promise<void>, clock: Clock = Date.now): StudyStorage {
  const claimedBy = new Map<string, string>();
  const key = (study: string, n: number): string => `${study}\u0000${n}`;
  const iso = (): string => new Date(clock()).toISOString();
  return {
    openStudy: (def: StudyDefinition) => transact((st) => {
      const ops = openOps(st, def);
      return { ops, result: structuredClone(st.get(def.name)?.def ?? def) };
    }),
    async claimTrial(study: string, worker: string, propose: ProposeParams): Promise<TrialRecord | null> {
      const trial = await transact((st) => {
        const { ops, trial: t } = claimOps(st, study, worker, propose, iso());
        return { ops, result: t === null ? null : t.number };
      });
      if (trial === null) return null;
      claimedBy.set(key(study, trial), worker);
      return transact((st) => ({ ops: [], result: structuredClone(st.get(study)!.trials[trial]!) }));
    },
    reportIntermediate: (study, trial, step, value) => transact((st) => {
      checkRunning(st, study, trial, claimedBy.get(key(study, trial)), 'reportIntermediate');
      if (!(Number.isInteger(step) && step >= 0)) throw new Error(`reportIntermediate: step must be a non-negative integer, got ${step}`);
      if (typeof value !== 'number') throw new Error(`reportIntermediate: value must be a number, got ${JSON.stringify(value)}`);
      return { ops: [{ op: 'report', study, number: trial, step, value, at: iso() }], result: undefined };
    }),
    heartbeat: (study, trial) => transact((st) => {
      checkRunning(st, study, trial, claimedBy.get(key(study, trial)), 'heartbeat');
      return { ops: [{ op: 'heartbeat', study, number: trial, at: iso() }], result: undefined };
    }),
    finishTrial: (study: string, trial: number, result: TrialResult) => transact((st) => {
      checkRunning(st, study, trial, claimedBy.get(key(study, trial)), 'finishTrial');
      // Validated before the claim is given up: a refused result leaves the trial running and ours.
      const op = finishOp(study, trial, result, iso());
      claimedBy.delete(key(study, trial));
      return { ops: [op], result: undefined };
    }),
    reapStale: (study, staleMs, deadWorkers = []) => transact((st) => {
      const { ops, reaped } = reapOps(st, study, staleMs, deadWorkers, clock());
      return { ops, result: reaped };
    }),
    listTrials: (study) => transact((st) => {
      const s = st.get(study);
      if (!s) throw new Error(`listTrials: study '${study}' does not exist in this storage`);
      return { ops: [], result: structuredClone(s.trials) };
    }),
    close,
  };
}

/**
 * The in-memory storage: one process, gone when it exits (the library's default; tests).
 * @example const storage = memoryStorage(); await storage.openStudy({ name: 'demo', direction: 'maximize', metric: 'accuracy', space: {}, sampler: { name: 'random' }, pruner: { name: 'none' }, maxTrials: 10, maxRetries: 1 });
 */
export function memoryStorage(clock: Clock = Date.now): StudyStorage {
  const state: StudiesState = new Map();
  let queue: Promise<unknown> = Promise.resolve();
  const transact: Transact = (decide) => {
    const run = queue.then(() => {
      const { ops, result } = decide(state);
      for (const op of ops) applyOp(state, op);
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  };
  return opLogStorage(transact, async () => {}, clock);
}
