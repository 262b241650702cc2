// Predictive uncertainty on the cubic toy (Hernández-Lobato & Adams 2015): a stochastic hypernet
// (sampled target nets, variational-style objective) beside a 5-member deep ensemble; writes an SVG.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hyper, losses, nn, Rng, Tensor, add, div, mul, square, sub, mean, sum, stack, Optimizer, adam, linspace } from 'neurite';
import { quick, r, report, setup, toy1d } from './common.js';
import { plotSvg } from './plot.js';

const STEPS = Number(process.argv[process.argv.indexOf('--steps') + 1]) || (quick ? 500 : 4000), K_TRAIN = 8, K_PRED = quick ? 50 : 100, NOISE_SD = 3;
const KL = Number(process.argv[process.argv.indexOf('--kl') + 1]) || 0.2;
const LR = Number(process.argv[process.argv.indexOf('--lr') + 1]) || 0.005;
const { x, y } = toy1d(20, -4, 4, (v) => v ** 3, NOISE_SD, new Rng(7));
const SY = Math.sqrt([...y.data].reduce((s, v) => s + v * v, 0) / 20);
const ys = div(y, SY);
const sigma = NOISE_SD / SY;

/**
 * Per step: K nets w_k = hyper(z_k); loss = mean_k [Σ_i (y_i − f_k(x_i))²/(2σ²) + ½‖w_k / s‖²]
 * + (P/2)·D(W/s), the last two weighted by `--kl` (default 0.2, a tempered posterior; 1 fits the mean worse): Gaussian likelihood, a N(0, s²) prior (s: the hyperfan scales), and the pairwise
 * log-distance repulsion standing in for the entropy of the sampled weights (so q does not collapse).
 */
function trainHyper(): hyper.HyperNetwork {
  const target = nn.mlp({ sizes: [1, 100, 1], activation: 'relu', seed: 1 });
  const hypernet = new hyper.HyperNetwork({ target, condition: { kind: 'noise', dim: 16 }, hidden: [64], gain: Math.SQRT2, seed: 1 });
  const opt = new Optimizer(adam({ lr: LR }), hypernet);
  const p = hypernet.targetCount();
  for (let s = 0; s < STEPS; s++) {
    opt.zeroGrad();
    const w = hypernet.generate(hypernet.params, hypernet.sampleNoise(K_TRAIN));
    const outs = stack(hyper.sampledOutputs(hypernet, w, x));                       // [K, 20, 1]
    const nll = div(mean(sum(square(sub(outs, ys)), [1, 2])), 2 * sigma * sigma);
    const wn = div(w, hypernet.scale);
    const prior = mul(mean(sum(square(wn), [1])), 0.5);
    add(nll, mul(add(prior, mul(hyper.weightDiversity(wn), p / 2)), KL)).backward();
    opt.step();
  }
  return hypernet;
}

function trainEnsemble(): hyper.DeepEnsemble {
  const members = [1, 2, 3, 4, 5].map((seed) => nn.mlp({ sizes: [1, 100, 1], activation: 'relu', seed: 100 + seed }));
  for (const m of members) {
    const opt = new Optimizer(adam({ lr: 0.01 }), m);
    for (let s = 0; s < STEPS; s++) {
      opt.zeroGrad();
      losses.mse(m.forward(x), ys).backward();
      opt.step();
    }
  }
  return new hyper.DeepEnsemble(members);
}

/** std ratio (|x| in [5,6] vs |x| < 2) and RMSE of the mean against x³ on [-4,4], in original units. */
function figures(pred: hyper.EnsemblePrediction, grid: Tensor): Record<string, number> {
  let far = 0, nf = 0, near = 0, nn2 = 0, se = 0, ni = 0;
  for (let i = 0; i < grid.size; i++) {
    const g = grid.data[i]!, sd = pred.std.data[i]! * SY, mu = pred.mean.data[i]! * SY;
    if (Math.abs(g) >= 5) { far += sd; nf++; }
    if (Math.abs(g) < 2) { near += sd; nn2++; }
    if (Math.abs(g) <= 4) { se += (mu - g ** 3) ** 2; ni++; }
  }
  return { stdFar: r(far / nf, 2), stdNear: r(near / nn2, 2), stdRatio: r(far / nf / (near / nn2), 2), rmseMean: r(Math.sqrt(se / ni), 3) };
}

const backend = await setup();
const t0 = Date.now();
const grid = linspace(-6, 6, 241).reshape([241, 1]);
const hypernet = trainHyper();
const hp = hyper.predictStochastic(hypernet, grid, K_PRED);
hypernet.noise = false;
const off = hyper.predictStochastic(hypernet, grid, K_PRED);
const ens = trainEnsemble();
const ep = ens.predict(grid);
const svg = join(tmpdir(), 'neurite-hyper-uncertainty.svg');
writeFileSync(svg, plotSvg(grid, [{ name: `stochastic hypernet (K=${K_PRED})`, pred: hp, color: '#1f77b4' }, { name: 'deep ensemble (5)', pred: ep, color: '#d62728' }], x, y, SY));
report({
  example: 'hyper/uncertainty', quick, backend, steps: STEPS, lr: LR, klWeight: KL, kTrain: K_TRAIN, kPredict: K_PRED,
  hypernet: { ...figures(hp, grid), ownParams: hypernet.numParams(), maxStdNoiseOff: Math.max(...off.std.data) },
  deepEnsemble: { ...figures(ep, grid), ownParams: ens.numParams() },
  svg, seconds: r((Date.now() - t0) / 1000, 1),
});
