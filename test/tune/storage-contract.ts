// The StudyStorage contract as a reusable suite: run it against any storage (PostgreSQL, journal,
// memory) with `describeStorageContract(label, open)`, where every `open()` gives another handle on
// the same backing store (another process's view). Each check uses its own study name.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParamValue, StudyDefinition, StudyStorage, TrialRecord } from '../../src/tune/storage/types.js';

/** Opens another handle on the store under test (as another worker process would). */
export type OpenStorage = () => Promise<StudyStorage>;

/** One named property of the contract; `run` rejects when the storage breaks it. */
export interface StorageCheck {
  readonly name: string;
  run(open: OpenStorage, study: string): Promise<void>;
}

/** A small study definition; `overrides` change any field. */
export function definition(name: string, overrides: Partial<StudyDefinition> = {}): StudyDefinition {
  return {
    name, direction: 'maximize', metric: 'validation.accuracy',
    space: { lr: { type: 'float', low: 1e-4, high: 0.1, log: true }, optimizer: { type: 'categorical', choices: ['adam', 'sgd'] } },
    sampler: { name: 'random', seed: 1 }, pruner: { name: 'median' }, maxTrials: 4, maxRetries: 1, ...overrides,
  };
}

/** A proposer that numbers its proposals by the history it was shown. */
const byHistory = (trials: readonly TrialRecord[]): Record<string, ParamValue> => ({ lr: 0.001 * (trials.length + 1), optimizer: 'adam' });

