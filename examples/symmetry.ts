// Weight-space symmetry: permutations and tanh sign flips are exact symmetries, ReLU flips are not;
// the number of equivalent 784-100-50-10 tanh networks; interpolation barrier before/after alignment.
import { analysis, data, nn, Optimizer, adam, fit, multiclassHead, randn, Rng, tensor, type Tensor } from 'neurite';
import { loadBuiltinDataset } from 'neurite/node';

const quick = process.argv.includes('--quick');
const maxDiff = (a: Tensor, b: Tensor): number => { const bf = b.toFlat(); return Math.max(...a.toFlat().map((v, i) => Math.abs(v - bf[i]!))); };

/** Output change after a random permutation of every hidden layer and one sign flip (float64). */
function exactness(act: string): { permute: number; flip: number | string } {
  const net = nn.mlp({ sizes: [20, 16, 12, 3], activation: act, seed: 7, dtype: 'float64' });
  const x = randn([50, 20], { rng: new Rng(1), dtype: 'float64' });
  const ref = net.forward(x);
  const rng = new Rng(2);
  const shuffle = (m: number): number[] => { const p = [...Array(m).keys()]; for (let i = m - 1; i > 0; i--) { const j = Math.floor(rng.uniform() * (i + 1)); [p[i], p[j]] = [p[j]!, p[i]!]; } return p; };
  const permuted = analysis.permuteNeurons(net, analysis.permuteNeurons(net, net.params, 0, shuffle(16)), 1, shuffle(12));
  let flip: number | string;
  try { flip = maxDiff(net.apply(analysis.flipNeuronSign(net, net.params, 0, 5), x), ref); } catch (e) { flip = `refused: ${(e as Error).message.slice(0, 60)}…`; }
  return { permute: maxDiff(net.apply(permuted, x), ref), flip };
}

/** ReLU: flipping by hand (what flipNeuronSign refuses to do) changes the outputs. */
function reluFlipChange(): number {
  const net = nn.mlp({ sizes: [20, 16, 3], activation: 'relu', seed: 7, dtype: 'float64' });
  const x = randn([50, 20], { rng: new Rng(1), dtype: 'float64' });
  const p = net.params as Record<string, nn.Params>;
  const w0 = p['0']!.weight as Tensor, b0 = p['0']!.bias as Tensor, w2 = p['2']!.weight as Tensor;
  const neg = (t: Tensor, idx: (i: number) => boolean): Tensor => tensor(t.toFlat().map((v, i) => (idx(i) ? -v : v)), { shape: [...t.shape], dtype: 'float64' });
  const flipped = { ...p, '0': { weight: neg(w0, (i) => Math.floor(i / 20) === 5), bias: neg(b0, (i) => i === 5) }, '2': { weight: neg(w2, (i) => i % 16 === 5), bias: p['2']!.bias! } };
  return maxDiff(net.apply(flipped as nn.Params, x), net.forward(x));
}

async function barrierExperiment(): Promise<Record<string, number>> {
  const ds = await loadBuiltinDataset('digits');
  const x = ds.x.div(16);
  const { train, test } = data.trainTestSplit({ x, y: ds.y }, { testSize: 0.25, seed: 0 });
  const head = multiclassHead({ numClasses: 10 });
  const hidden = quick ? 32 : 64;
  const epochs = quick ? 8 : 40;
  const nets: nn.Sequential[] = [1, 2].map((seed) => {
    const net = nn.mlp({ sizes: [64, hidden, hidden, 10], activation: 'tanh', seed: 100 * seed });
    fit({ model: net, head, optimizer: new Optimizer(adam({ lr: 0.003 }), net), x: train.x, y: train.y, epochs, batchSize: 32, seed });
    return net;
  });
  const [a, b] = nets as [nn.Sequential, nn.Sequential];
  const loss = (p: nn.Params): number => head.loss(a.apply(p, test.x), test.y).item();
  const before = analysis.interpolationBarrier(a.params, b.params, loss, 11);
  const aligned = analysis.alignNetworks(a, a.params, b.params).params;
  const after = analysis.interpolationBarrier(a.params, aligned, loss, 11);
  const acc = (n: nn.Sequential): number => { const pred = n.forward(test.x).argmax(-1).toFlat(); const y = test.y.toFlat(); return pred.filter((v, i) => v === y[i]).length / y.length; };
  return { testAccA: acc(a), testAccB: acc(b), lossA: before.losses[0]!, lossB: before.losses.at(-1)!, barrierBefore: before.barrier, barrierAfter: after.barrier, midLossBefore: before.losses[5]!, midLossAfter: after.losses[5]! };
}

const tanh = exactness('tanh');
const relu = exactness('relu');
const count = analysis.countEquivalentNetworks([100, 50], 'tanh');
const barrier = await barrierExperiment();
console.log(JSON.stringify({
  tanhPermuteMaxDiff: tanh.permute, tanhFlipMaxDiff: tanh.flip, reluPermuteMaxDiff: relu.permute, reluFlipRefused: relu.flip,
  reluManualFlipMaxDiff: reluFlipChange(), equivalentTanh784_100_50_10: count.toString(), countDecimalDigits: count.toString().length, ...barrier,
}));
