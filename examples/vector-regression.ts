// Vector regression: one K-output network vs K single-output networks with the same total parameter count,
// on K noisy targets that share latent factors. Reports test MSE and training time of each.
import { performance } from 'node:perf_hooks';
import { nn, Optimizer, adam, fit, regressionHead, vectorRegressionHead, randn, Rng, tensor, noGrad, type Tensor } from 'neurite';

const quick = process.argv.includes('--quick');
const d = 5, factors = 3, k = 8, wide = 32, narrow = 8; // 5·32+32+32·8+8 = 456 = 8·(5·8+8+8+1)
const nTrain = quick ? 150 : 300, nTest = 1000, epochs = quick ? 60 : 300;
const rng = new Rng(21);
const a = randn([factors, d], { rng, dtype: 'float64' }).toFlat();
const c = randn([k, factors], { rng, dtype: 'float64' }).toFlat();

/** x ~ N(0, I); u = tanh(A x) (shared latent factors); y_j = c_j·u + 0.1·ε. */
function sample(n: number): { x: Tensor; y: Tensor } {
  const x = randn([n, d], { rng }).toFlat();
  const noise = randn([n, k], { rng }).toFlat();
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = Array.from({ length: factors }, (_, f) => Math.tanh(a.slice(f * d, (f + 1) * d).reduce((s, w, j) => s + w * x[i * d + j]!, 0)));
    for (let j = 0; j < k; j++) y.push(u.reduce((s, v, f) => s + v * c[j * factors + f]!, 0) + 0.1 * noise[i * k + j]!);
  }
  return { x: tensor(x, { shape: [n, d] }), y: tensor(y, { shape: [n, k] }) };
}
const train = sample(nTrain), test = sample(nTest);
const column = (t: Tensor, j: number): Tensor => tensor(t.toFlat().filter((_, i) => i % k === j), { shape: [t.shape[0]!, 1] });
const mse = (p: number[], t: number[]): number => p.reduce((s, v, i) => s + (v - t[i]!) ** 2, 0) / p.length;

function runShared(seed: number): { mse: number; seconds: number; params: number } {
  const net = nn.mlp({ sizes: [d, wide, k], activation: 'tanh', seed });
  const t0 = performance.now();
  fit({ model: net, head: vectorRegressionHead(k), optimizer: new Optimizer(adam({ lr: 0.01 }), net), x: train.x, y: train.y, epochs, batchSize: 32, seed });
  const seconds = (performance.now() - t0) / 1000;
  return { mse: mse(noGrad(() => net.forward(test.x)).toFlat(), test.y.toFlat()), seconds, params: net.numParams() };
}

function runSeparate(seed: number): { mse: number; seconds: number; params: number } {
  let seconds = 0, params = 0, sq = 0;
  for (let j = 0; j < k; j++) {
    const net = nn.mlp({ sizes: [d, narrow, 1], activation: 'tanh', seed: seed * 100 + j });
    const t0 = performance.now();
    fit({ model: net, head: regressionHead(), optimizer: new Optimizer(adam({ lr: 0.01 }), net), x: train.x, y: column(train.y, j), epochs, batchSize: 32, seed });
    seconds += (performance.now() - t0) / 1000;
    params += net.numParams();
    sq += mse(noGrad(() => net.forward(test.x)).toFlat(), column(test.y, j).toFlat());
  }
  return { mse: sq / k, seconds, params };
}

const seeds = quick ? [1] : [1, 2, 3];
const shared = seeds.map(runShared), separate = seeds.map(runSeparate);
const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
console.log(JSON.stringify({
  k, nTrain, epochs, seeds: seeds.length, noiseFloorMse: 0.01,
  shared: { params: shared[0]!.params, testMse: mean(shared.map((r) => r.mse)), trainSeconds: mean(shared.map((r) => r.seconds)) },
  separate: { params: separate[0]!.params, testMse: mean(separate.map((r) => r.mse)), trainSeconds: mean(separate.map((r) => r.seconds)) },
}));
