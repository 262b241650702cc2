// Input-conditioned hypernet: (a, b, c) of y = a·sin(b·x + c) generate a small net per example
// (batched per-sample weights) applied to x, against a plain MLP on [a, b, c, x] of equal size.
import { hyper, nn, optim, Rng, Tensor, Optimizer, adam, fit, predictRaw, regressionHead, lrScheduler } from 'neurite';
import { mseOf, quick, r, report, setup } from './common.js';

const arg = (k: string, d: string): string => { const i = process.argv.indexOf(k); return i >= 0 ? process.argv[i + 1]! : d; };
const ints = (s: string): number[] => (s === '' ? [] : s.split(',').map(Number));
const N_TRAIN = quick ? 1000 : 6000, N_TEST = quick ? 500 : 2000, BATCH = 64;
/** The same budget for both models: epochs, Adam learning rate and (cosine) schedule. */
const EPOCHS = quick ? 5 : Number(arg('--epochs', '240')), LR = Number(arg('--lr', '1e-2'));
const SCHEDULE = arg('--schedule', 'cosine');
/**
 * Generator hidden widths ('' = a linear generator: weights linear in (a, b, c), so the generated
 * net's first layer can compute b·x + c and its last layer scale by a — multiplicative
 * interactions the plain MLP has to approximate with its nonlinearities).
 */
const GEN_HIDDEN = ints(arg('--gen-hidden', '')), GEN_ACT = arg('--gen-act', 'relu');
/** Generated-target hidden widths, one per parameter budget (';'-separated): small and larger. */
const TARGETS = arg('--targets', '32;19,19').split(';').map(ints);
/** Standardise the columns (a, b, c, x) with training-set statistics, for both models. */
const STANDARDIZE = arg('--standardize', 'false') === 'true';

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

/** Column means and standard deviations of a [n, k] tensor. */
function columnStats(x: Tensor): { mu: number[]; sd: number[] } {
  const [n, k] = [x.shape[0]!, x.shape[1]!];
  const mu = new Array(k).fill(0), sd = new Array(k).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) mu[j] += x.data[i * k + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) sd[j] += (x.data[i * k + j]! - mu[j]) ** 2 / n;
  return { mu, sd: sd.map(Math.sqrt) };
}

function standardize(x: Tensor, s: { mu: number[]; sd: number[] }): Tensor {
  const k = x.shape[1]!, out = new Float32Array(x.size);
  for (let i = 0; i < x.size; i++) out[i] = (x.data[i]! - s.mu[i % k]!) / s.sd[i % k]!;
  return new Tensor(out, x.shape);
}

function trainAndTest(model: nn.Module, tr: { x: Tensor; y: Tensor }, te: { x: Tensor; y: Tensor }): { mse: number; trainMse: number; seconds: number } {
  const t0 = Date.now();
  const callbacks = SCHEDULE === 'cosine' ? [lrScheduler(optim.cosineAnnealing(LR, EPOCHS))] : [];
  fit({ model, head: regressionHead(), optimizer: new Optimizer(adam({ lr: LR }), model), x: tr.x, y: tr.y, epochs: EPOCHS, batchSize: BATCH, seed: 1, callbacks });
  return { mse: mseOf(predictRaw(model, te.x), te.y), trainMse: mseOf(predictRaw(model, tr.x), tr.y), seconds: (Date.now() - t0) / 1000 };
}

const backend = await setup();
const rng = new Rng(3);
let train = sineTasks(N_TRAIN, rng), test = sineTasks(N_TEST, rng);
if (STANDARDIZE) {
  const s = columnStats(train.x);
  train = { x: standardize(train.x, s), y: train.y };
  test = { x: standardize(test.x, s), y: test.y };
}
/** One parameter budget: the hypernet generating 1-hidden-1, and the widest 4-h-h-1 MLP with no more parameters. */
function compare(targetHidden: number[]): Record<string, unknown> {
  const hypernet = new hyper.HyperNetwork({
    target: nn.mlp({ sizes: [1, ...targetHidden, 1], activation: 'tanh', seed: 1 }),
    condition: { kind: 'input', dim: 3 }, hidden: GEN_HIDDEN, activation: GEN_ACT, gain: 5 / 3, seed: 1,
  });
  let h = 1;
  while (nn.mlp({ sizes: [4, h + 1, h + 1, 1], seed: 1 }).numParams() <= hypernet.numParams()) h++;
  const plain = nn.mlp({ sizes: [4, h, h, 1], activation: 'tanh', seed: 1 });
  const hy = trainAndTest(hypernet, train, test);
  const pl = trainAndTest(plain, train, test);
  return {
    generator: `3-${[...GEN_HIDDEN, hypernet.targetCount()].join('-')}${GEN_HIDDEN.length ? ` ${GEN_ACT}` : ' linear'}`, target: `1-${[...targetHidden, 1].join('-')} tanh`,
    hyperParams: hypernet.numParams(), generatedPerExample: hypernet.targetCount(), plainParams: plain.numParams(), plainArch: `4-${h}-${h}-1 tanh`,
    testMseHyper: r(hy.mse, 5), testMsePlain: r(pl.mse, 5), trainMseHyper: r(hy.trainMse, 5), trainMsePlain: r(pl.trainMse, 5),
    ratio: r(hy.mse / pl.mse, 3), atMostHalf: hy.mse <= 0.5 * pl.mse, seconds: { hyper: r(hy.seconds, 1), plain: r(pl.seconds, 1) },
  };
}

report({
  example: 'hyper/input-conditioned', quick, backend, nTrain: N_TRAIN, nTest: N_TEST, epochs: EPOCHS, batch: BATCH, lr: LR, schedule: SCHEDULE, standardize: STANDARDIZE,
  budgets: TARGETS.map(compare),
});
