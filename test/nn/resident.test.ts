// Resident packed weights (backend/wasm/resident.ts): the few-row path is bit-identical to eager, and every way of changing a weight repacks it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, noGrad, quantize, randn, Rng, tensor, type Tensor } from '../../src/index.js';
import { mlp } from '../../src/nn/mlp.js';
import { Linear } from '../../src/nn/linear.js';
import { inferFast } from '../../src/nn/infer.js';
import { predictRaw, fit } from '../../src/train/fit.js';
import { multiclassHead } from '../../src/heads/heads.js';
import * as optim from '../../src/optim/index.js';
import { mse } from '../../src/losses/regression.js';
import { setBackend } from '../../src/backend/registry.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import { hasWasmSimd } from '../../src/backend/wasm/load.js';
import { residentCounters } from '../../src/backend/wasm/resident.js';
import { noteStorageRead, storageVersion, unwatchStorage, watchStorage } from '../../src/core/storage-version.js';

const wasm = hasWasmSimd() && (await initWasmBackend({ select: false }));
const skip = !wasm;
const bits = (t: Tensor): string => Buffer.from(new Float32Array(t.toFlat()).buffer).toString('hex');

/** Runs `f` on the wasm backend, back to JS afterwards. */
function onWasm<T>(f: () => T): T {
  setBackend('wasm');
  try {
    return f();
  } finally {
    setBackend('js');
  }
}

/**
 * The fast path's output after it has had the chance to pack (three calls: the eager forward reads
 * the weights, which counts as a possible write, so the first call after it sees a change, the
 * second packs, the third reuses), each call checked against the eager forward.
 */
function fastTwiceAndCheck(model: nn.Module, x: Tensor, label: string): Tensor {
  const eager = bits(noGrad(() => model.forward(x)));
  let y: Tensor | null = null;
  for (let i = 0; i < 3; i++) {
    y = noGrad(() => inferFast(model, x));
    assert.ok(y, `${label}: the fast path applies`);
    assert.equal(bits(y), eager, `${label}: call ${i + 1} equals the eager forward`);
  }
  return y!;
}

test('storage versions: watched buffers bump on every read through a tensor, views included', () => {
  const t = tensor(new Array(600).fill(1));
  const v0 = watchStorage(t.data)!;
  const v1 = storageVersion(t.data);
  assert.ok(v1 !== undefined && v1 > v0, 'reading .data is a possible write: the version moves');
  const before = storageVersion(t.detach().data.subarray(0, 1));
  noteStorageRead(t.reshape([2, 300]).data);
  assert.notEqual(storageVersion(t.data.subarray(5)), before);
  unwatchStorage(t.data);
  assert.equal(storageVersion(t.data), undefined);
  const frozen = new Float32Array(Object.freeze(new ArrayBuffer(16)));
  assert.equal(watchStorage(frozen), undefined, 'a frozen buffer is never watched (no copy of it is kept)');
});

test('resident weights are bit-identical to eager: 1–4 rows, ragged k and n, every fused activation, no bias, special values', { skip }, () => onWasm(() => {
  const shapes: [number, number][] = [[784, 256], [300, 64], [2000, 10], [513, 40]];
  const acts: nn.Module[] = [new nn.ReLU(), new nn.Tanh(), new nn.Sigmoid(), new nn.Softsign(), new nn.Hardtanh(-0.5, 0.25), new nn.LeakyReLU(0.1)];
  for (const [k, n] of shapes) {
    for (const [ai, act] of [...acts, null].entries()) {
      const lin = new Linear(k, n, { bias: ai % 2 === 0, rng: new Rng(k + n) });
      const model = act ? new nn.Sequential(lin, act) : new nn.Sequential(lin);
      model.eval();
      for (const m of [1, 2, 3, 4]) {
        const x = randn([m, k], { rng: new Rng(m * 7 + ai) }).mul(3);
        x.data[0] = -0; x.data[1] = Number.NaN; x.data[2] = Number.POSITIVE_INFINITY; x.data[k - 1] = 1e-40;
        const hits = residentCounters.hits;
        fastTwiceAndCheck(model, x, `${k}x${n} ${act?.constructor.name ?? 'none'} m=${m}`);
        assert.ok(residentCounters.hits > hits, `${k}x${n} m=${m}: the resident path ran`);
      }
    }
  }
}));

test('the resident path stays out where it does not apply: 5+ rows, small weights, the JS backend', { skip }, () => {
  const model = mlp({ sizes: [784, 256, 10], activation: 'relu', seed: 2 }).eval();
  const small = mlp({ sizes: [20, 30, 5], activation: 'relu', seed: 2 }).eval();
  onWasm(() => {
    const hits = residentCounters.hits;
    fastTwiceAndCheck(model, randn([5, 784], { rng: new Rng(1) }), 'five rows');
    fastTwiceAndCheck(small, randn([1, 20], { rng: new Rng(1) }), 'small weights');
    assert.equal(residentCounters.hits, hits);
  });
  const hits = residentCounters.hits;
  fastTwiceAndCheck(model, randn([1, 784], { rng: new Rng(1) }), 'js backend');
  assert.equal(residentCounters.hits, hits);
});

