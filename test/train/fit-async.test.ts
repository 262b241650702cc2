// fitAsync: bit-for-bit the same run as fit, yields to the event loop, awaits async callbacks, aborts cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, Optimizer, adam, fit, fitAsync, earlyStopping, metricsForHead, multiclassHead, data, DivergenceError, sgd, regressionHead, tensor } from '../../src/index.js';
import type { EpochLog, FitOptions } from '../../src/train/index.js';

function setup(seed = 1): Omit<FitOptions, 'callbacks'> {
  const { x, y } = data.makeSpiral({ n: 200, k: 3, seed });
  const model = nn.mlp({ sizes: [2, 16, 16, 3], activation: 'tanh', seed });
  const head = multiclassHead({ numClasses: 3 });
  return { model, head, optimizer: new Optimizer(adam({ lr: 0.02 }), model), x, y, epochs: 6, batchSize: 16, seed: 7, metrics: metricsForHead(head), validation: { x, y } };
}

const withoutMs = (h: EpochLog[]): Omit<EpochLog, 'ms'>[] => h.map(({ ms: _ms, ...rest }) => rest);
const weights = (o: Omit<FitOptions, 'callbacks'>): Record<string, number[]> => Object.fromEntries(Object.entries(o.model.stateDict()).map(([k, t]) => [k, t.toFlat()]));

test('fitAsync gives bit-for-bit the weights and history of fit with the same seed', async () => {
  const a = setup(), b = setup();
  const sync = fit({ ...a, callbacks: [earlyStopping({ patience: 100 })] });
  const async_ = await fitAsync({ ...b, callbacks: [earlyStopping({ patience: 100 })], yieldEveryMs: 0 });
  assert.equal(async_.aborted, false);
  assert.deepEqual(withoutMs(async_.history), withoutMs(sync.history));
  assert.deepEqual(weights(b), weights(a));
  assert.equal(async_.state.epoch, sync.state.epoch);
});

test('fitAsync yields to the event loop between batches', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  try {
    await fitAsync({ ...setup(), epochs: 3, yieldEveryMs: 0 });
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticks >= 5, `only ${ticks} timer callbacks ran during fitAsync`);
});

test('fitAsync awaits callbacks that return promises, in order', async () => {
  const events: string[] = [];
  const slow = (name: string) => async () => { await new Promise((ok) => setTimeout(ok, 1)); events.push(name); };
  await fitAsync({ ...setup(), epochs: 2, callbacks: [{ onEpochBegin: slow('begin'), onEpochEnd: slow('end') }, { onEpochEnd: () => { events.push('second'); } }] });
  assert.deepEqual(events, ['begin', 'end', 'second', 'begin', 'end', 'second']);
});

test('fitAsync: an abort stops between batches with aborted: true and the weights of the last batch', async () => {
  const ctl = new AbortController();
  const o = setup();
  let batches = 0;
  let seen: Record<string, number[]> = {};
  const r = await fitAsync({
    ...o, epochs: 50, signal: ctl.signal,
    callbacks: [{ onBatchEnd: (ctx) => { batches++; seen = weights(o); if (ctx.epoch === 2 && ctx.batch === 3) ctl.abort(); } }],
  });
  assert.equal(r.aborted, true);
  assert.equal(r.history.length, 1, 'the partial epoch is not in the history');
  assert.equal(r.stopReason, 'aborted before batch 4 of 13 in epoch 2');
  assert.equal(batches, 13 + 3);
  assert.deepEqual(weights(o), seen);
  assert.throws(() => fit({ ...setup(), epochs: 50, resume: r.state }), /already stopped .*aborted/);
});

test('fitAsync with an already aborted signal trains nothing', async () => {
  const o = setup();
  const before = weights(o);
  const r = await fitAsync({ ...o, signal: AbortSignal.abort() });
  assert.equal(r.aborted, true);
  assert.deepEqual(r.history, []);
  assert.deepEqual(weights(o), before);
});

test('fitAsync rejects bad options and divergence like fit', async () => {
  await assert.rejects(fitAsync({ ...setup(), yieldEveryMs: -1 }), /fitAsync: yieldEveryMs must be a number >= 0, got -1/);
  await assert.rejects(fitAsync({ ...setup(), signal: {} as AbortSignal }), /fitAsync: signal must be an AbortSignal/);
  await assert.rejects(fitAsync({ ...setup(), epoch: 3 } as never), /fitAsync: unknown option "epoch"/);
  const model = nn.mlp({ sizes: [1, 1], seed: 0 });
  const x = tensor([[1], [2]]), y = tensor([[1e30], [-1e30]]);
  await assert.rejects(fitAsync({ model, head: regressionHead(), optimizer: new Optimizer(sgd({ lr: 1e10 }), model), x, y, epochs: 5 }), DivergenceError);
});

test('an error thrown by an async callback rejects fitAsync', async () => {
  await assert.rejects(fitAsync({ ...setup(), callbacks: [{ onEpochEnd: async () => { throw new Error('callback failed'); } }] }), /callback failed/);
});
