// Gradient transformations: composition with chain, purity, each piece's update rule, clipping, errors, optimizerByName.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, tree, type Tensor } from '../../src/index.js';
import { assertClose } from '../helpers/fixtures.js';
import * as optim from '../../src/optim/index.js';

const f64 = (v: number[], requiresGrad = false): Tensor => tensor(v, { dtype: 'float64', requiresGrad });
type Tree = { w: Tensor; b: Tensor };
const params = (): Tree => ({ w: f64([1, -2, 3], true), b: f64([0.5], true) });
const grads = (): Tree => ({ w: f64([0.3, -0.1, 2]), b: f64([-4]) });

/** Runs `n` updates with the same gradients; returns each step's updates. */
function run(tx: optim.GradientTransformation, n: number, p: Tree = params(), g: Tree = grads()): Tree[] {
  let state = tx.init(p);
  const out: Tree[] = [];
  for (let i = 0; i < n; i++) {
    const r = tx.update(g, state, p);
    state = r.state;
    out.push(r.updates as Tree);
  }
  return out;
}
const flat = (t: Tree): number[] => [...t.w.toFlat(), ...t.b.toFlat()];

test('chain feeds each piece the previous updates; scale(-lr) equals scaleByLearningRate(lr)', () => {
  const a = run(optim.chain(optim.scaleByAdam(), optim.scale(-0.1)), 3);
  const b = run(optim.adam({ lr: 0.1 }), 3);
  for (let i = 0; i < 3; i++) assertClose(flat(a[i]!), flat(b[i]!), `step ${i}`, 0, 1e-15);
  // Adam's first step moves every coordinate by lr·sign(g) (up to ε).
  assertClose(flat(b[0]!), [-0.1, 0.1, -0.1, 0.1], 'first Adam step', 1e-8, 0);
  const tx = optim.chain(optim.scale(2), optim.scale(3));
  const st = tx.init(params());
  assert.ok(Array.isArray(st) && st.length === 2, 'chain state is the array of the pieces\' states');
  assertClose(flat(tx.update(grads(), st).updates as Tree), flat(grads()).map((x) => 6 * x), 'scale∘scale');
  assert.throws(() => tx.update(grads(), {} as never), /chain: state must be the array of 2 states/);
});

test('updates are pure: inputs and state are not mutated, nothing is recorded, applyUpdates keeps requiresGrad', () => {
  const tx = optim.adamw({ lr: 0.1 });
  const p = params(), g = grads();
  const s0 = tx.init(p);
  const snapshot = (): string => JSON.stringify(tree.entries(s0).map(([k, t]) => [k, t.toFlat()]));
  const before = snapshot();
  const r = tx.update(g, s0, p);
  assert.equal(snapshot(), before, 'old state unchanged');
  assert.deepEqual(p.w.toFlat(), [1, -2, 3]);
  const u = r.updates as Tree;
  assert.equal(u.w.requiresGrad, false);
  assert.equal(u.w.node, null);
  const p2 = optim.applyUpdates(p, u);
  assert.equal(p2.w.requiresGrad, true);
  assert.equal(p2.w.isLeaf, true);
  assertClose(p2.w, p.w.toFlat().map((x, i) => x + u.w.data[i]!), 'p + u', 0, 1e-15);
  assert.deepEqual(p.w.toFlat(), [1, -2, 3], 'applyUpdates is pure');
});

test('AdamW decay is decoupled: one step equals Adam without decay minus lr·λ·p; Adam weightDecay is coupled L2', () => {
  const p = params();
  const plain = run(optim.adam({ lr: 0.1 }), 1, p)[0]!;
  const decoupled = run(optim.adamw({ lr: 0.1, weightDecay: 0.5 }), 1, p)[0]!;
  assertClose(flat(decoupled), flat(plain).map((u, i) => u - 0.1 * 0.5 * flat(p)[i]!), 'adamw', 1e-15, 1e-12);
  const coupled = run(optim.adam({ lr: 0.1, weightDecay: 0.5 }), 1, p)[0]!;
  const gl2 = { w: f64(grads().w.toFlat().map((g, i) => g + 0.5 * p.w.data[i]!)), b: f64([-4 + 0.5 * 0.5]) };
  assertClose(flat(coupled), flat(run(optim.adam({ lr: 0.1 }), 1, p, gl2)[0]!), 'adam L2 = adam on g + λp', 0, 1e-15);
  assert.throws(() => optim.addDecayedWeights(0.1).update(grads(), {}), /addDecayedWeights: needs the parameters/);
});

