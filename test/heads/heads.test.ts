// Output heads: activations and losses agree with the losses module, label-range errors, JSON round trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, rand, tensor, gradcheck, type Tensor } from '../../src/index.js';
import * as L from '../../src/losses/index.js';
import {
  type Head, binaryHead, headFromJSON, multiclassHead, regressionHead, vectorRegressionHead,
} from '../../src/heads/heads.js';
import { assertClose } from '../helpers/fixtures.js';

const rng = new Rng(3);
const raw = (shape: number[], lo = -3, hi = 3): Tensor => rand(shape, { rng, lo, hi, dtype: 'float64', requiresGrad: true });
const f64 = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'float64' });
const same = (a: Tensor, b: Tensor, what: string): void => assertClose(a, b, what, 1e-14, 1e-12);

/** Head loss and reference loss agree in value and in the gradient w.r.t. the raw outputs. */
function agree(head: Head, x: Tensor, y: Tensor, reference: (x: Tensor) => Tensor, what: string): void {
  const got = head.loss(x, y);
  got.backward();
  const g1 = x.grad!;
  x.grad = null;
  const want = reference(x);
  want.backward();
  same(got, want, `${what} loss`);
  same(g1, x.grad!, `${what} gradient`);
  x.grad = null;
}

test('regression heads: activation formulas and loss = chosen loss of the activated outputs', () => {
  const x = raw([5, 1]);
  const y = f64([0.5, 1, 2, 9, 0]);
  const y2 = y.reshape([5, 1]);
  const id = regressionHead();
  assert.equal(id.kind, 'regression');
  assert.equal(id.outputs, 1);
  assert.equal(id.activate(x), x);
  agree(id, x, y, (a) => L.mse(a, y2), 'identity/mse ([N] targets for [N,1] outputs)');
  const tanh = regressionHead({ activation: 'tanh', range: [0, 10] });
  same(tanh.activate(x), f64(Array.from(x.data, (v) => 10 * (Math.tanh(v) + 1) / 2)), 'tanh rescaled to [0, 10]');
  agree(tanh, x, y, (a) => L.mse(tanh.activate(a), y2), 'tanh/mse');
  const relu = regressionHead({ activation: 'relu', loss: 'mae' });
  same(relu.activate(x), f64(Array.from(x.data, (v) => Math.max(v, 0))), 'relu');
  agree(relu, x, y, (a) => L.mae(a.relu(), y2), 'relu/mae');
  const sp = regressionHead({ activation: 'softplus', loss: 'huber', delta: 0.5 });
  same(sp.activate(x), f64(Array.from(x.data, (v) => Math.log1p(Math.exp(v)))), 'softplus');
  agree(sp, x, y, (a) => L.huber(a.softplus(), y2, { delta: 0.5 }), 'softplus/huber');
  assert.deepEqual([...sp.loss(x, y, { reduction: 'none' }).shape], [5, 1]);
  assert.ok(gradcheck((a) => tanh.loss(a, y), [x]).ok);
});

test('vector regression heads use mse, squared L2 or L1 per row', () => {
  const x = raw([4, 3]), y = rand([4, 3], { rng, dtype: 'float64' });
  for (const [loss, fn] of [['mse', L.mse], ['squared_l2', L.squaredL2], ['l1', L.l1]] as const) {
    const h = vectorRegressionHead(3, loss);
    assert.equal(h.outputs, 3);
    assert.equal(h.activate(x), x);
    agree(h, x, y, (a) => fn(a, y), `vector ${loss}`);
  }
});

test('binary heads: sigmoid + BCE from logits with 0/1 labels; raw scores + hinge with ±1 labels', () => {
  const x = raw([6, 1]), y01 = f64([0, 1, 1, 0, 1, 0]), ypm = f64([-1, 1, 1, -1, 1, -1]);
  const bce = binaryHead();
  same(bce.activate(x), f64(Array.from(x.data, (v) => 1 / (1 + Math.exp(-v)))), 'sigmoid');
  agree(bce, x, y01, (a) => L.binaryCrossEntropyWithLogits(a, y01.reshape([6, 1])), 'bce');
  // Same loss as BCE on the probabilities while σ does not saturate.
  assertClose([bce.loss(x, y01).item()], [L.binaryCrossEntropy(bce.activate(x), y01.reshape([6, 1])).item()], 'bce forms', 1e-12, 1e-12);
  assert.deepEqual(bce.predictLabels!(f64([[-2], [0], [0.1]])).toFlat(), [0, 0, 1]);
  const big = f64([[-800], [800]]);
  assertClose([bce.loss(big, f64([1, 0])).item()], [800], 'bce from logits at ±800 (probabilities would clamp to 100)');
  const hinge = binaryHead({ loss: 'hinge', margin: 0.5 });
  assert.equal(hinge.activate(x), x);
  agree(hinge, x, ypm, (a) => L.hinge(a, ypm.reshape([6, 1]), { margin: 0.5 }), 'hinge');
  assert.deepEqual(hinge.predictLabels!(f64([[-2], [0], [0.1]])).toFlat(), [-1, 1, 1]);
});

