// Representations on digits: linear-probe accuracy per hidden layer, a PCA scatter plot (SVG), and the
// manifold claim — principal components for 90% variance of digits vs random images of the same size.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { analysis, data, nn, Optimizer, adam, fit, multiclassHead, rand, Rng } from 'neurite';
import { loadBuiltinDataset } from 'neurite/node';

const quick = process.argv.includes('--quick');
const outIdx = process.argv.indexOf('--out');
const outDir = outIdx > 0 ? process.argv[outIdx + 1]! : join(tmpdir(), 'neurite-representations');
mkdirSync(outDir, { recursive: true });

const ds = await loadBuiltinDataset('digits');
const x = ds.x.div(16);
const { train, test } = data.trainTestSplit({ x, y: ds.y }, { testSize: 0.25, seed: 0 });
const net = nn.mlp({ sizes: [64, 64, 32, 10], activation: 'relu', seed: 1 });
const head = multiclassHead({ numClasses: 10 });
fit({ model: net, head, optimizer: new Optimizer(adam({ lr: 0.003 }), net), x: train.x, y: train.y, epochs: quick ? 5 : 40, batchSize: 32, seed: 1 });

// Probe the raw input and each representation after an activation (and the final scores).
const trainActs = analysis.representations(net, train.x);
const testActs = new Map(analysis.representations(net, test.x));
const layers: [string, typeof train.x, typeof test.x][] = [['input', train.x, test.x]];
for (const [name, h] of trainActs) if (!name.includes('Linear') || name === trainActs.at(-1)![0]) layers.push([name, h, testActs.get(name)!]);
const probeEpochs = quick ? 5 : 30;
const probes = Object.fromEntries(layers.map(([name, h, ht]) => [name, analysis.linearProbe(h, train.y, { numClasses: 10, test: { x: ht, y: test.y }, epochs: probeEpochs, seed: 0 }).testAccuracy]));

// PCA plots of the input and of the last hidden layer.
const lastHidden = layers.at(-2)!;
const inputPca = analysis.pca(x);
writeFileSync(join(outDir, 'pca-input.svg'), analysis.scatterSvg(analysis.pcaProject(inputPca, x, 2), ds.y, { title: 'digits: PCA of pixels' }));
const hPca = analysis.pca(lastHidden[2]);
writeFileSync(join(outDir, 'pca-hidden.svg'), analysis.scatterSvg(analysis.pcaProject(hPca, lastHidden[2], 2), test.y, { title: `digits test set: PCA of ${lastHidden[0]}` }));

// Manifold claim: digits vs uniform random images with the same number of pixels and rows.
const random = rand([x.shape[0]!, 64], { rng: new Rng(0) });
const randomPca = analysis.pca(random);
// Learned features of a 2-D classifier: what each first-layer hidden unit detects on the spiral.
const spiral = data.makeSpiral({ n: 300, k: 3, seed: 1 });
const clf = nn.mlp({ sizes: [2, 16, 16, 3], activation: 'tanh', seed: 1 });
const spiralFit = fit({ model: clf, head: multiclassHead({ numClasses: 3 }), optimizer: new Optimizer(adam({ lr: 0.01 }), clf), x: spiral.x, y: spiral.y, epochs: quick ? 10 : 150, batchSize: 32, seed: 1 });
const sx = spiral.x.toFlat(), ext = Math.max(...sx.map(Math.abs));
writeFileSync(join(outDir, 'spiral-neurons-layer1.svg'), analysis.neuronHeatmapsSvg(clf, 1, { xRange: [-ext, ext], yRange: [-ext, ext] }));
writeFileSync(join(outDir, 'spiral-neurons-layer2.svg'), analysis.neuronHeatmapsSvg(clf, 3, { xRange: [-ext, ext], yRange: [-ext, ext] }));

console.log(JSON.stringify({
  linearProbeTestAccuracy: probes,
  components90Digits: analysis.componentsForVariance(inputPca, 0.9),
  components90Random: analysis.componentsForVariance(randomPca, 0.9),
  pixels: 64,
  top2VarianceDigits: inputPca.explainedRatio[0]! + inputPca.explainedRatio[1]!,
  spiralFinalLoss: spiralFit.history.at(-1)!.loss,
  svg: ['pca-input.svg', 'pca-hidden.svg', 'spiral-neurons-layer1.svg', 'spiral-neurons-layer2.svg'].map((f) => join(outDir, f)),
}));
