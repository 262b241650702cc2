// AdaptiveDepthNet: halting weights form a distribution, hard halting matches the soft pass, fixed depth, gradients, save/load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, randn, tree, multiclassHead, serializeModel, deserializeModel } from '../../src/index.js';
import { AdaptiveDepthNet } from '../../src/hyper/index.js';
import { Rng } from '../../src/core/rng.js';

const x = randn([9, 2], { rng: new Rng(3) });

test('halting weights sum to 1 per input and expected depth lies in [1, L]', () => {
  const net = new AdaptiveDepthNet({ inputs: 2, outputs: 3, maxDepth: 4, seed: 1 });
  const { weights, expectedDepth } = net.ponder(net.params, x);
  for (let i = 0; i < 9; i++) {
    const s = [0, 1, 2, 3].reduce((a, l) => a + weights.data[i * 4 + l]!, 0);
    assert.ok(Math.abs(s - 1) < 1e-5, `row ${i} sums to ${s}`);
    assert.ok(expectedDepth.data[i]! >= 1 && expectedDepth.data[i]! <= 4);
  }
});

test('hard halting computes only running rows yet matches the soft pass at each halting layer', () => {
  const net = new AdaptiveDepthNet({ inputs: 2, outputs: 3, maxDepth: 5, seed: 2, threshold: 0.3 });
  const { logits, depth } = net.runAdaptive(x);
  const soft = net.ponder(net.params, x);
  for (let i = 0; i < 9; i++) {
    const d = depth[i]!;
    assert.ok(d >= 1 && d <= 5);
    let cum = 0;
    for (let l = 0; l < d; l++) cum += soft.weights.data[i * 5 + l]!;
    assert.ok(d === 5 || cum >= 0.3 - 1e-6, `row ${i} stopped at ${d} with cumulative halting ${cum}`);
    if (d > 1) assert.ok(cum - soft.weights.data[i * 5 + d - 1]! < 0.3 + 1e-6, `row ${i} should have stopped earlier`);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(logits.data[i * 3 + c]! - soft.logits[d - 1]!.data[i * 3 + c]!) < 1e-5);
  }
});

test('fixed depth runs every input through all layers', () => {
  const net = new AdaptiveDepthNet({ inputs: 2, outputs: 2, maxDepth: 3, seed: 1, fixedDepth: true });
  assert.deepEqual([...net.runAdaptive(x).depth], new Array(9).fill(3));
});

test('the ponder loss reaches the layer embeddings, generator and halting unit', () => {
  const net = new AdaptiveDepthNet({ inputs: 2, outputs: 2, maxDepth: 3, seed: 4 });
  net.ponderLoss(net.params, x, new Tensor(Float32Array.from([0, 1, 0, 1, 1, 0, 0, 1, 1]), [9]), 0.01).backward();
  for (const [path, t] of tree.entries(net.params)) {
    assert.ok(t.grad !== null && [...t.grad.data].some((v) => v !== 0), `no gradient reached ${path}`);
  }
});

test('an adaptive-depth net saves and loads like any model', () => {
  const net = new AdaptiveDepthNet({ inputs: 2, outputs: 2, maxDepth: 4, seed: 6 });
  net.eval();
  const { json, weights } = serializeModel({ module: net, head: multiclassHead({ numClasses: 2 }) });
  const back = deserializeModel(JSON.parse(JSON.stringify(json)), weights).module as AdaptiveDepthNet;
  assert.deepEqual([...back.forward(x).data], [...net.forward(x).data]);
  assert.deepEqual([...back.runAdaptive(x).depth], [...net.runAdaptive(x).depth]);
});
