// A small in-memory StudyStorage for the contract suite's own tests: a correct one proves the suite
// passes a storage that keeps the contract, and its deliberate flaws prove each check can fail.
import type { ProposeParams, StudyDefinition, StudyStorage, TrialRecord, TrialResult } from '../../src/tune/storage/types.js';
import { assertSameDefinition, checkStudyDefinition } from '../../src/tune/storage/definition-check.js';
import { checkAttrs } from '../../src/tune/storage/ops.js';

/** A deliberate bug a test can plant, each breaking one property of the contract. */
export type MemoryFlaw = 'counts-only-complete' | 'no-retry' | 'ignores-definition' | 'finishes-anything' | 'forgets-history' | 'reuses-numbers';

interface Study { definition: StudyDefinition; trials: TrialRecord[]; attempts: number[] }

/** The shared state many handles open (one "database"). */
export type MemoryStore = Map<string, Study>;

const now = (): string => new Date().toISOString();
const clone = <T>(v: T): T => structuredClone(v);

/**
 * A handle on `store`; every handle on one store sees the same studies, as processes on one database.
 * @example const store: MemoryStore = new Map(); const s = openMemoryStorage(store);
 */
export function openMemoryStorage(store: MemoryStore, flaw?: MemoryFlaw): StudyStorage {
  const get = (name: string): Study => {
    const st = store.get(name);
    if (!st) throw new Error(`memory storage: there is no study '${name}'`);
    return st;
  };
  const running = (name: string, trial: number): TrialRecord => {
    const t = get(name).trials[trial];
    if (!t || (t.state !== 'running' && flaw !== 'finishes-anything')) throw new Error(`trial ${trial} of study '${name}' is not running`);
    return t;
  };
  return {
    async openStudy(d) {
      checkStudyDefinition(d);
      const st = store.get(d.name);
      if (!st) store.set(d.name, { definition: clone(d), trials: [], attempts: [] });
      else if (flaw !== 'ignores-definition') assertSameDefinition(st.definition, d, 'memory');
      return clone(store.get(d.name)!.definition);
    },
    async claimTrial(name, worker, propose: ProposeParams) {
      const st = get(name);
      const start = { state: 'running' as const, worker, startedAt: now(), heartbeatAt: now() };
      const waiting = st.trials.find((t) => t.state === 'waiting');
      if (waiting) return clone(Object.assign(waiting, start));
      const counted = st.trials.filter((t) => (flaw === 'counts-only-complete' ? t.state === 'complete' : t.state !== 'failed'));
      if (counted.length >= st.definition.maxTrials) return null;
      const params = propose(flaw === 'forgets-history' ? [] : clone(st.trials));
      const number = flaw === 'reuses-numbers' ? counted.length : st.trials.length;
      const trial: TrialRecord = { number, state: 'running', params, value: null, intermediate: [], retryOf: null, worker, startedAt: now(), finishedAt: null, heartbeatAt: now(), error: null, runDir: null, attrs: {} };
      st.trials[st.trials.length] = trial;
      st.attempts.push(0);
      return clone(trial);
    },
    async reportIntermediate(name, trial, step, value) {
      const t = running(name, trial);
      t.intermediate = [...t.intermediate.filter((p) => p.step !== step), { step, value }].sort((a, b) => a.step - b.step);
      t.heartbeatAt = now();
    },
    async heartbeat(name, trial) {
      running(name, trial).heartbeatAt = now();
    },
    async finishTrial(name, trial, result: TrialResult) {
      const t = running(name, trial), attrs = result.attrs === undefined ? {} : checkAttrs(result.attrs);
      Object.assign(t, { state: result.state, value: result.value, error: result.error ?? null, runDir: result.runDir ?? null, attrs, finishedAt: now() });
    },
    async reapStale(name, staleMs, deadWorkers = []) {
      const st = get(name);
      const stale = st.trials.filter((t) => t.state === 'running' && (Date.now() - Date.parse(t.heartbeatAt!) > staleMs || deadWorkers.includes(t.worker!)));
      for (const t of stale) {
        Object.assign(t, { state: 'failed', finishedAt: now(), error: `worker ${t.worker} died or stopped sending heartbeats` });
        const attempt = st.attempts[t.number]!;
        if (attempt >= st.definition.maxRetries || flaw === 'no-retry') continue;
        st.trials.push({ ...clone(t), number: st.trials.length, state: 'waiting', value: null, intermediate: [], retryOf: t.number, worker: null, startedAt: null, finishedAt: null, heartbeatAt: null, error: null });
        st.attempts.push(attempt + 1);
      }
      return stale.map((t) => t.number);
    },
    async listTrials(name) {
      return clone(get(name).trials);
    },
    async close() {},
  };
}
