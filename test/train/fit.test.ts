// fit/evaluate/predict: convergence on synthetic data, events, early stopping, schedules, NaN guard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, Optimizer, adam, sgd, fit, evaluate, predict, earlyStopping, lrScheduler, metricsForHead, DivergenceError, multiclassHead, regressionHead, data, tensor} from '../../src/index.js';

function spiral(seed: number) {
  return data.makeSpiral({ n: 300, k: 3, seed });
}

test('fit learns a 3-class spiral and reports metrics per epoch', () => {
  const { x, y } = spiral(1);
  const model = nn.mlp({ sizes: [2, 32, 32, 3], activation: 'tanh', seed: 1 });
  const head = multiclassHead({ numClasses: 3 });
  const events: string[] = [];
  const { history } = fit({
    model, head, optimizer: new Optimizer(adam({ lr: 0.02 }), model), x, y, epochs: 60, batchSize: 32, seed: 2,
    metrics: metricsForHead(head), validation: { x, y },
    callbacks: [{ onTrainBegin: () => events.push('begin'), onEpochEnd: () => events.push('epoch'), onTrainEnd: () => events.push('end') }],
  });
  assert.equal(history.length, 60);
  assert.deepEqual([events[0], events[1], events.at(-1)], ['begin', 'epoch', 'end']);
  assert.ok(history.at(-1)!.loss < history[0]!.loss / 3, `loss ${history[0]!.loss} → ${history.at(-1)!.loss}`);
  const acc = evaluate(model, head, x, y, { metrics: metricsForHead(head) }).metrics.accuracy!;
  assert.ok(acc > 0.9, `train accuracy ${acc}`);
  const probs = predict(model, head, x.slice([0], [5]));
  probs.sum(1).toFlat().forEach((s) => assert.ok(Math.abs(s - 1) < 1e-5));
});

test('fit is reproducible from its seeds', () => {
  const run = (): number[] => {
    const { x, y } = spiral(3);
    const model = nn.mlp({ sizes: [2, 8, 3], seed: 4 });
    const head = multiclassHead({ numClasses: 3 });
    return fit({ model, head, optimizer: new Optimizer(sgd({ lr: 0.1 }), model), x, y, epochs: 3, batchSize: 16, seed: 9 }).history.map((h) => h.loss);
  };
  assert.deepEqual(run(), run());
});

test('early stopping stops and restores the best weights', () => {
  const { x, y } = spiral(5);
  const model = nn.mlp({ sizes: [2, 16, 3], seed: 1 });
  const head = multiclassHead({ numClasses: 3 });
  const es = earlyStopping({ patience: 1, monitor: 'val_loss' });
  // A huge learning rate makes validation loss rise quickly after the first epochs.
  const res = fit({ model, head, optimizer: new Optimizer(sgd({ lr: 5 }), model), x, y, epochs: 50, batchSize: 8, validation: { x, y }, callbacks: [es] });
  assert.ok(res.history.length < 50, 'stopped early');
  assert.match(res.stopReason!, /early stopping: val_loss did not improve for 1 epochs/);
  const best = Math.min(...res.history.map((h) => h.valLoss!));
  const now = evaluate(model, head, x, y).loss;
  assert.ok(Math.abs(now - best) < 1e-4 * Math.max(1, best), `restored loss ${now} vs best ${best}`);
});

test('lrScheduler sets the optimizer learning rate each epoch', () => {
  const { x, y } = spiral(6);
  const model = nn.mlp({ sizes: [2, 4, 3], seed: 1 });
  const { history } = fit({
    model, head: multiclassHead({ numClasses: 3 }), optimizer: new Optimizer(adam({ lr: 0.1 }), model), x, y, epochs: 3,
    callbacks: [lrScheduler((epoch) => 0.1 / (epoch + 1))],
  });
  assert.deepEqual(history.map((h) => Number(h.lr.toFixed(6))), [0.1, 0.05, 0.033333]);
});

