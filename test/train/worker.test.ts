// trainInWorker/serveTraining over a MessageChannel (the same protocol a browser Worker carries):
// bit-for-bit fit's weights, progress events, snapshots, abort, and errors from the worker side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { nn, Optimizer, adam, fit, metricsForHead, multiclassHead, data, trainInWorker, serveTraining, io } from '../../src/index.js';
import type { MessageEndpoint } from '../../src/index.js';
import type { EpochLog } from '../../src/train/index.js';

function channel(): { page: MessageEndpoint; stop: () => void } {
  const { port1, port2 } = new MessageChannel();
  const stopServing = serveTraining(port2 as unknown as MessageEndpoint);
  return { page: port1 as unknown as MessageEndpoint, stop: () => { stopServing(); port1.close(); port2.close(); } };
}

const spiral = () => data.makeSpiral({ n: 150, k: 3, seed: 3 });
const model = () => nn.mlp({ sizes: [2, 16, 3], activation: 'tanh', dropout: 0.1, seed: 5 });
const weights = (m: nn.Module): Record<string, number[]> => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.toFlat()]));
const withoutMs = (h: EpochLog[]) => h.map(({ ms: _ms, ...rest }) => rest);

test('trainInWorker gives bit-for-bit the weights and history of fit, with progress and snapshots', async () => {
  const { x, y } = spiral();
  const head = multiclassHead({ numClasses: 3 });
  const local = model(), remote = model();
  const sync = fit({ model: local, head, optimizer: new Optimizer(adam({ lr: 0.02 }), local), x, y, epochs: 4, batchSize: 16, seed: 2, metrics: metricsForHead(head) });
  const { page, stop } = channel();
  const epochs: number[] = [], snapshots: number[] = [];
  let batches = 0;
  try {
    const r = await trainInWorker(page, {
      model: remote, head, optimizer: { name: 'adam', lr: 0.02 }, x, y, epochs: 4, batchSize: 16, seed: 2, batchEveryMs: 0, snapshotEveryEpochs: 2,
      onEpoch: (log) => epochs.push(log.epoch), onBatch: () => batches++,
      onSnapshot: (s) => { snapshots.push(s.epoch); assert.ok(Object.keys(io.decodeSafetensors(s.weights).tensors).length > 0); },
    });
    assert.equal(r.aborted, false);
    assert.deepEqual(withoutMs(r.history), withoutMs(sync.history));
    assert.deepEqual(weights(remote), weights(local));
    assert.deepEqual(epochs, [1, 2, 3, 4]);
    assert.deepEqual(snapshots, [2, 4]);
    assert.equal(batches, 4 * 10);
    assert.equal(typeof r.backend, 'string');
  } finally {
    stop();
  }
});

test('trainInWorker: aborting the signal stops the worker between batches', async () => {
  const { x, y } = spiral();
  const m = model();
  const ctl = new AbortController();
  const { page, stop } = channel();
  try {
    const r = await trainInWorker(page, {
      model: m, head: multiclassHead({ numClasses: 3 }), optimizer: { name: 'sgd', lr: 0.1 }, x, y, epochs: 10_000, batchSize: 8, yieldEveryMs: 0,
      signal: ctl.signal, onEpoch: (log) => { if (log.epoch === 2) ctl.abort(); },
    });
    assert.equal(r.aborted, true);
    assert.match(r.stopReason!, /^aborted before batch \d+ of 19 in epoch \d+$/);
    assert.ok(r.history.length >= 2 && r.history.length < 10_000);
  } finally {
    stop();
  }
});

test('trainInWorker rejects with the error message of the worker', async () => {
  const { x, y } = spiral();
  const { page, stop } = channel();
  try {
    await assert.rejects(trainInWorker(page, { model: model(), head: multiclassHead({ numClasses: 3 }), optimizer: { name: 'adamm' as 'adam' }, x, y }),
      /trainInWorker: the worker failed: optimizerByName: unknown optimizer "adamm"; choose one of sgd, /);
    assert.throws(() => trainInWorker(page, { model: model(), head: multiclassHead({ numClasses: 3 }), optimizer: { name: 'sgd' }, x, y, callbacks: [] } as never),
      /trainInWorker: unknown option "callbacks"/);
  } finally {
    stop();
  }
});