/** Each way of changing a weight: the next prediction packs again and equals the eager forward of the changed model. */
const mutations: [string, (model: nn.Sequential) => void][] = [
  ['every element written through .data', (m) => { const w = weight(m); for (let i = 0; i < w.size; i++) w.data[i] = -w.data[i]!; }],
  ['.data.set(...)', (m) => { const w = weight(m); w.data.set(w.data.map((v) => -v)); }],
  ['writes through detach() (shared storage)', (m) => { const d = weight(m).detach().data; for (let i = 0; i < d.length; i++) d[i] = -d[i]!; }],
  ['writes through reshape() (shared storage)', (m) => { const w = weight(m), d = w.reshape([w.size]).data; d.set(d.map((v) => v * 2)); }],
  ['a typed-array view made from .data', (m) => { const d = weight(m).data, v = new Float32Array(d.buffer, d.byteOffset, d.length); v.fill(0.01); }],
  ['the bias written (not resident, read per call)', (m) => { (m.layers[0] as Linear).params.bias!.data[0] = 100; }],
  ['an SGD step', (m) => optimizerStep(m, optim.sgd({ lr: 0.5 }))],
  ['an Adam step (the WASM rule kernel)', (m) => optimizerStep(m, optim.adam({ lr: 0.05 }))],
  ['loadStateDict', (m) => m.loadStateDict(mlp({ sizes: [784, 64, 10], activation: 'relu', seed: 77 }).stateDict())],
  ['fit', (m) => {
    const x = randn([8, 784], { rng: new Rng(3) }), y = tensor([0, 1, 2, 3, 4, 5, 6, 7]);
    fit({ model: m, head: multiclassHead({ numClasses: 10 }), optimizer: new optim.Optimizer(optim.sgd({ lr: 0.1 }), m), x, y, epochs: 1, batchSize: 4, seed: 1 });
    m.eval();
  }],
  ['the parameters replaced by new tensors', (m) => {
    const lin = m.layers[0] as Linear;
    lin.params = { ...lin.params, weight: lin.params.weight!.mul(0.5) };
  }],
];

const weight = (m: nn.Sequential): Tensor => (m.layers[0] as Linear).params.weight!;

function optimizerStep(model: nn.Sequential, rule: optim.GradientTransformation): void {
  const opt = new optim.Optimizer(rule, model);
  opt.zeroGrad();
  mse(model.forward(randn([2, 784], { rng: new Rng(9) })), randn([2, 10], { rng: new Rng(10) })).backward();
  opt.step();
}

for (const [name, mutate] of mutations) {
  test(`resident weights are repacked after ${name}`, { skip }, () => onWasm(() => {
    const model = mlp({ sizes: [784, 64, 10], activation: 'relu', seed: 1 }).eval();
    const x = randn([1, 784], { rng: new Rng(2) });
    const before = bits(fastTwiceAndCheck(model, x, 'before'));
    const packs = residentCounters.packs;
    mutate(model);
    const after = bits(fastTwiceAndCheck(model, x, 'after'));
    assert.notEqual(after, before, 'the change shows in the prediction');
    if (!name.startsWith('the bias')) assert.ok(residentCounters.packs > packs, 'the weights were packed again');
    assert.equal(bits(noGrad(() => predictRaw(model, x))), after, 'predictRaw agrees');
  }));
}

test('unchanged weights are packed once and reused by predictRaw', { skip }, () => onWasm(() => {
  const model = mlp({ sizes: [784, 256, 128, 10], activation: 'relu', seed: 1 }).eval();
  const xs = [1, 2, 3].map((s) => randn([1, 784], { rng: new Rng(s) }));
  const eager = xs.map((x) => bits(noGrad(() => model.forward(x))));
  predictRaw(model, xs[0]!);
  predictRaw(model, xs[0]!);
  const packs = residentCounters.packs, hits = residentCounters.hits;
  for (let i = 0; i < 6; i++) assert.equal(bits(predictRaw(model, xs[i % 3]!)), eager[i % 3]);
  assert.equal(residentCounters.packs, packs, 'no repacking while nothing changed');
  assert.equal(residentCounters.hits - hits, 12, 'two resident layers per call');
}));

test('dropping the float32 resident panels (past the tracked-storage limit) leaves the int8 chain\'s resident weights intact', { skip }, () => {
  onWasm(() => {
    const packsBefore = residentCounters.packs;
    const q = quantize(mlp({ sizes: [64, 128, 10], activation: 'relu', seed: 5 }), randn([64, 64], { rng: new Rng(6) }));
    const x = randn([4, 64], { rng: new Rng(7) });
    const before = bits(noGrad(() => q.forward(x)));
    const xs = randn([4, 256], { rng: new Rng(8) });
    // 300 distinct 256×256 weights, each seen three times: packed, then dropped when the tracker resets, blocks reused.
    for (let i = 0; i < 300; i++) {
      const layer = new nn.Sequential(new Linear(256, 256, { rng: new Rng(100 + i) }));
      for (let j = 0; j < 3; j++) noGrad(() => inferFast(layer, xs, 'eval'));
    }
    assert.ok(residentCounters.packs - packsBefore >= 300, `float32 weights were packed (${residentCounters.packs - packsBefore} packs)`);
    assert.equal(bits(noGrad(() => q.forward(x))), before);
  });
});