test('trace: PyTorch momentum starts with b = g (no dampening at step 1); nesterov adds μb', () => {
  const g = grads(), gs = flat(g);
  const [u1, u2] = run(optim.trace({ decay: 0.9, dampening: 0.5 }), 2);
  assertClose(flat(u1!), gs, 'first buffer is g', 0, 0);
  assertClose(flat(u2!), gs.map((x) => 0.9 * x + 0.5 * x), 'then μb + (1−τ)g', 0, 1e-15);
  const [n1, n2] = run(optim.trace({ decay: 0.9, nesterov: true }), 2);
  assertClose(flat(n1!), gs.map((x) => x + 0.9 * x), 'nesterov step 1', 0, 1e-15);
  assertClose(flat(n2!), gs.map((x) => x + 0.9 * (0.9 * x + x)), 'nesterov step 2', 0, 1e-15);
  assert.throws(() => optim.sgd({ lr: 0.1, nesterov: true }), /sgd: nesterov needs momentum > 0 and dampening 0, got momentum 0/);
});

test('rmsprop adds eps outside the square root; adagrad accumulates from initialAccumulatorValue with lrDecay', () => {
  const tiny = { w: f64([1e-9]) }, p = { w: f64([0]) };
  const u = run(optim.rmsprop({ lr: 1, eps: 1e-8 }), 1, p as never, tiny as never)[0]! as unknown as { w: Tensor };
  assertClose(u.w, [-1e-9 / (Math.sqrt(0.01) * 1e-9 + 1e-8)], 'g/(√v + ε)', 0, 1e-12);
  const g = 2, lr = 0.1, d = 0.5, s0 = 0.3;
  const us = run(optim.adagrad({ lr, lrDecay: d, initialAccumulatorValue: s0 }), 3, { w: f64([1]) } as never, { w: f64([g]) } as never);
  us.forEach((step, i) => {
    const t = i + 1;
    const want = (-lr / (1 + (t - 1) * d)) * (g / (Math.sqrt(s0 + t * g * g) + 1e-10));
    assertClose((step as unknown as { w: Tensor }).w, [want], `adagrad step ${t}`, 0, 1e-14);
  });
});

test('adamax first step is −lr·g/(|g|+ε); scaleBySchedule multiplies by f(t) with t = 0 first', () => {
  const u = run(optim.adamax({ lr: 0.01 }), 1)[0]!;
  assertClose(flat(u), flat(grads()).map((x) => (-0.01 * x) / (Math.abs(x) + 1e-8)), 'adamax', 0, 1e-14);
  const us = run(optim.scaleBySchedule((t) => 0.5 ** t), 3);
  us.forEach((s, t) => assertClose(flat(s), flat(grads()).map((x) => x * 0.5 ** t), `factor at ${t}`, 0, 0));
});

test('scaleByLearningRate with a schedule uses η(t) per update and records it', () => {
  const tx = optim.sgd({ lr: optim.stepLR(0.1, 2, 0.5) });
  const us = run(tx, 5);
  [0.1, 0.1, 0.05, 0.05, 0.025].forEach((lr, t) => assertClose(flat(us[t]!), flat(grads()).map((x) => -lr * x), `step ${t}`, 0, 1e-15));
  assert.throws(() => run(optim.sgd({ lr: () => -1 }), 1), /scaleByLearningRate: the learning-rate schedule gave -1 at step 0/);
});

