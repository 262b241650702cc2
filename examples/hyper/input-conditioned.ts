// Input-conditioned hypernet: (a, b, c) of y = a·sin(b·x + c) generate a small net per example
// (batched per-sample weights) applied to x, against a plain MLP on [a, b, c, x] of equal size.
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/core/tensor.js';
import { nn, Optimizer, adam, fit, regressionHead } from '../../src/index.js';
import { predictRaw } from '../../src/train/fit.js';
import type { Module } from '../../src/nn/module.js';
import { HyperNetwork } from '../../src/hyper/index.js';
import { mseOf, quick, r, report, setup } from './common.js';

const GEN_ACT = process.argv.includes('--gen-tanh') ? 'tanh' : 'relu';
const N_TRAIN = quick ? 1000 : 6000, N_TEST = quick ? 500 : 2000, EPOCHS = quick ? 5 : 60, BATCH = 64, LR = 3e-3;

/** Rows [a, b, c, x] with a ~ U[0.5, 2], b ~ U[0.5, 2], c ~ U[0, π], x ~ U[-π, π]; y = a·sin(b·x + c). */
function sineTasks(n: number, rng: Rng): { x: Tensor; y: Tensor } {
  const xs = new Float32Array(n * 4), ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = 0.5 + 1.5 * rng.uniform(), b = 0.5 + 1.5 * rng.uniform(), c = Math.PI * rng.uniform(), x = Math.PI * (2 * rng.uniform() - 1);
    xs.set([a, b, c, x], i * 4);
    ys[i] = a * Math.sin(b * x + c);
  }
  return { x: new Tensor(xs, [n, 4]), y: new Tensor(ys, [n, 1]) };
}

function trainAndTest(model: Module, tr: { x: Tensor; y: Tensor }, te: { x: Tensor; y: Tensor }): { mse: number; seconds: number } {
  const t0 = Date.now();
  fit({ model, head: regressionHead(), optimizer: new Optimizer(adam({ lr: LR }), model), x: tr.x, y: tr.y, epochs: EPOCHS, batchSize: BATCH, seed: 1 });
  return { mse: mseOf(predictRaw(model, te.x), te.y), seconds: (Date.now() - t0) / 1000 };
}

const backend = await setup();
const rng = new Rng(3);
const train = sineTasks(N_TRAIN, rng), test = sineTasks(N_TEST, rng);
const hyper = new HyperNetwork({
  target: nn.mlp({ sizes: [1, 16, 1], activation: 'tanh', seed: 1 }),
  condition: { kind: 'input', dim: 3 }, hidden: [32], activation: GEN_ACT, gain: 5 / 3, seed: 1,
});
// Widest plain MLP 4-h-h-1 with no more trainable parameters than the hypernet.
let h = 1;
while (nn.mlp({ sizes: [4, h + 1, h + 1, 1], seed: 1 }).numParams() <= hyper.numParams()) h++;
const plain = nn.mlp({ sizes: [4, h, h, 1], activation: 'tanh', seed: 1 });
const hy = trainAndTest(hyper, train, test);
const pl = trainAndTest(plain, train, test);
report({
  example: 'hyper/input-conditioned', quick, backend, nTrain: N_TRAIN, nTest: N_TEST, epochs: EPOCHS, lr: LR, generatorActivation: GEN_ACT,
  hyperParams: hyper.numParams(), generatedPerExample: hyper.targetCount(), plainParams: plain.numParams(), plainArch: `4-${h}-${h}-1 tanh`,
  testMseHyper: r(hy.mse, 5), testMsePlain: r(pl.mse, 5), ratio: r(hy.mse / pl.mse, 3), atMostHalf: hy.mse <= 0.5 * pl.mse,
  seconds: { hyper: r(hy.seconds, 1), plain: r(pl.seconds, 1) },
});