test('the NaN guard stops with the epoch, batch and tensor named', () => {
  const x = tensor([[1], [2], [3], [Number.NaN]]);
  const y = tensor([1, 2, 3, 4]);
  const model = nn.mlp({ sizes: [1, 1], seed: 0 });
  const head = regressionHead();
  assert.throws(() => fit({ model, head, optimizer: new Optimizer(sgd({ lr: 0.1 }), model), x, y, epochs: 1, batchSize: 4, shuffle: false }),
    (e: Error) => e instanceof DivergenceError && /diverged at epoch 1, batch 1: the loss is NaN/.test(e.message));
  const x2 = tensor([[1], [2], [3], [4]]);
  const y2 = tensor([1e30, 2e30, 3e30, 4e30]);
  const m2 = nn.mlp({ sizes: [1, 1], seed: 0 });
  assert.throws(() => fit({ model: m2, head, optimizer: new Optimizer(sgd({ lr: 1e10 }), m2), x: x2, y: y2, epochs: 3, batchSize: 4 }),
    (e: Error) => e instanceof DivergenceError && /diverged at epoch \d+, batch \d+/.test(e.message));
});

test('fit rejects mismatched data and bad options with clear errors', () => {
  const model = nn.mlp({ sizes: [2, 3], seed: 0 });
  const head = multiclassHead({ numClasses: 3 });
  const opt = new Optimizer(sgd({ lr: 0.1 }), model);
  assert.throws(() => fit({ model, head, optimizer: opt, x: tensor([[1, 2]]), y: tensor([0, 1]) }), /fit: training inputs \[1,2\] and targets \[2\] must have the same number of rows/);
  assert.throws(() => fit({ model, head, optimizer: opt, x: tensor([[1, 2]]), y: tensor([0]), epochs: 0 }), /fit: epochs must be a positive integer, got 0/);
  assert.throws(() => fit({ model, head, optimizer: opt, x: tensor([[1, 2]]), y: tensor([7]) }), /7/);
});

test('the divergence guard stops a finite blow-up, puts back the best epoch and carries the history; null turns it off', () => {
  const x = tensor([[1], [2], [3], [4]]), y = tensor([1, 2, 3, 4]);
  const head = regressionHead();
  const m = nn.mlp({ sizes: [1, 1], seed: 0 });
  const opt = new Optimizer(sgd({ lr: 0.2 }), m); // lr · λmax(2·E[x²]) = 3 > 2: the loss grows ~4× per step, finite
  let caught: DivergenceError | undefined;
  let best: number[] = [];
  try {
    fit({ model: m, head, optimizer: opt, x, y, epochs: 30, batchSize: 4, shuffle: false, callbacks: [{ onEpochEnd: (ctx) => { if (ctx.epoch === 1) best = m.stateDict()['0.weight']!.toFlat(); } }] });
  } catch (e) { caught = e as DivergenceError; }
  assert.ok(caught instanceof DivergenceError, 'the run must stop as diverged');
  assert.match(caught.message, /training diverged at epoch \d+, batch 1: the epoch training loss is [\d.e+]+, more than 1000× the best [\d.e+-]+ \(epoch 1\)/);
  assert.equal(caught.bestEpoch, 1);
  assert.ok(caught.history.length >= 3 && caught.history.every((h, i) => h.epoch === i + 1));
  assert.deepEqual(m.stateDict()['0.weight']!.toFlat(), best, 'the weights of the best epoch are put back');
  const m2 = nn.mlp({ sizes: [1, 1], seed: 0 });
  const r = fit({ model: m2, head, optimizer: new Optimizer(sgd({ lr: 0.2 }), m2), x, y, epochs: 12, batchSize: 4, shuffle: false, divergenceFactor: null });
  assert.equal(r.history.length, 12);
  assert.ok(r.history[11]!.loss > 1e5 * r.history[0]!.loss);
});