test('multiclass heads: softmax + cross-entropy (smoothing, soft targets) and multi-margin', () => {
  const x = raw([5, 4]), y = f64([0, 3, 1, 1, 2]);
  const ce = multiclassHead({ numClasses: 4, labelSmoothing: 0.1 });
  assert.equal(ce.outputs, 4);
  const p = ce.activate(x);
  for (let r = 0; r < 5; r++) assertClose([Array.from(p.data.subarray(r * 4, r * 4 + 4)).reduce((s, v) => s + v, 0)], [1], `row ${r} sums to 1`, 1e-14, 0);
  agree(ce, x, y, (a) => L.crossEntropy(a, y, { labelSmoothing: 0.1 }), 'cross-entropy');
  const plain = multiclassHead({ numClasses: 4 });
  const nll = -Array.from(y.data, (k, i) => Math.log(p.data[i * 4 + k]!)).reduce((s, v) => s + v, 0) / 5;
  assertClose([plain.loss(x, y).item()], [nll], 'CE = -mean log softmax[label]', 1e-12, 1e-12);
  const soft = f64([[0.5, 0.5, 0, 0], [0, 0, 0, 1], [0.25, 0.25, 0.25, 0.25], [0, 1, 0, 0], [0, 0, 1, 0]]);
  agree(ce, x, soft, (a) => L.crossEntropy(a, soft, { labelSmoothing: 0.1 }), 'cross-entropy, probability targets');
  const mm = multiclassHead({ numClasses: 4, loss: 'multi_margin', margin: 2 });
  assert.equal(mm.activate(x), x);
  agree(mm, x, y, (a) => L.multiMargin(a, y, { margin: 2 }), 'multi-margin');
  assert.deepEqual(ce.predictLabels!(f64([[0, 3, 1, 2], [5, 0, 0, 9]])).toFlat(), [1, 3]);
});

test('targets a head cannot produce are rejected, naming the value and index', () => {
  const x1 = raw([3, 1]);
  const tanh = regressionHead({ activation: 'tanh', range: [0, 10] });
  assert.throws(() => tanh.loss(x1, f64([1, 12, 3])), /^ArgumentError: regressionHead: targets must lie in the tanh range \[0, 10\], got 12 at index 1; widen `range`/);
  assert.throws(() => regressionHead({ activation: 'tanh' }).checkTargets(f64([-1.5])), /in the tanh range \[-1, 1\], got -1\.5 at index 0/);
  assert.throws(() => regressionHead({ activation: 'relu' }).loss(x1, f64([1, 0, -0.5])), /regressionHead: targets must be >= 0 for a relu head .*got -0\.5 at index 2; use activation 'identity'/);
  assert.throws(() => regressionHead({ activation: 'softplus' }).checkTargets(f64([-1])), /must be >= 0 for a softplus head/);
  assert.throws(() => regressionHead().checkTargets(f64([1, NaN])), /regressionHead: targets must be finite, got NaN at index 1/);
  regressionHead({ activation: 'relu' }).checkTargets(f64([0, 3]));
  assert.throws(() => binaryHead().loss(x1, f64([0, 1, 2])), /^ArgumentError: binaryHead: labels must be 0 or 1 for the bce loss, got 2 at index 2/);
  assert.throws(() => binaryHead().checkTargets(f64([-1, 1])), /got -1 at index 0; map ±1 labels with y → \(y \+ 1\) \/ 2/);
  assert.throws(() => binaryHead({ loss: 'hinge' }).loss(x1, f64([1, 0, -1])), /binaryHead: labels must be -1 or \+1 for the hinge loss, got 0 at index 1; map 0\/1 labels with y → 2y - 1/);
  const mc = multiclassHead({ numClasses: 4 });
  assert.throws(() => mc.loss(raw([3, 4]), f64([0, 4, 1])), /^ArgumentError: multiclassHead: labels must be integers in 0\.\.3 for 4 classes, got 4 at index 1$/);
  assert.throws(() => mc.checkTargets(f64([0, 2.5])), /got 2\.5 at index 1/);
  assert.throws(() => mc.checkTargets(f64([[0.5, 0.6, 0, 0]])), /multiclassHead: target probabilities of row 0 sum to 1\.1/);
  assert.throws(() => multiclassHead({ numClasses: 4, loss: 'multi_margin' }).checkTargets(f64([[1, 0, 0, 0]])), /labels must have shape \[N\], got \[1,4\]/);
});

