// hardtanh, Leaky ReLU and softsign as single primitives: one node forward, one fused kernel backward,
// PyTorch's gradients at the kinks (checked with torch 1.13), float64 gradchecks of the backward rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, tensor, gradcheck, type Tensor } from '../../src/index.js';
import { run } from '../../src/ops/dispatch.js';
import { softsignGrad } from '../../src/ops/elementwise.js';

const F = nn.functional;

/** The op of the graph node that produced `t` (null for a leaf). */
const opOf = (t: Tensor): string | null => t.node?.op ?? null;

test('hardtanh, leaky relu and softsign are one primitive forward and one fused kernel backward', () => {
  for (const [fn, fwd, bwd] of [
    [(x: Tensor) => F.hardtanh(x, -2, 3), 'hardtanh', 'hardtanhGrad'],
    [(x: Tensor) => F.leakyRelu(x, 0.1), 'leakyRelu', 'leakyReluGrad'],
    [F.softsign, 'softsign', 'softsignGrad'],
  ] as const) {
    const x = tensor([-3, -0.5, 0.25, 4], { dtype: 'float64', requiresGrad: true });
    const y = fn(x);
    assert.equal(opOf(y), fwd);
    assert.equal(y.node!.inputs[0], x, `${fwd} reads x directly (no composed ops)`);
    y.sum().backward(undefined, { createGraph: true });
    assert.equal(opOf(x.grad!), bwd, `${fwd}'s gradient is one ${bwd} node`);
  }
});

test('gradients at the kinks are PyTorch 1.13\'s (float64 and float32)', () => {
  // torch: hardtanh'(±1) = 0, hardtanh'(NaN) = 1; leaky_relu'(0) = leaky_relu'(-0) = slope; softsign'(0) = 1.
  for (const dtype of ['float64', 'float32'] as const) {
    const grad = (fn: (x: Tensor) => Tensor, v: number[]): number[] => {
      const x = tensor(v, { dtype, requiresGrad: true });
      fn(x).sum().backward();
      return x.grad!.toFlat();
    };
    assert.deepEqual(grad(F.hardtanh, [-1, -0.5, 0, 0.5, 1, -2, 2, NaN]), [0, 1, 1, 1, 0, 0, 0, 1]);
    assert.deepEqual(grad((x) => F.hardtanh(x, -2, 3), [-2, 3, -1.5, 2.5]), [0, 0, 1, 1]);
    assert.deepEqual(grad((x) => F.leakyRelu(x, 0.5), [0, -0, -1, 1]), [0.5, 0.5, 0.5, 1]);
    assert.deepEqual(grad(F.softsign, [0, 1, -3]), [1, 0.25, 1 / 16]);
  }
});

test('forward values: clamping keeps NaN and -0, leaky relu scales by the float32-rounded slope', () => {
  assert.deepEqual(F.hardtanh(tensor([NaN, -0, -5, 5], { dtype: 'float64' })).toFlat().map((v) => (Object.is(v, -0) ? '-0' : v)), [NaN, '-0', -1, 1]);
  assert.deepEqual(F.leakyRelu(tensor([-2], { dtype: 'float32' }), 0.1).toFlat(), [Math.fround(-2 * Math.fround(0.1))]);
});

test('gradcheck (float64) of the fused backward steps, w.r.t. g and x, away from the kinks', () => {
  const g = tensor([0.3, -1.2, 0.7, 2.0, -0.4], { dtype: 'float64', requiresGrad: true });
  const x = tensor([-2.5, -0.6, 0.3, 0.9, 3.1], { dtype: 'float64', requiresGrad: true });
  assert.ok(gradcheck((a, b) => softsignGrad(a, b), [g, x]).ok, 'softsignGrad w.r.t. g and x');
  assert.ok(gradcheck((a) => run('hardtanhGrad', [a, x], { min: -1, max: 1 }), [g]).ok, 'hardtanhGrad w.r.t. g');
  assert.ok(gradcheck((a) => run('leakyReluGrad', [a, x], { alpha: 0.2 }), [g]).ok, 'leakyReluGrad w.r.t. g');
  for (const fn of [F.softsign, (t: Tensor) => F.hardtanh(t, -1, 1), (t: Tensor) => F.leakyRelu(t, 0.2)]) assert.ok(gradcheck(fn, [x]).ok);
});

test('leakyRelu rejects a slope that is not a finite number', () => {
  for (const alpha of [NaN, Infinity]) {
    assert.throws(() => F.leakyRelu(tensor([1]), alpha), { message: `leakyRelu: alpha must be a finite number, got ${alpha}` });
  }
});

test('the fused backward steps reject a gradient of another size than their input', () => {
  assert.throws(() => run('hardtanhGrad', [tensor([1, 2]), tensor([1, 2, 3])], { min: -1, max: 1 }),
    { message: 'hardtanhGrad: gradient [2] and input [3] must have one shape' });
});
