// Benchmark: one training step of the CNN of examples/configs/cnn-fashion.json (batch 64, Adam) —
// neurite (wasm 1 and 2 threads) vs TensorFlow.js wasm vs PyTorch (1 and 2 threads), ONE interleaved run.
//
// Run: node --import tsx bench/conv.ts [--quick] [--rounds 7] [--tfjs-cpu] [--skip ...] [--allow-reference-blas] [--json FILE]
// neurite builds the model from the config's layer list (moduleFromJSON); tfjs the same net in
// tf.layers (NHWC, its layout); PyTorch in torch.nn. Prints ms per step, then ONE JSON line.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '../src/ops/dispatch.js';
import { moduleFromJSON, type ModuleJSON } from '../src/nn/index.js';
import { manualSeed } from '../src/core/rng.js';
import { interleaved, machineLine, printTable, type Contestant } from './harness.js';
import { adamCeStep, benchOptions, emitJson, neuriteContestants, skipped, stepContestant, torchContestants } from './common.js';
import { fashionBatches, imageSource } from './data.js';
import { tfjsLayersStep, useTfjsBackend } from './peers/tfjs.js';
import { writeArrays } from './peers/torch.js';

const { opts, values } = benchOptions({ 'tfjs-cpu': { type: 'boolean', default: false } });
const BATCH = 64;
const config = JSON.parse(readFileSync(new URL('../examples/configs/cnn-fashion.json', import.meta.url), 'utf8')) as { model: { layers: ModuleJSON[] } };
const data = await fashionBatches(opts.quick ? 512 : 2048, BATCH);

/** neurite: the config's layers as a Sequential, trained as `neurite train` does (zeroGrad, CE, backward, Adam). */
function neuriteStep(): () => void {
  manualSeed(0);
  return adamCeStep(moduleFromJSON({ type: 'Sequential', layers: config.model.layers }), data.inputs, data.labelTensors);
}

/** The same net in tf.layers (NHWC). */
function tfjsCnn(): tf.LayersModel {
  const l = tf.layers;
  return tf.sequential({
    layers: [
      l.reshape({ targetShape: [28, 28, 1], inputShape: [784] }), l.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }), l.batchNormalization(), l.reLU(), l.maxPooling2d({ poolSize: 2 }),
      l.conv2d({ filters: 32, kernelSize: 3, padding: 'same' }), l.batchNormalization(), l.reLU(), l.maxPooling2d({ poolSize: 2 }), l.flatten(),
      l.dense({ units: 128, activation: 'relu' }), l.dropout({ rate: 0.25 }), l.dense({ units: 10 }),
    ],
  });
}

const contestants: Contestant[] = await neuriteContestants(opts, neuriteStep);
// tfjs-backend-wasm 4.22 lacks Conv2DBackpropFilter, so its row is a skip note; --tfjs-cpu adds the
// cpu backend instead (about 20 s a step here, so not by default).
for (const backend of values['tfjs-cpu'] ? ['wasm', 'cpu'] as const : ['wasm'] as const) {
  if (skipped(opts, `tfjs ${backend}`) || contestants.some((c) => c.name.startsWith('tfjs'))) continue;
  const err = await useTfjsBackend(backend);
  if (err) { console.log(`tfjs ${backend}: skipped — ${err}`); continue; }
  const step = tfjsLayersStep(tfjsCnn(), data.x.map((x) => tf.tensor2d(x, [BATCH, 784])), data.y.map((y) => tf.tensor2d(y, [BATCH, 10])));
  try {
    step();
    contestants.push(stepContestant(`tfjs ${backend}`, `TensorFlow.js 4.22 ${backend} backend${backend === 'wasm' ? ' (SIMD)' : ''}, tf.layers NHWC`, step));
  } catch (e) {
    console.log(`tfjs ${backend}: skipped — ${(e as Error).message}`);
  }
}
const files = writeArrays({ x: data.x, y: data.labels });
try {
  contestants.push(...await torchContestants(opts, { workload: 'cnn-train', batch: BATCH, n_batches: data.x.length, x_path: files.paths.x, y_path: files.paths.y, lr: 1e-3 }));
  const start = machineLine();
  const ts = await interleaved(contestants, opts);
  const rows = printTable(`CNN of examples/configs/cnn-fashion.json, batch ${BATCH}, one Adam training step (median of ${opts.rounds} interleaved chunks)`, ts, { kind: 'time', unit: 'ms' }, 'neurite wasm 1thr');
  console.log(`data: ${imageSource}`);
  emitJson(opts, { bench: 'conv', data: imageSource, batch: BATCH, unit: 'ms/step', quick: opts.quick, rounds: opts.rounds, machineAtStart: start, machineAtEnd: machineLine(), rows });
} finally {
  files.cleanup();
}