test('shape mismatches and bad options name what is wrong', () => {
  assert.throws(() => regressionHead().loss(raw([3, 1]), f64([1, 2])), /^ShapeError: regressionHead: raw outputs \[3,1\] and targets \[2\] do not match$/);
  assert.throws(() => regressionHead().checkTargets(f64([[1, 2]])), /regressionHead: targets \[1,2\] do not fit a head with 1 output: expected \[N\] or \[N, 1\]/);
  assert.throws(() => vectorRegressionHead(3).loss(raw([2, 3]), f64([[1, 2]])), /vectorRegressionHead: targets must have shape \[N, 3\], got \[1,2\]/);
  assert.throws(() => multiclassHead({ numClasses: 4 }).loss(raw([2, 3]), f64([0, 1])), /multiclassHead: raw outputs must have shape \[N, 4\] for 4 classes, got \[2,3\]/);
  assert.throws(() => regressionHead({ activation: 'relu', range: [0, 1] }), /range applies only to the tanh activation, not relu/);
  assert.throws(() => regressionHead({ activation: 'tanh', range: [2, 1] }), /range must be finite \[a, b\] with a < b, got \[2, 1\]/);
  assert.throws(() => regressionHead({ activation: 'gelu' as 'relu' }), /unknown activation "gelu"/);
  assert.throws(() => vectorRegressionHead(0), /k must be a positive integer, got 0/);
  assert.throws(() => vectorRegressionHead(2, 'toString' as 'l1'), /unknown loss "toString"/);
  assert.throws(() => multiclassHead({ numClasses: 1 }), /numClasses must be an integer >= 2, got 1/);
  assert.throws(() => binaryHead({ loss: 'logistic' as 'bce' }), /unknown loss "logistic"; use 'bce' or 'hinge'/);
});

test('toJSON round-trips through JSON text to an equivalent head', () => {
  const heads: Head[] = [
    regressionHead(), regressionHead({ activation: 'tanh', range: [-2, 5], loss: 'huber', delta: 0.3 }),
    regressionHead({ activation: 'softplus', loss: 'mae' }), vectorRegressionHead(3, 'l1'),
    binaryHead(), binaryHead({ loss: 'hinge', margin: 0.25 }),
    multiclassHead({ numClasses: 3, labelSmoothing: 0.2 }), multiclassHead({ numClasses: 3, loss: 'multi_margin', margin: 1.5 }),
  ];
  const targets: Record<string, Tensor> = {
    regression: f64([0.5, 1, 2]), vector_regression: f64([[1, 2, 3], [0, 0, 1], [2, 2, 2]]), multiclass: f64([0, 2, 1]),
  };
  for (const h of heads) {
    const json = JSON.parse(JSON.stringify(h.toJSON())) as unknown;
    const back = headFromJSON(json);
    assert.deepEqual(back.toJSON(), h.toJSON());
    assert.equal(back.outputs, h.outputs);
    const x = raw([3, h.outputs]);
    const y = targets[h.kind] ?? (h.toJSON().loss === 'hinge' ? f64([1, -1, 1]) : f64([1, 0, 1]));
    assert.equal(back.loss(x, y).item(), h.loss(x, y).item(), JSON.stringify(json));
  }
  assert.deepEqual(regressionHead({ activation: 'tanh' }).toJSON(), { kind: 'regression', activation: 'tanh', loss: 'mse', range: [-1, 1] });
  assert.throws(() => headFromJSON({ kind: 'ranking' }), /headFromJSON: unknown head kind "ranking"; expected one of/);
  assert.throws(() => headFromJSON(null), /unknown head kind undefined/);
});
