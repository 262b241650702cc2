// The captured step (train/compile.ts) against eager: fit with capture on and off ends bit-identical; fallbacks are reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, randn, tensor, type Tensor } from '../../src/index.js';
import { mlp } from '../../src/nn/mlp.js';
import { multiclassHead, regressionHead } from '../../src/heads/heads.js';
import { mse } from '../../src/losses/regression.js';
import * as optim from '../../src/optim/index.js';
import { fit, predictRaw, type FitResult } from '../../src/train/fit.js';
import { Tanh } from '../../src/nn/activations.js';
import { compileStep } from '../../src/train/compile.js';
import { setBackend, getBackend, withBackend } from '../../src/backend/registry.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';

const wasmReady = await initWasmBackend({ select: false });

type NetOpts = { batchNorm?: boolean; dropout?: number };
const bits = (ts: Record<string, Tensor>): Record<string, string> => Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex')]));

/** Trains one fresh net with capture on or off: 4 epochs of 50 rows in batches of 16 (a partial last batch of 2). */
function train(capture: boolean, make: () => optim.GradientTransformation, net: NetOpts = {}, classes = 0): { r: FitResult; model: ReturnType<typeof mlp>; opt: optim.Optimizer } {
  const model = mlp({ sizes: [3, 16, 8, classes || 1], seed: 5, dtype: 'float32', ...net });
  const opt = new optim.Optimizer(make(), model);
  const x = randn([50, 3], { rng: new Rng(1) });
  const y = classes ? tensor(Array.from({ length: 50 }, (_, i) => i % classes)) : randn([50, 1], { rng: new Rng(2) });
  const head = classes ? multiclassHead({ numClasses: classes }) : regressionHead();
  const r = fit({ model, head, optimizer: opt, x, y, epochs: 4, batchSize: 16, seed: 3, capture, metrics: (t, raw) => ({ first: raw.data[0]! + t.data[0]! }) });
  return { r, model, opt };
}

function same(make: () => optim.GradientTransformation, net: NetOpts = {}, classes = 0): FitResult {
  const on = train(true, make, net, classes), off = train(false, make, net, classes);
  assert.deepEqual(bits(on.model.stateDict()), bits(off.model.stateDict()), 'weights and buffers, bit for bit');
  assert.deepEqual(bits(on.opt.stateDict().state), bits(off.opt.stateDict().state), 'optimizer state, bit for bit');
  assert.deepEqual(on.r.history.map((h) => [h.loss, h.metrics]), off.r.history.map((h) => [h.loss, h.metrics]), 'losses and metrics');
  assert.equal(off.r.capture, null);
  return on.r;
}

for (const backend of ['js', 'wasm'] as const) {
  const skip = backend === 'wasm' && !wasmReady ? 'wasm backend unavailable' : undefined;
  for (const [name, make] of [['adam', () => optim.adam({ lr: 0.01 })], ['sgd + momentum', () => optim.sgd({ lr: 0.05, momentum: 0.9 })]] as const) {
    test(`fit with capture (${backend}, ${name}) ends bit-identical to eager, and replays the batches`, { skip }, () => {
      const before = getBackend().name;
      setBackend(backend);
      try {
        const r = same(make);
        // Full batches: 2 traced, 10 replayed; the partial last batch: traced in epochs 1-2, replayed in 3-4.
        assert.deepEqual(r.capture, { traced: 4, replayed: 12, eager: 0, fallback: null });
      } finally {
        setBackend(before);
      }
    });
  }
}

test('fit with capture: BatchNorm (running statistics updated in JS) and Dropout (random masks) fall back to eager, same bits', () => {
  const bn = same(() => optim.adam({ lr: 0.01 }), { batchNorm: true });
  assert.match(bn.capture!.fallback!, /^module state "1\.running_mean" changes outside the kernels/);
  assert.equal(bn.capture!.replayed, 0);
  const dropout = same(() => optim.adam({ lr: 0.01 }), { dropout: 0.3 });
  assert.equal(dropout.capture!.fallback, 'the step draws random numbers (Dropout, a noise layer): it runs eagerly');
  assert.equal(dropout.capture!.replayed, 0);
});

