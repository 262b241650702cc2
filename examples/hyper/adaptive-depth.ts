// Adaptive depth: a net of up to 6 hypernet-generated layers with learned halting on a 2-D set that
// mixes an easy region (linearly separable) and a hard one (two spirals); depth used per region.
import { data, hyper, Rng, Tensor, Optimizer, adam, indexSelect } from 'neurite';
import { quick, r, report, setup } from './common.js';

const N = quick ? 300 : 1000, EPOCHS = quick ? 20 : 150, BATCH = 128, TAU = 0.01, L = 6, LR = 0.01;

/** n easy points (x1 ~ U[-3,-1.2], label x2 > 0, |x2| ≥ 0.1) then n two-spiral points shifted right. */
function mixed(n: number, seed: number): { x: Tensor; y: Tensor; hard: Uint8Array } {
  const rng = new Rng(seed);
  const xs: number[] = [], ys: number[] = [];
  while (ys.length < n) {
    const a = -3 + 1.8 * rng.uniform(), b = 2 * rng.uniform() - 1;
    if (Math.abs(b) < 0.1) continue;
    xs.push(a, b); ys.push(b > 0 ? 1 : 0);
  }
  const sp = data.makeSpiral({ n, k: 2, turns: 1.5, noise: 0.1, seed });
  for (let i = 0; i < n; i++) { xs.push(sp.x.data[2 * i]! + 1.2, sp.x.data[2 * i + 1]!); ys.push(sp.y.data[i]!); }
  const hard = new Uint8Array(2 * n).fill(1, n);
  return { x: new Tensor(Float32Array.from(xs), [2 * n, 2]), y: new Tensor(Float32Array.from(ys), [2 * n]), hard };
}

function train(net: hyper.AdaptiveDepthNet, d: { x: Tensor; y: Tensor }, tau: number): number {
  const opt = new Optimizer(adam({ lr: LR }), net);
  const rng = new Rng(5), n = d.x.shape[0]!;
  let last = 0;
  for (let e = 0; e < EPOCHS; e++) {
    const order = rng.permutation(n);
    for (let b = 0; b < n; b += BATCH) {
      const idx = order.subarray(b, Math.min(n, b + BATCH));
      opt.zeroGrad();
      const loss = net.ponderLoss(net.params, indexSelect(d.x, 0, idx), indexSelect(d.y, 0, idx), tau);
      loss.backward();
      opt.step();
      last = loss.item();
    }
  }
  return last;
}

function score(net: hyper.AdaptiveDepthNet, d: { x: Tensor; y: Tensor; hard: Uint8Array }) {
  const { logits, depth } = net.runAdaptive(d.x);
  const c = logits.shape[1]!;
  const s = { easy: { ok: 0, n: 0, depth: 0 }, hard: { ok: 0, n: 0, depth: 0 } };
  for (let i = 0; i < d.y.size; i++) {
    const g = d.hard[i] ? s.hard : s.easy;
    const pred = logits.data[i * c + 1]! > logits.data[i * c]! ? 1 : 0;
    g.ok += pred === d.y.data[i] ? 1 : 0; g.n++; g.depth += depth[i]!;
  }
  return { accuracy: (s.easy.ok + s.hard.ok) / d.y.size, accEasy: s.easy.ok / s.easy.n, accHard: s.hard.ok / s.hard.n, depthEasy: s.easy.depth / s.easy.n, depthHard: s.hard.depth / s.hard.n };
}

const backend = await setup();
const t0 = Date.now();
const tr = mixed(N, 1), te = mixed(N, 2);
const adaptive = new hyper.AdaptiveDepthNet({ inputs: 2, outputs: 2, maxDepth: L, seed: 1 });
const fixed = new hyper.AdaptiveDepthNet({ inputs: 2, outputs: 2, maxDepth: L, seed: 1, fixedDepth: true });
train(adaptive, tr, TAU);
train(fixed, tr, 0);
const a = score(adaptive, te), f = score(fixed, te);
report({
  example: 'hyper/adaptive-depth', quick, backend, nTrainPerRegion: N, epochs: EPOCHS, maxDepth: L, tau: TAU, params: adaptive.numParams(),
  adaptive: { accuracy: r(a.accuracy), accEasy: r(a.accEasy), accHard: r(a.accHard), meanDepthEasy: r(a.depthEasy, 2), meanDepthHard: r(a.depthHard, 2) },
  fixedDepth: { accuracy: r(f.accuracy), accEasy: r(f.accEasy), accHard: r(f.accHard), depth: L },
  accuracyGapPoints: r(100 * (f.accuracy - a.accuracy), 2), easyLayerSavings: r(1 - a.depthEasy / L, 3),
  seconds: r((Date.now() - t0) / 1000, 1),
});
