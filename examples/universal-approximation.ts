// Universal approximation: the constructive sigmoid-bump network's sup error vs N, and a width sweep of
// trained one-hidden-layer sigmoid networks (best-of-seeds MSE) for f(x) = 0.2 + 0.4x² + 0.3x·sin(15x) + 0.05·cos(50x).
import { analysis, nn, Optimizer, adam, fit, regressionHead, tensor, noGrad, type Tensor } from 'neurite';

const quick = process.argv.includes('--quick');
const f = (x: number): number => 0.2 + 0.4 * x * x + 0.3 * x * Math.sin(15 * x) + 0.05 * Math.cos(50 * x);

const constructive = [5, 10, 20, 50, 100, 200, 400].map((n) => ({ n, supError: analysis.supError(analysis.bumpNetwork(f, n), f) }));

const m = quick ? 200 : 500;
const xs = Array.from({ length: m }, (_, i) => i / (m - 1));
const x = tensor(xs, { shape: [m, 1] });
const y = tensor(xs.map(f), { shape: [m, 1] });
const widths = quick ? [2, 8, 32] : [2, 4, 8, 16, 32, 64];
const seeds = quick ? [1, 2] : [1, 2, 3];
const epochs = quick ? 150 : 2000;
type Net = ReturnType<typeof nn.mlp>;
const trainNet = (net: Net, seed: number): number => {
  fit({ model: net, head: regressionHead(), optimizer: new Optimizer(adam({ lr: 0.01 }), net), x, y, epochs, batchSize: 50, seed });
  return noGrad(() => net.forward(x).sub(y).square().mean().item());
};
/** Function-preserving widening: a fresh width-w net whose first hidden units copy `prev` and whose extra units get zero outgoing weights. */
function widen(prev: Net, width: number, seed: number): Net {
  const net = nn.mlp({ sizes: [1, width, 1], activation: 'sigmoid', seed });
  const p = net.params as Record<string, Record<string, Tensor>>, q = prev.params as Record<string, Record<string, Tensor>>;
  const w0 = p['0']!.weight!.toFlat(), b0 = p['0']!.bias!.toFlat(), pw = q['0']!.weight!.toFlat(), pb = q['0']!.bias!.toFlat(), pw2 = q['2']!.weight!.toFlat();
  net.params = {
    '0': { weight: tensor(w0.map((v, i) => (i < pw.length ? pw[i]! : v)), { shape: [width, 1] }).requireGrad(), bias: tensor(b0.map((v, i) => (i < pb.length ? pb[i]! : v))).requireGrad() },
    '1': {},
    '2': { weight: tensor(Array.from({ length: width }, (_, i) => (i < pw2.length ? pw2[i]! : 0)), { shape: [1, width] }).requireGrad(), bias: q['2']!.bias!.detach().requireGrad() },
  };
  return net;
}
let prevBest: Net | null = null;
const sweep = widths.map((width) => {
  const runs = seeds.map((seed) => { const net = nn.mlp({ sizes: [1, width, 1], activation: 'sigmoid', seed }); return { net, mse: trainNet(net, seed) }; });
  const coldBest = Math.min(...runs.map((r) => r.mse));
  if (prevBest) { const net = widen(prevBest, width, 99); runs.push({ net, mse: trainNet(net, 99) }); }
  const best = runs.reduce((a, b) => (b.mse < a.mse ? b : a));
  prevBest = best.net;
  return { width, bestMse: best.mse, coldStartBestMse: coldBest, mses: runs.map((r) => r.mse) };
});
const nonIncreasing = sweep.every((s, i) => i === 0 || s.bestMse <= sweep[i - 1]!.bestMse);
const coldNonIncreasing = sweep.every((s, i) => i === 0 || s.coldStartBestMse <= sweep[i - 1]!.coldStartBestMse);
console.log(JSON.stringify({
  constructive, reachesBelow005: constructive.some((c) => c.supError < 0.05),
  constructiveDecreasing: constructive.every((c, i) => i === 0 || c.supError < constructive[i - 1]!.supError),
  trainedSweep: sweep, epochs, bestMseNonIncreasing: nonIncreasing, coldStartBestMseNonIncreasing: coldNonIncreasing,
}));