test('fit with capture: a classification head whose loss gathers by class index falls back, same bits', () => {
  const r = same(() => optim.adam({ lr: 0.01 }), {}, 3);
  assert.match(r.capture!.fallback!, /^step \d+ \(op indexSelect\) differs between the two traced steps \(its arguments depend on the data, e\.g\. class indices gathered in JS\)$/);
  assert.deepEqual(r.capture, { traced: 4, replayed: 0, eager: 12, fallback: r.capture!.fallback });
});

test('compileStep: data-dependent control flow falls back; set gradients and replaced parameters run eagerly or re-trace', () => {
  const model = mlp({ sizes: [2, 4, 1], seed: 1 });
  const x = randn([5, 2], { rng: new Rng(4) }), y = randn([5, 1], { rng: new Rng(5) });
  let calls = 0;
  const branchy = compileStep((a: Tensor, b: Tensor) => {
    const out = model.forward(a);
    const l = calls++ % 2 === 0 ? mse(out, b) : mse(out.mul(2), b);
    l.backward();
    return l;
  }, { module: model });
  for (let i = 0; i < 4; i++) { for (const p of Object.values(model.stateDict())) p.grad = null; branchy(x, y); }
  assert.match(branchy.stats.fallback!, /differs between the two traced steps|ran \d+ and \d+ kernels/);
  const step = compileStep((a: Tensor, b: Tensor) => { const l = mse(model.forward(a), b); l.backward(); return l; }, { module: model });
  const clear = (): void => { for (const p of Object.values(model.stateDict())) p.grad = null; };
  const eagerLoss = (): number => { clear(); const l = mse(model.forward(x), y); l.backward(); return l.item(); };
  for (let i = 0; i < 3; i++) { clear(); step(x, y); }
  assert.equal(step.stats.replayed, 1);
  const want = eagerLoss();
  clear();
  assert.equal(step(x, y).item(), want, 'a replay gives the eager loss');
  step(x, y); // gradients still set: eager
  assert.equal(step.stats.eager, 1);
  clear();
  const xg = x.detach().requireGrad();
  step(xg, y); // an input that wants its gradient: eager, and it gets one
  assert.equal(step.stats.eager, 2);
  assert.ok(xg.grad !== null, 'the input received its gradient');
  model.loadStateDict(Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, t.mul(0.5)])));
  const want2 = eagerLoss();
  clear();
  assert.equal(step(x, y).item(), want2, 'new weights are seen');
  const withOpt = new optim.Optimizer(optim.sgd({ lr: 0.1 }), model);
  const inside = compileStep((a: Tensor, b: Tensor) => { const l = mse(model.forward(a), b); l.backward(); withOpt.step(); return l; }, { module: model });
  for (let i = 0; i < 3; i++) { clear(); inside(x, y); }
  assert.equal(inside.stats.fallback, 'the step changes the parameters outside the kernels (an optimizer step inside it?): call the optimizer after the compiled step');
  assert.equal(inside.stats.replayed, 0);
  assert.throws(() => compileStep(3 as never), { message: 'compileStep: expected the step as a function, got number' });
});

