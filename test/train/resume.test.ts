// Resume: a run stopped after epoch k and continued from its TrainState (through the checkpoint
// encoding and safetensors bytes) ends with every weight bit-identical to the uninterrupted run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, Optimizer, adam, fit, earlyStopping, metricsForHead, multiclassHead, data, ReduceLROnPlateau, io, train } from '../../src/index.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { decodeTrainState, encodeTrainState } from '../../src/train/state-codec.js';

const { x, y } = data.makeSpiral({ n: 90, k: 3, seed: 4 });
const xv = x.slice([0], [30]), yv = y.slice([0], [30]);

/** A fresh run as a new process would build it: Adam, dropout, plateau LR cuts and early stopping. */
function setup() {
  const model = nn.mlp({ sizes: [2, 24, 3], dropout: 0.3, seed: 5 });
  const head = multiclassHead({ numClasses: 3 });
  const optimizer = new Optimizer(adam({ lr: 0.3 }), model);
  const callbacks = [train.plateauCallback(new ReduceLROnPlateau(optimizer, { patience: 0, factor: 0.5 })), earlyStopping({ patience: 2 })];
  return { model, head, optimizer, callbacks, opts: { x, y, validation: { x: xv, y: yv }, batchSize: 16, epochs: 14, seed: 9, metrics: metricsForHead(head) } };
}

const bits = (r: Record<string, Tensor>): Record<string, string> => Object.fromEntries(Object.entries(r).map(([k, t]) => [k, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex')]));

/** The state through the file encoding: JSON text and safetensors bytes, as a checkpoint stores it. */
function throughFiles(s: train.TrainState): train.TrainState {
  const { json, tensors } = encodeTrainState(s);
  const { tensors: back } = io.decodeSafetensors(io.encodeSafetensors(tensors));
  return decodeTrainState(JSON.parse(JSON.stringify(json)), back);
}

test('stopping after epoch k and resuming gives bit-identical weights (Adam, dropout, plateau, early stopping)', () => {
  const a = setup();
  const full = fit({ model: a.model, head: a.head, optimizer: a.optimizer, callbacks: a.callbacks, ...a.opts });
  const lrs = new Set(full.history.map((h) => h.lr));
  assert.ok(lrs.size > 1, `the plateau must cut the learning rate in this run (lrs ${[...lrs]})`);
  assert.match(full.stopReason ?? '', /early stopping: val_loss did not improve for 2 epochs \(best at epoch 8\)/, 'early stopping must stop this run and restore earlier weights');
  for (const k of [1, 3, 6, 9]) {
    const b = setup();
    let saved: train.TrainState | undefined;
    const stopAt = { onEpochEnd: (ctx: train.TrainContext) => { if (ctx.epoch === k) { saved = throughFiles(ctx.trainState()); throw new Error('killed'); } } };
    assert.throws(() => fit({ model: b.model, head: b.head, optimizer: b.optimizer, callbacks: [...b.callbacks, stopAt], ...b.opts }), /killed/);
    assert.equal(saved!.epoch, k);
    const c = setup();
    const inert = { stateDict: () => ({ json: null }), loadStateDict: () => {} };
    const resumed = fit({ model: c.model, head: c.head, optimizer: c.optimizer, callbacks: [...c.callbacks, inert], ...c.opts, resume: saved! });
    assert.deepEqual(bits(c.model.stateDict()), bits(a.model.stateDict()), `weights after resuming at epoch ${k}`);
    assert.deepEqual(bits(resumed.state.optimizer!.state), bits(full.state.optimizer!.state), `optimizer moments after resuming at epoch ${k}`);
    assert.deepEqual(resumed.history.map((h) => [h.epoch, h.loss, h.lr]), full.history.map((h) => [h.epoch, h.loss, h.lr]));
    assert.equal(resumed.stopReason, full.stopReason);
  }
});

test('a finished run continues from FitResult.state when epochs are extended, as if trained in one go', () => {
  const a = setup();
  fit({ model: a.model, head: a.head, optimizer: a.optimizer, ...a.opts, epochs: 8 });
  const b = setup();
  const first = fit({ model: b.model, head: b.head, optimizer: b.optimizer, ...b.opts, epochs: 5 });
  const c = setup();
  fit({ model: c.model, head: c.head, optimizer: c.optimizer, ...c.opts, epochs: 8, resume: throughFiles(first.state) });
  assert.deepEqual(bits(c.model.stateDict()), bits(a.model.stateDict()));
});

test('resume refuses states that do not fit the run, naming what differs', () => {
  const a = setup();
  const r = fit({ model: a.model, head: a.head, optimizer: a.optimizer, callbacks: a.callbacks, ...a.opts, epochs: 2 });
  const b = setup();
  assert.throws(() => fit({ model: b.model, head: b.head, optimizer: b.optimizer, ...b.opts, resume: r.state }), /resume: the state holds 2 callbacks' states but fit got 0 callbacks/);
  const m = nn.mlp({ sizes: [2, 24, 3], seed: 5 });
  assert.throws(() => fit({ model: m, head: b.head, optimizer: new Optimizer(adam(), m), callbacks: setup().callbacks, ...b.opts, resume: r.state }), /resume: the state has 1 module random streams but the model owns 0/);
  assert.throws(() => fit({ model: b.model, head: b.head, optimizer: b.optimizer, callbacks: b.callbacks, ...b.opts, epochs: 1, resume: r.state }), /resume: the state has 2 epochs done but epochs is 1/);
  assert.throws(() => decodeTrainState({ format: 'x' }, {}, 'runs/a/state.json'), /runs\/a\/state\.json: not a neurite train state/);
});
