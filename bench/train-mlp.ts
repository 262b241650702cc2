// Benchmark: Fashion-MNIST MLP 784-256-128-10 training throughput — neurite (wasm 1 and 2 threads,
// js with --js) vs TensorFlow.js wasm vs PyTorch (1 and 2 threads), in ONE interleaved run.
//
// Run: node --import tsx bench/train-mlp.ts [--quick] [--limit 16384] [--batch 128] [--rounds 7] [--js]
//      [--skip 'tfjs,torch 2thr'] [--allow-reference-blas] [--json FILE]
// Each framework: ReLU, Adam (lr 1e-3), softmax cross-entropy, batch 128, cycling over the same
// minibatches. Prints the table (samples/s, medians, range, ratio, settings), then ONE JSON line.
import '../src/ops/dispatch.js';
import { mlp } from '../src/nn/mlp.js';
import { interleaved, machineLine, printTable, type Contestant } from './harness.js';
import { adamCeStep, benchOptions, emitJson, neuriteContestants, skipped, stepContestant, torchContestants } from './common.js';
import { fashionBatches, imageSource } from './data.js';
import { tfjsMlpStep, useTfjsBackend } from './peers/tfjs.js';
import { writeArrays } from './peers/torch.js';

const { opts, values } = benchOptions({ limit: { type: 'string' }, batch: { type: 'string', default: '128' }, js: { type: 'boolean', default: false } });
const batch = Number(values.batch), limit = Number(values.limit ?? (opts.quick ? 2048 : 16384));
const SIZES = [784, 256, 128, 10];
const data = await fashionBatches(limit, batch);

/** neurite's training step as a user writes it: zeroGrad, forward, crossEntropy, backward, Adam step. */
function neuriteStep(): () => void {
  return adamCeStep(mlp({ sizes: SIZES, activation: 'relu', seed: 1, dtype: 'float32' }), data.inputs, data.labelTensors);
}

const contestants: Contestant[] = await neuriteContestants(opts, neuriteStep, values.js as boolean);
if (!skipped(opts, 'tfjs wasm')) {
  const err = await useTfjsBackend('wasm');
  if (err) console.log(`tfjs wasm: skipped — ${err}`);
  else contestants.push(stepContestant('tfjs wasm', 'TensorFlow.js 4.22 wasm backend (SIMD)', tfjsMlpStep(data, SIZES, { act: 'relu', optimizer: 'adam', lr: 1e-3, loss: 'ce' })));
}
const files = writeArrays({ x: data.x, y: data.labels });
try {
  contestants.push(...await torchContestants(opts, { workload: 'mlp-train', sizes: SIZES, batch, n_batches: data.x.length, x_path: files.paths.x, y_path: files.paths.y, lr: 1e-3 }));
  const load = machineLine();
  const ts = await interleaved(contestants, opts);
  const rows = printTable(`Fashion MLP 784-256-128-10, Adam, batch ${batch}, training samples/s (median of ${opts.rounds} interleaved chunks)`,
    ts, { kind: 'rate', unit: 'samples/s', scale: batch }, 'neurite wasm 1thr');
  console.log(`data: ${imageSource}`);
  emitJson(opts, { bench: 'train-mlp', data: imageSource, net: SIZES.join('-'), batch, unit: 'samples/s', quick: opts.quick, rounds: opts.rounds, machineAtStart: load, machineAtEnd: machineLine(), rows });
} finally {
  files.cleanup();
}