test('predictRaw with capture: replayed predictions equal eager ones bit for bit, follow weight changes and structure changes', () => {
  for (const net of [{}, { batchNorm: true, dropout: 0.2 }] as NetOpts[]) {
    const model = mlp({ sizes: [3, 16, 8, 2], seed: 5, ...net });
    const xs = [1, 2, 3, 4].map((s) => randn([6, 3], { rng: new Rng(s) }));
    const hex = (t: Tensor): string => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');
    for (let round = 0; round < 2; round++) {
      for (const x of xs) assert.equal(hex(predictRaw(model, x)), hex(predictRaw(model, x, 1024, false)));
      // Training changes the weights in place: the replay reads them live.
      for (const t of Object.values(model.stateDict())) t.data.set(t.data.map((v) => v * 0.9 + 0.01));
    }
    const kept = predictRaw(model, xs[0]!), again = predictRaw(model, xs[1]!);
    assert.notEqual(hex(kept), hex(again), 'each call returns its own tensor');
  }
  const model = mlp({ sizes: [3, 4, 2], seed: 1 });
  const x = randn([2, 3], { rng: new Rng(9) });
  for (let i = 0; i < 3; i++) predictRaw(model, x);
  model.layers.push(new Tanh());
  assert.equal(hex2(predictRaw(model, x)), hex2(predictRaw(model, x, 1024, false)), 'an added layer is seen (the plan is keyed by the structure)');
});

const hex2 = (t: Tensor): string => Array.from(t.data).join();

test('compileStep: a backend method the capture does not record still runs, and the step stays eager with the reason', () => {
  const model = mlp({ sizes: [2, 4, 1], seed: 1 });
  const x = randn([5, 2], { rng: new Rng(4) });
  const real = getBackend();
  // A backend with one extra (newer) method that the recorder has no entry for.
  const extended = { ...real, name: 'js-extended', scaleInPlace: (a: Float32Array, s: number) => { for (let i = 0; i < a.length; i++) a[i]! *= s; } };
  const step = compileStep((a: Tensor) => {
    const y = model.forward(a);
    (getBackend() as unknown as typeof extended).scaleInPlace(y.data as Float32Array, 2);
    return y;
  }, { module: model, gradients: false });
  const eager = (): number[] => { const y = model.forward(x); extended.scaleInPlace(y.data as Float32Array, 2); return Array.from(y.data); };
  let out: Tensor | undefined;
  for (let i = 0; i < 3; i++) out = withBackend(extended as never, () => step(x) as Tensor);
  assert.equal(step.stats.fallback, 'backend method scaleInPlace is not recorded by the capture');
  assert.equal(step.stats.replayed, 0);
  assert.deepEqual(Array.from(out!.data), withBackend(extended as never, eager));
});

for (const backend of ['js', 'wasm'] as const) {
  test(`a tiny net's replayed step runs its JS kernels inlined and stays bit-identical to eager (${backend})`, { skip: backend === 'wasm' && !wasmReady ? 'wasm backend unavailable' : undefined }, () => {
    const before = getBackend().name;
    setBackend(backend);
    try {
      const nets = [0, 1].map(() => mlp({ sizes: [2, 8, 8, 1], seed: 5, dtype: 'float32' }));
      const opts = nets.map((m) => new optim.Optimizer(optim.sgd({ lr: 0.05 }), m));
      const eagerStep = (x: Tensor, y: Tensor): Tensor => { const l = mse(nets[0]!.forward(x), y); l.backward(); return l; };
      const step = compileStep((x: Tensor, y: Tensor) => { const l = mse(nets[1]!.forward(x), y); l.backward(); return l; }, { module: nets[1] });
      for (let i = 0; i < 6; i++) {
        const x = randn([10, 2], { rng: new Rng(i) }).mul(i === 5 ? Number.NaN : 1), y = randn([10, 1], { rng: new Rng(50 + i) });
        opts.forEach((o) => o.zeroGrad());
        const a = eagerStep(x, y).item(), b = step(x, y).item();
        opts.forEach((o) => o.step());
        assert.ok(Object.is(a, b), `step ${i}: loss ${a} vs ${b}`);
      }
      assert.equal(step.stats.replayed, 4);
      assert.ok(step.inlined >= 20, `inlined ${step.inlined} kernel calls`);
      assert.deepEqual(bits(nets[1]!.stateDict()), bits(nets[0]!.stateDict()));
    } finally {
      setBackend(before);
    }
  });
}
