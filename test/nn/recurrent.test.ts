// RNN / LSTM / GRU against PyTorch fixtures, states, stacking, JSON, and an LSTM learning the adding problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, Rng, rand, zeros, backward, gradcheck, Optimizer, adam, fit, evaluate, regressionHead, tensor, type Tensor, type DType } from '../../src/index.js';
import { GRU, LSTM, LastStep, RNN, type Recurrent } from '../../src/nn/recurrent.js';
import { Linear } from '../../src/nn/linear.js';
import { fixture, toTensor, assertClose, type FixtureTensor } from '../helpers/fixtures.js';

type Names = 'weight_ih_l0' | 'weight_hh_l0' | 'bias_ih_l0' | 'bias_hh_l0';
interface RecCase { name: 'rnn' | 'lstm' | 'gru'; x: FixtureTensor; y: FixtureTensor; upstream: FixtureTensor; vjp_x: FixtureTensor; params: Record<Names, FixtureTensor>; grads: Record<Names, FixtureTensor> }
const cases = fixture<{ cases: RecCase[] }>('recurrent.json').cases;
const make = (name: string, inp: number, hid: number, dtype: DType, rng = new Rng(0)): Recurrent =>
  name === 'rnn' ? new RNN(inp, hid, { dtype, rng }) : name === 'lstm' ? new LSTM(inp, hid, { dtype, rng }) : new GRU(inp, hid, { dtype, rng });

for (const dtype of ['float64', 'float32'] as const) {
  test(`RNN, LSTM and GRU reproduce every case of recurrent.json (${dtype})`, () => {
    const [atol, rtol] = dtype === 'float64' ? [1e-10, 1e-9] : [2e-5, 2e-4];
    assert.deepEqual(cases.map((c) => c.name), ['rnn', 'lstm', 'gru']);
    for (const c of cases) {
      const m = make(c.name, c.x.shape[2]!, c.y.shape[2]!, dtype);
      assert.deepEqual(m.paramSpec().map((s) => s.path), Object.keys(c.params));
      const params = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, toTensor(v, dtype, true)])) as Record<Names, Tensor>;
      const x = toTensor(c.x, dtype, true);
      const y = m.apply(params, x);
      assertClose(y, c.y, `${c.name} y`, atol, rtol);
      backward(y, toTensor(c.upstream, dtype));
      assertClose(x.grad!, c.vjp_x, `${c.name} vjp_x`, atol, rtol);
      for (const k of Object.keys(c.grads) as Names[]) assertClose(params[k].grad!, c.grads[k], `${c.name} grad ${k}`, atol, rtol);
    }
  });
}

test('final state equals the last output step; a given initial state is used; time-major layout agrees', () => {
  const rng = new Rng(4);
  const x = rand([3, 6, 2], { rng, dtype: 'float64' });
  for (const name of ['rnn', 'lstm', 'gru']) {
    const m = make(name, 2, 5, 'float64', rng);
    const { output, h, c } = m.applyWithState(m.params, x);
    assertClose(h.reshape([3, 5]), new LastStep().forward(output), `${name} h = last step`, 1e-12, 0);
    assert.equal(c !== undefined, name === 'lstm');
    // Running the first 4 steps, then the last 2 from that state, equals running all 6.
    const first = m.finalState(x.slice([0, 0], [3, 4]));
    const rest = m.applyWithState(m.params, x.slice([0, 4], [3, 6]), first).output;
    assertClose(rest, output.slice([0, 4], [3, 6]), `${name} resumed`, 1e-12, 1e-12);
    const tm = nn.moduleFromJSON({ ...m.toJSON(), batchFirst: false }) as Recurrent;
    const ytm = tm.apply(m.params, x.permute([1, 0, 2]));
    assertClose(ytm.permute([1, 0, 2]), output, `${name} time-major`, 1e-12, 1e-12);
  }
});

test('stacked layers and the relu RNN pass gradcheck; names follow PyTorch (_l0, _l1)', () => {
  const rng = new Rng(8);
  const lstm = new LSTM(2, 3, { numLayers: 2, dtype: 'float64', rng });
  assert.deepEqual(lstm.paramSpec().map((s) => `${s.path}:${s.shape.join('x')}`), [
    'weight_ih_l0:12x2', 'weight_hh_l0:12x3', 'bias_ih_l0:12', 'bias_hh_l0:12',
    'weight_ih_l1:12x3', 'weight_hh_l1:12x3', 'bias_ih_l1:12', 'bias_hh_l1:12',
  ]);
  const x = rand([2, 3, 2], { rng, dtype: 'float64', requiresGrad: true });
  const w = (lstm.params.weight_hh_l1 as Tensor).detach().requireGrad();
  assert.ok(gradcheck((a, b) => lstm.apply({ ...lstm.params, weight_hh_l1: b! }, a!), [x, w]).ok);
  const gru = new GRU(2, 3, { numLayers: 2, bias: false, dtype: 'float64', rng });
  assert.ok(gradcheck((a) => gru.forward(a!), [x]).ok);
  const rnn = new RNN(2, 3, { nonlinearity: 'relu', dtype: 'float64', rng });
  assert.ok(gradcheck((a) => rnn.forward(a!), [x]).ok);
  assert.deepEqual(nn.moduleFromJSON(rnn.toJSON()).toJSON(), rnn.toJSON());
  assert.throws(() => lstm.forward(zeros([2, 3, 4], { dtype: 'float64' })), /LSTM: input \[2,3,4\] must be \[N, T, 2\]/);
  assert.throws(() => lstm.applyWithState(lstm.params, x, { h: zeros([1, 2, 3]) }), /LSTM: initial h \[1,2,3\] must be \[2, 2, 3\]/);
});

/** The adding problem (Hochreiter & Schmidhuber 1997): sum the two marked values of a sequence. */
function addingProblem(n: number, t: number, rng: Rng): { x: Tensor; y: Tensor } {
  const x = new Float32Array(n * t * 2), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.floor(rng.uniform() * t);
    let b = Math.floor(rng.uniform() * (t - 1));
    if (b >= a) b++;
    for (let s = 0; s < t; s++) x[(i * t + s) * 2] = rng.uniform();
    x[(i * t + a) * 2 + 1] = 1;
    x[(i * t + b) * 2 + 1] = 1;
    y[i] = x[(i * t + a) * 2]! + x[(i * t + b) * 2]!;
  }
  return { x: tensor(x, { shape: [n, t, 2] }), y: tensor(y, { shape: [n, 1] }) };
}

test('Sequential(LSTM, LastStep, Linear) learns the adding problem (T=20): test MSE < 0.05 vs ~0.167 for the mean', () => {
  const rng = new Rng(11);
  const train = addingProblem(2000, 20, rng), held = addingProblem(500, 20, rng);
  const model = new nn.Sequential(new LSTM(2, 24, { rng }), new LastStep(), new Linear(24, 1, { rng }));
  const head = regressionHead();
  fit({ model, head, optimizer: new Optimizer(adam({ lr: 0.02 }), model), x: train.x, y: train.y, epochs: 8, batchSize: 32, seed: 1 });
  const mse = evaluate(model, head, held.x, held.y).loss;
  const yv = held.y.toFlat(), mu = yv.reduce((s, v) => s + v, 0) / yv.length;
  const baseline = yv.reduce((s, v) => s + (v - mu) ** 2, 0) / yv.length;
  assert.ok(baseline > 0.12, `mean-predictor MSE ${baseline}`);
  assert.ok(mse < 0.05, `LSTM test MSE ${mse} (mean predictor ${baseline})`);
});
