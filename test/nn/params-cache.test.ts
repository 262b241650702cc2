// A container's cached parameter tree (nn/containers.ts ParamsCache.hit): every replacement is seen, by the tree, the optimizer and a compiled step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, zeros } from '../../src/tensor/tensor.js';
import '../../src/ops/dispatch.js';
import { Linear } from '../../src/nn/linear.js';
import { Sequential } from '../../src/nn/containers.js';
import { Tanh } from '../../src/nn/activations.js';
import { mlp } from '../../src/nn/mlp.js';
import { mse } from '../../src/losses/regression.js';
import { leaves } from '../../src/tree/tree.js';
import { Optimizer } from '../../src/optim/optimizer.js';
import { sgd } from '../../src/optim/index.js';
import { compileStep } from '../../src/train/compile.js';

const filled = (t: Tensor, v: number): Tensor => { const c = zeros(t.shape, { dtype: t.dtype }); c.data.fill(v); return c; };

test('Sequential.params: the same tree while nothing changes; a replaced child tree, an added layer or a leaf replaced in place are all seen', () => {
  const a = new Linear(3, 2), b = new Linear(2, 1);
  const net = new Sequential(a, new Tanh(), b);
  const first = net.params;
  assert.equal(net.params, first, 'unchanged children: the kept tree');
  const w2 = filled(a.params.weight, 0.5);
  a.params = { weight: w2, bias: a.params.bias! };
  assert.notEqual(net.params, first, 'a child given a new params object: a new tree');
  assert.equal(leaves(net.params)[0], w2);
  const kept = net.params, b2 = filled(b.params.weight, 2);
  b.params.weight = b2; // in place inside the child's own record: the kept tree holds that record
  assert.equal(net.params, kept);
  assert.equal(leaves(net.params)[2], b2);
  net.layers.push(new Linear(1, 4));
  assert.deepEqual(Object.keys(net.params), ['0', '2', '3'], 'a layer pushed onto layers: the tree is rebuilt');
  net.layers.length = 1;
  assert.deepEqual(Object.keys(net.params), ['0'], 'layers cut: the tree is rebuilt');
});

test('a compiled step and the optimizer follow a replaced parameter and loadStateDict, bit for bit with eager', () => {
  const x = new Tensor(Float32Array.from({ length: 20 }, (_, i) => Math.sin(i)), [10, 2]);
  const y = new Tensor(Float32Array.from({ length: 10 }, (_, i) => Math.cos(i)), [10, 1]);
  const run = (capture: boolean): string => {
    const model = mlp({ sizes: [2, 8, 1], activation: 'relu', seed: 1, dtype: 'float32' });
    const opt = new Optimizer(sgd({ lr: 0.05 }), model);
    const body = (xi: Tensor, yi: Tensor): Tensor => { const l = mse(model.forward(xi), yi); l.backward(); return l; };
    const step = capture ? compileStep(body, { module: model }) : body;
    const losses: number[] = [];
    for (let k = 0; k < 12; k++) {
      if (k === 4) { const l0 = model.layers[0] as Linear; l0.params = { weight: filled(l0.params.weight, 0.25), bias: l0.params.bias! }; }
      if (k === 8) model.loadStateDict(Object.fromEntries(Object.entries(model.stateDict()).map(([n, t]) => [n, filled(t, 0.125)])));
      opt.zeroGrad();
      losses.push(step(x, y).item());
      opt.step();
    }
    return JSON.stringify([losses, Object.values(model.stateDict()).map((t) => Array.from(t.data))]);
  };
  assert.equal(run(true), run(false));
});