async function claimed(s: StudyStorage, study: string, worker = 'host:1'): Promise<TrialRecord> {
  const t = await s.claimTrial(study, worker, byHistory);
  assert.ok(t, `claimTrial returned null where a trial was due (study '${study}')`);
  return t;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Every property the suite checks, in order. */
export const storageChecks: readonly StorageCheck[] = [
  {
    name: 'openStudy creates a study, and reopening it with an equal definition (keys in another order) loads it',
    async run(open, study) {
      const s = await open();
      const def = definition(study);
      assert.deepEqual(await s.openStudy(def), def);
      const reordered = { ...def, space: { optimizer: (def.space as any).optimizer, lr: (def.space as any).lr } };
      assert.deepEqual(await (await open()).openStudy(reordered), def);
      assert.deepEqual(await s.listTrials(study), []);
    },
  },
  {
    name: 'openStudy with a different definition is an error naming the differing field',
    async run(open, study) {
      const s = await open();
      await s.openStudy(definition(study));
      const variants: Array<[keyof StudyDefinition, Partial<StudyDefinition>]> = [
        ['direction', { direction: 'minimize' }], ['metric', { metric: 'validation.loss' }],
        ['space', { space: { lr: { type: 'float', low: 1e-4, high: 0.2, log: true } } }], ['sampler', { sampler: { name: 'tpe', seed: 1 } }],
        ['pruner', { pruner: null }], ['maxTrials', { maxTrials: 5 }], ['maxRetries', { maxRetries: 3 }],
      ];
      for (const [field, change] of variants) {
        await assert.rejects((await open()).openStudy(definition(study, change)), (e: Error) => e.message.includes(field), `a different ${field} must be refused, naming it`);
      }
    },
  },
  {
    name: 'claimTrial numbers trials 0, 1, 2 in claim order, marks them running and passes propose the full history',
    async run(open, study) {
      const s = await open();
      await s.openStudy(definition(study));
      const seen: number[][] = [];
      const propose = (trials: readonly TrialRecord[]): Record<string, ParamValue> => {
        seen.push(trials.map((t) => t.number));
        return { lr: 0.01, optimizer: trials.length % 2 ? 'sgd' : 'adam' };
      };
      const a = (await s.claimTrial(study, 'host:1', propose))!;
      await s.reportIntermediate(study, a.number, 1, 0.5);
      await s.finishTrial(study, a.number, { state: 'complete', value: 0.75 });
      const b = (await (await open()).claimTrial(study, 'host:2', propose))!;
      const c = (await s.claimTrial(study, 'host:1', (trials) => {
        const first = trials.find((t) => t.number === 0)!;
        assert.deepEqual([first.state, first.value, first.intermediate], ['complete', 0.75, [{ step: 1, value: 0.5 }]]);
        return propose(trials);
      }))!;
      assert.deepEqual([a.number, b.number, c.number], [0, 1, 2]);
      assert.deepEqual(seen, [[], [0], [0, 1]]);
      assert.deepEqual([b.state, b.worker, b.retryOf, b.params], ['running', 'host:2', null, { lr: 0.01, optimizer: 'sgd' }]);
      assert.ok(b.startedAt && !Number.isNaN(Date.parse(b.startedAt)) && b.heartbeatAt, 'startedAt/heartbeatAt are ISO times');
    },
  },
  {
    name: 'claimTrial returns null once maxTrials trials are complete, pruned or running, without calling propose',
    async run(open, study) {
      const s = await open();
      await s.openStudy(definition(study, { maxTrials: 3 }));
      const [a, b] = [await claimed(s, study), await claimed(s, study)];
      await claimed(s, study);
      await s.finishTrial(study, a.number, { state: 'complete', value: 0.9 });
      await s.finishTrial(study, b.number, { state: 'pruned', value: 0.2 });
      assert.equal(await s.claimTrial(study, 'host:1', () => assert.fail('propose called past maxTrials')), null);
      assert.equal((await s.listTrials(study)).length, 3);
    },
  },
  {
    name: 'reportIntermediate and finishTrial are stored: steps in order, final state, value, error, run folder and attributes',
    async run(open, study) {
      const s = await open();
      await s.openStudy(definition(study));
      const a = await claimed(s, study), b = await claimed(s, study), c = await claimed(s, study);
      for (const [step, v] of [[2, 0.6], [1, 0.4], [3, 0.7]] as const) await s.reportIntermediate(study, a.number, step, v);
      await s.finishTrial(study, a.number, { state: 'complete', value: 0.7, runDir: 'runs/trial-0', attrs: { folds: [0.6, 0.8], foldStd: 0.1 } });
      await s.reportIntermediate(study, b.number, 1, 0.1);
      await s.finishTrial(study, b.number, { state: 'pruned', value: 0.1 });
      await s.finishTrial(study, c.number, { state: 'failed', value: null, error: 'objective threw: boom' });
      const [ta, tb, tc] = await (await open()).listTrials(study);
      assert.deepEqual(ta!.intermediate, [{ step: 1, value: 0.4 }, { step: 2, value: 0.6 }, { step: 3, value: 0.7 }]);
      assert.deepEqual([ta!.state, ta!.value, ta!.runDir, tb!.state, tb!.value, tc!.state, tc!.error], ['complete', 0.7, 'runs/trial-0', 'pruned', 0.1, 'failed', 'objective threw: boom']);
      assert.deepEqual([ta!.attrs, tb!.attrs], [{ folds: [0.6, 0.8], foldStd: 0.1 }, {}], 'attributes round-trip; a trial finished without them has {}');
      assert.ok(ta!.finishedAt && Date.parse(ta!.finishedAt) >= Date.parse(ta!.startedAt!), 'finishedAt is set, not before startedAt');
    },
  },
  {
    name: 'attributes that are not a JSON object are refused, naming result.attrs, and the trial stays running',
    async run(open, study) {
      const s = await open();
      await s.openStudy(definition(study));
      const a = await claimed(s, study);
      for (const attrs of [[0.6, 0.8], 'folds', 3, null]) {
        await assert.rejects(s.finishTrial(study, a.number, { state: 'complete', value: 0.5, attrs: attrs as never }), /result\.attrs must be a JSON object/, `attrs ${JSON.stringify(attrs)}`);
      }
      const [stored] = await (await open()).listTrials(study);
      assert.deepEqual([stored!.state, stored!.attrs], ['running', {}]);
      await s.finishTrial(study, a.number, { state: 'complete', value: 0.5, attrs: { cv: 5 } });
      assert.deepEqual((await (await open()).listTrials(study))[0]!.attrs, { cv: 5 });
    },
  },
  {
    name: 'finishing a trial that is not running (finished already, or reaped) is an error',
    async run(open, study) {
      const s = await open();
      await s.openStudy(definition(study));
      const a = await claimed(s, study), b = await claimed(s, study, 'host:dead');
      await s.finishTrial(study, a.number, { state: 'complete', value: 0.5 });
      await assert.rejects(s.finishTrial(study, a.number, { state: 'complete', value: 0.6 }), /trial 0|not running|complete/);
      assert.deepEqual(await s.reapStale(study, 3_600_000, ['host:dead']), [b.number]);
      await assert.rejects(s.finishTrial(study, b.number, { state: 'complete', value: 0.9 }));
      const stored = await s.listTrials(study);
      assert.deepEqual([stored[0]!.value, stored[1]!.state], [0.5, 'failed']);
    },
  },
  {
    name: "reapStale fails a dead worker's trial and queues its parameters as a waiting retry, which the next claim takes first",
    async run(open, study) {
      const s = await open();
      await s.openStudy(definition(study, { maxTrials: 2, maxRetries: 1 }));
      const a = await claimed(s, study, 'host:dead'), b = await claimed(s, study, 'host:alive');
      assert.deepEqual(await s.reapStale(study, 3_600_000, ['host:dead']), [a.number]);
      const trials = await s.listTrials(study);
      assert.deepEqual(trials.map((t) => [t.number, t.state, t.retryOf]), [[0, 'failed', null], [1, 'running', null], [2, 'waiting', 0]]);
      assert.deepEqual(trials[2]!.params, a.params);
      assert.ok(trials[0]!.error, 'a reaped trial says why it failed');
      const retry = await (await open()).claimTrial(study, 'host:new', () => assert.fail('a waiting retry must be taken before proposing'));
      assert.deepEqual([retry!.number, retry!.state, retry!.retryOf, retry!.worker, retry!.params], [2, 'running', 0, 'host:new', a.params]);
      await s.finishTrial(study, b.number, { state: 'complete', value: 1 });
      assert.equal(await s.claimTrial(study, 'host:1', byHistory), null, 'failed trials do not count; the retry does');
    },
  },
  {
    name: 'a failure stands after maxRetries retries, and failed trials leave room for new proposals',
    async run(open, study) {
      const s = await open();
      await s.openStudy(definition(study, { maxTrials: 1, maxRetries: 1 }));
      await claimed(s, study, 'host:a');
      assert.deepEqual(await s.reapStale(study, 0, ['host:a']), [0]);
      const retry = await claimed(s, study, 'host:b');
      assert.equal(retry.retryOf, 0);
      assert.deepEqual(await s.reapStale(study, 0, ['host:b']), [1]);
      assert.deepEqual((await s.listTrials(study)).map((t) => t.state), ['failed', 'failed'], 'no second retry with maxRetries 1');
      const fresh = await claimed(s, study, 'host:c');
      assert.deepEqual([fresh.number, fresh.retryOf], [2, null]);
    },
  },
  {
    name: 'reapStale by heartbeat age: fresh trials stay running, stale ones are failed; heartbeat refreshes heartbeatAt',
    async run(open, study) {
      const s = await open();
      await s.openStudy(definition(study, { maxRetries: 0 }));
      const a = await claimed(s, study);
      await sleep(30);
      await s.heartbeat(study, a.number);
      const after = (await s.listTrials(study))[0]!;
      assert.ok(Date.parse(after.heartbeatAt!) > Date.parse(a.heartbeatAt!), `heartbeat moved heartbeatAt (${a.heartbeatAt} → ${after.heartbeatAt})`);
      assert.deepEqual(await s.reapStale(study, 3_600_000), [], 'a trial with a fresh heartbeat is not reaped');
      await sleep(30);
      assert.deepEqual(await s.reapStale(study, 10), [a.number]);
      assert.deepEqual((await s.listTrials(study)).map((t) => t.state), ['failed'], 'maxRetries 0: nothing queued');
    },
  },
  {
    name: 'concurrent claims through several handles hand out every number once and never more than maxTrials',
    async run(open, study) {
      const handles = await Promise.all(Array.from({ length: 4 }, () => open()));
      await Promise.all(handles.map((h) => h.openStudy(definition(study, { maxTrials: 12 }))));
      const got = await Promise.all(Array.from({ length: 20 }, (_, i) => handles[i % 4]!.claimTrial(study, `host:${i}`, byHistory)));
      const numbers = got.filter((t) => t !== null).map((t) => t.number).sort((x, y) => x - y);
      assert.deepEqual(numbers, Array.from({ length: 12 }, (_, i) => i));
      assert.equal(got.filter((t) => t === null).length, 8);
      assert.equal((await handles[0]!.listTrials(study)).length, 12);
    },
  },
  {
    name: 'a proposer that throws fails claimTrial with its error and creates no trial',
    async run(open, study) {
      const s = await open();
      await s.openStudy(definition(study));
      await assert.rejects(s.claimTrial(study, 'host:1', () => { throw new Error('sampler exploded'); }), /sampler exploded/);
      assert.deepEqual(await s.listTrials(study), []);
      assert.equal((await claimed(s, study)).number, 0);
    },
  },
  {
    name: 'claimTrial on a study that was never opened is an error',
    async run(open, study) {
      await assert.rejects((await open()).claimTrial(`${study}-never-opened`, 'host:1', byHistory));
    },
  },
];

let counter = 0;

/** Runs `check` on a fresh study name, closing every handle it opened. */
export async function runCheck(check: StorageCheck, open: OpenStorage): Promise<void> {
  const opened: StudyStorage[] = [];
  const tracked: OpenStorage = async () => {
    const s = await open();
    opened.push(s);
    return s;
  };
  try {
    await check.run(tracked, `contract-${process.pid}-${++counter}`);
  } finally {
    await Promise.all(opened.map((s) => s.close()));
  }
}

/**
 * Registers every contract check as a test under `label`. `open` is called inside the tests only,
 * so it may use a server started in `before()`.
 * @example describeStorageContract('journal', () => openJournalStorage(dir), { skip: undefined });
 */
export function describeStorageContract(label: string, open: OpenStorage, options: { skip?: string | boolean } = {}): void {
  describe(`StudyStorage contract: ${label}`, { skip: options.skip }, () => {
    for (const check of storageChecks) test(check.name, () => runCheck(check, open));
  });
}