test('clipByGlobalNorm leaves small gradients untouched and caps large ones at maxNorm', () => {
  const g = grads(), norm = optim.globalNorm(g);
  assertClose([norm], [Math.sqrt(0.09 + 0.01 + 4 + 16)], 'global norm');
  assert.equal(optim.clipByGlobalNorm(norm + 1).update(g, {}).updates, g, 'no clipping below the limit');
  const clipped = optim.clipByGlobalNorm(1).update(g, {}).updates as Tree;
  assertClose([optim.globalNorm(clipped)], [1 / (1 + 1e-6 / norm)], 'norm after clipping', 0, 1e-12);
  const order = run(optim.chain(optim.clipByGlobalNorm(1), optim.sgd({ lr: 0.1 })), 1)[0]!;
  assertClose([optim.globalNorm(order)], [0.1 / (1 + 1e-6 / norm)], 'clip then sgd', 0, 1e-12);
  assert.deepEqual(flat(optim.clipByValue(1).update(g, {}).updates as Tree), [0.3, -0.1, 1, -1]);
  assert.throws(() => optim.clipByGlobalNorm(0), /clipByGlobalNorm: maxNorm must be a positive finite number, got 0/);
});

test('a gradient tree that does not match the parameters fails naming the leaf', () => {
  const tx = optim.adam({ lr: 0.1 });
  const s = tx.init(params());
  assert.throws(() => tx.update({ w: f64([1, 2, 3]) }, s), /scaleByAdam: the gradients have no leaf at "b"/);
  assert.throws(() => tx.update({ w: f64([1, 2]), b: f64([1]) }, s), /scaleByAdam: "w" has shape \[2\] in the gradients but \[3\]/);
});

test('constructors validate their options with the function, field and value', () => {
  assert.throws(() => optim.adam({ lr: -1 }), /adam: lr must be a positive finite number, got -1/);
  assert.throws(() => optim.adam({ betas: [0.9, 1] }), /adam: betas\[1\] must be in \[0, 1\), got 1/);
  assert.throws(() => optim.rmsprop({ weightDecay: -0.1 }), /rmsprop: weightDecay must be a non-negative finite number, got -0.1/);
  assert.throws(() => optim.sgd({ lr: 0.1, beta: 0.9 } as never), /sgd: unknown option "beta"; known options are lr, momentum, dampening, nesterov, weightDecay/);
  assert.throws(() => optim.scaleByRms({ alpha: 2 }), /scaleByRms: alpha must be in \[0, 1\], got 2/);
});

test('optimizerByName builds every listed optimizer with PyTorch presets, and rejects unknown names', () => {
  assert.deepEqual(optim.optimizerNames, ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw', 'amsgrad', 'nadam', 'adamax']);
  for (const name of optim.optimizerNames) {
    const us = run(optim.optimizerByName(name, { lr: 0.01, weightDecay: 0.1 }), 2);
    assert.ok(flat(us[1]!).every(Number.isFinite), name);
  }
  const same = (a: optim.GradientTransformation, b: optim.GradientTransformation): void => {
    const [ua, ub] = [run(a, 3), run(b, 3)];
    for (let i = 0; i < 3; i++) assert.deepEqual(flat(ua[i]!), flat(ub[i]!));
  };
  same(optim.optimizerByName('momentum', { lr: 0.1 }), optim.sgd({ lr: 0.1, momentum: 0.9 }));
  same(optim.optimizerByName('nesterov', { lr: 0.1 }), optim.sgd({ lr: 0.1, momentum: 0.9, nesterov: true }));
  same(optim.optimizerByName('amsgrad', { lr: 0.1 }), optim.adam({ lr: 0.1, amsgrad: true }));
  same(optim.optimizerByName('adamw', { lr: 0.1 }), optim.adamw({ lr: 0.1, weightDecay: 0.01 }));
  same(optim.optimizerByName('sgd', { lr: 0.1, clipNorm: 1 }), optim.chain(optim.clipByGlobalNorm(1), optim.sgd({ lr: 0.1 })));
  assert.throws(() => optim.optimizerByName('adamm', { lr: 0.1 }),
    /optimizerByName: unknown optimizer "adamm"; choose one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, amsgrad, nadam, adamax/);
});
