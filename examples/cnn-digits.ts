// A small CNN on the 8x8 digits: Conv-ReLU-MaxPool ×2 → Linear; draws its learned first-layer filters
// (SVG) and prints one JSON line (test accuracy, wall time, figure path).
// Run: node --import tsx examples/cnn-digits.ts [--quick] [--out DIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analysis, data, nn, Optimizer, adam, fit, evaluate, multiclassHead, metricsForHead, getBackend, div, reshape, Rng, type Tensor } from 'neurite';
import { loadBuiltinDataset } from 'neurite/node';

const quick = process.argv.includes('--quick');
const outIdx = process.argv.indexOf('--out');
const outDir = outIdx > 0 ? process.argv[outIdx + 1]! : join(tmpdir(), 'neurite-cnn-digits');
mkdirSync(outDir, { recursive: true });
const epochs = quick ? 3 : 30;
const t0 = performance.now();

const digits = await loadBuiltinDataset('digits');
// Pixels are 0..16: scale to [0, 1], then images [N, 1, 8, 8].
const images = reshape(div(digits.x, 16), [digits.x.shape[0]!, 1, 8, 8]);
const { train, test } = data.trainTestSplit({ x: images, y: digits.y }, { testSize: 0.25, seed: 0, stratify: true });

const rng = new Rng(0);
const model = new nn.Sequential(
  new nn.Conv2d(1, 16, 3, { padding: 1, rng }), new nn.ReLU(), new nn.MaxPool2d(2), // → [16, 4, 4]
  new nn.Conv2d(16, 32, 3, { padding: 1, rng }), new nn.ReLU(), new nn.MaxPool2d(2), // → [32, 2, 2]
  new nn.Flatten(), new nn.Linear(128, 10, { rng }),
);
const head = multiclassHead({ numClasses: 10 });
const optimizer = new Optimizer(adam({ lr: 0.003 }), model);
const { history } = fit({ model, head, optimizer, x: train.x, y: train.y, epochs, batchSize: 32, seed: 1 });
const { metrics } = evaluate(model, head, test.x, test.y, { metrics: metricsForHead(head) });

// What the first layer learned: its 16 3×3 filters (blue < 0 < red), one tile each.
const filtersSvg = join(outDir, 'conv1-filters.svg');
writeFileSync(filtersSvg, analysis.filterGridSvg(model.layers[0]!.params.weight as Tensor, { cell: 12 }));

console.log(JSON.stringify({
  example: 'cnn-digits', quick, backend: getBackend().name, params: model.numParams(), epochs,
  trainSize: train.x.shape[0], testSize: test.x.shape[0], finalLoss: Number(history.at(-1)!.loss.toFixed(4)),
  testAccuracy: Number(metrics.accuracy!.toFixed(4)), target: 0.97, wallSeconds: Number(((performance.now() - t0) / 1000).toFixed(2)), filtersSvg,
}));
