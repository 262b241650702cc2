// Experiment: first-to-last-layer gradient-norm ratio of a 20-layer MLP at initialisation, for five designs.
// Run: node --import tsx examples/vanishing-gradients.ts [--quick]
import { analysis, losses, nn, Rng, randn, tensor, noGrad, type Tensor } from 'neurite';

const quick = process.argv.includes('--quick');
const depth = 20;                       // Linear layers in every network
const width = quick ? 32 : 64;
const batch = quick ? 64 : 256;
const classes = 10;

/**
 * 18 residual blocks between a stem and an output layer (also 20 Linear layers): h + relu(W h),
 * or with `batchNorm` the ResNet-style h + relu(BN(W h)).
 */
function residualNet(rng: Rng, batchNorm = false): nn.Sequential {
  const he = nn.init.kaimingUniform({ nonlinearity: 'relu' });
  const body = (): nn.Sequential => batchNorm
    ? new nn.Sequential(new nn.Linear(width, width, { rng, init: he }), new nn.BatchNorm1d(width), new nn.ReLU())
    : new nn.Sequential(new nn.Linear(width, width, { rng, init: he }), new nn.ReLU());
  const blocks = Array.from({ length: depth - 2 }, () => new nn.Residual(body()));
  return new nn.Sequential(new nn.Linear(width, width, { rng, init: he }), ...blocks, new nn.Linear(width, classes, { rng, init: he }));
}

const sizes = [width, ...Array<number>(depth - 1).fill(width), classes];
const designs: [string, (rng: Rng) => nn.Sequential][] = [
  ['sigmoid_uniform', (rng) => nn.mlp({ sizes, activation: 'sigmoid', init: nn.init.uniformInit(-0.1, 0.1), rng })],
  ['tanh_glorot', (rng) => nn.mlp({ sizes, activation: 'tanh', init: nn.init.xavierUniform(1), rng })],
  ['tanh_glorot_gain53', (rng) => nn.mlp({ sizes, activation: 'tanh', init: nn.init.xavierUniform(nn.init.gain('tanh')), rng })],
  ['relu_he', (rng) => nn.mlp({ sizes, activation: 'relu', init: 'he', rng })],
  ['relu_he_batchnorm', (rng) => nn.mlp({ sizes, activation: 'relu', init: 'he', batchNorm: true, rng })],
  ['residual_relu_he', (rng) => residualNet(rng)],
  ['residual_relu_he_batchnorm', (rng) => residualNet(rng, true)],
];

type Figures = { ratio: number; first: number; last: number; deltaRatio: number; loss: number; deadRelu?: number; saturated?: number };

/**
 * ‖∂L/∂x‖ / ‖∂L/∂h‖: the gradient reaching the network's input over the gradient reaching the
 * last layer's input h (both [batch, width]), free of the activation scale that weight gradients carry.
 */
function activationGradientRatio(model: nn.Sequential, x: Tensor, y: Tensor): number {
  const xg = x.clone().requireGrad();
  losses.crossEntropy(model.forward(xg), y).backward();
  const last = model.layers.at(-1)!;
  const h = noGrad(() => new nn.Sequential(...model.layers.slice(0, -1)).forward(x)).requireGrad();
  losses.crossEntropy(last.forward(h), y).backward();
  const norm = (t: Tensor): number => Math.sqrt(Array.from(t.data).reduce((a, v) => a + v * v, 0));
  return norm(xg.grad!) / norm(h.grad!);
}

/** Backpropagates the cross-entropy of a fixed batch once and returns the gradient-flow figures. */
function measure(model: nn.Sequential, x: Tensor, y: Tensor): Figures {
  model.train();
  const loss = losses.crossEntropy(model.forward(x), y);
  loss.backward();
  const norms = analysis.gradientNorms(model);
  const stats = analysis.activationStats(model, x);
  const dead = stats.filter((s) => s.deadFraction !== undefined), sat = stats.filter((s) => s.saturatedFraction !== undefined);
  const avg = (v: number[]): number | undefined => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined);
  return {
    ratio: analysis.firstLastRatio(norms), first: norms.layers[0]!.norm, last: norms.layers.at(-1)!.norm,
    deltaRatio: activationGradientRatio(model, x, y), loss: loss.item(),
    ...(dead.length ? { deadRelu: avg(dead.map((s) => s.deadFraction!)) } : {}),
    ...(sat.length ? { saturated: avg(sat.map((s) => s.saturatedFraction!)) } : {}),
  };
}

const dataRng = new Rng(0);
const x = randn([batch, width], { rng: dataRng });
const y = tensor(Array.from({ length: batch }, () => Math.floor(dataRng.uniform() * classes)));
const results: Record<string, Figures> = {};
for (const [name, make] of designs) {
  results[name] = measure(make(new Rng(1)), x, y);
  const r = results[name]!;
  console.log(`${name.padEnd(28)} first/last = ${r.ratio.toExponential(2)}  (‖g_first‖ ${r.first.toExponential(2)}, ‖g_last‖ ${r.last.toExponential(2)}); ‖∂L/∂x‖/‖∂L/∂h_last‖ = ${r.deltaRatio.toExponential(2)}`);
}
const ratios = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, Number(r.ratio.toPrecision(4))]));
const activationGradientRatios = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, Number(r.deltaRatio.toPrecision(4))]));
const cures = designs.map(([n]) => n).filter((n) => n !== 'sigmoid_uniform');
console.log(JSON.stringify({
  experiment: 'vanishing-gradients', quick, depth, width, batch, ratios, activationGradientRatios,
  sigmoidBelow1e3: results.sigmoid_uniform!.ratio < 1e-3,
  curesWithin0p1to10: Object.fromEntries(cures.map((c) => [c, results[c]!.ratio >= 0.1 && results[c]!.ratio <= 10])),
  details: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, Object.fromEntries(Object.entries(r).map(([f, v]) => [f, Number((v as number).toPrecision(4))]))])),
}));
