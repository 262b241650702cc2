// The single neuron: identity + MSE trained by gradient descent matches closed-form least squares;
// sigmoid + cross-entropy matches Newton/IRLS logistic regression. Prints one JSON line.
import { analysis, nn, Optimizer, adam, fit, regressionHead, binaryHead, randn, Rng, tensor, type Tensor } from 'neurite';

const quick = process.argv.includes('--quick');
const n = quick ? 200 : 1000, f = 4, epochs = quick ? 800 : 3000;
const rng = new Rng(11);
const x = randn([n, f], { rng, dtype: 'float64' });
const trueW = [1.5, -2, 0.5, 0.8];
const xf = x.toFlat();
const score = Array.from({ length: n }, (_, i) => trueW.reduce((s, w, j) => s + w * xf[i * f + j]!, 0.3));
const noise = randn([n], { rng, dtype: 'float64' }).toFlat();
const yReg = tensor(score.map((s, i) => s + 0.5 * noise[i]!), { dtype: 'float64' });
const yBin = tensor(score.map((s, i) => (1 / (1 + Math.exp(-s)) > (noise[i]! * 0.2887 + 0.5) ? 1 : 0)), { dtype: 'float64' });

/** Trains one Linear(f → 1) neuron full-batch with Adam and returns its [weights..., bias]. */
function trainNeuron(head: Parameters<typeof fit>[0]['head'], y: Tensor): number[] {
  const neuron = new nn.Linear(f, 1, { rng: new Rng(1), dtype: 'float64' });
  fit({ model: neuron, head, optimizer: new Optimizer(adam({ lr: 0.02 }), neuron), x, y, epochs, batchSize: n, shuffle: false });
  const p = neuron.params as { weight: Tensor; bias: Tensor };
  return [...p.weight.toFlat(), ...p.bias.toFlat()];
}
const maxAbs = (a: number[], b: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

const ls = analysis.leastSquares(x, yReg);
const gdLinear = trainNeuron(regressionHead(), yReg);
const irls = analysis.logisticIrls(x, yBin);
const gdLogistic = trainNeuron(binaryHead(), yBin);
console.log(JSON.stringify({
  n, epochs,
  linear: { closedForm: [...ls.weights, ls.bias], gradientDescent: gdLinear, maxAbsDiff: maxAbs(gdLinear, [...ls.weights, ls.bias]) },
  logistic: { irls: [...irls.weights, irls.bias], irlsIterations: irls.iterations, gradientDescent: gdLogistic, maxAbsDiff: maxAbs(gdLogistic, [...irls.weights, irls.bias]) },
}));
