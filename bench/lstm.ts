// Benchmark: one training step of an LSTM classifier (input 32, hidden 64, batch 32, T = 20 and 50;
// LSTM → last step → Linear(64, 10), cross-entropy, Adam) — neurite (wasm 1 and 2 threads) vs
// TensorFlow.js wasm vs PyTorch (1 and 2 threads), ONE interleaved run per T.
//
// Run: node --import tsx bench/lstm.ts [--quick] [--rounds 7] [--t 20,50] [--skip ...] [--allow-reference-blas] [--json FILE]
// Prints ms per step per T, neurite's and PyTorch's T-ratio (time at the largest T / the smallest), then ONE JSON line.
import * as tf from '@tensorflow/tfjs';
import '../src/ops/dispatch.js';
import { Tensor } from '../src/tensor/tensor.js';
import { Rng } from '../src/core/rng.js';
import { LSTM, LastStep, Linear, Sequential } from '../src/nn/index.js';
import { interleaved, machineLine, tagged, printTable, type Contestant, type Timing } from './harness.js';
import { adamCeStep, benchOptions, emitJson, neuriteContestants, skipped, stepContestant, torchContestants } from './common.js';
import { randomSequences } from './data.js';
import { tfjsLayersStep, useTfjsBackend } from './peers/tfjs.js';
import { writeArrays } from './peers/torch.js';

const { opts, values } = benchOptions({ t: { type: 'string', default: '20,50' } });
const IN = 32, H = 64, N = 32, CLASSES = 10, NB = 4;
const lengths = String(values.t).split(',').map(Number);

async function contestantsFor(t: number, files: Record<string, string>, seq: ReturnType<typeof randomSequences>): Promise<Contestant[]> {
  const xs = seq.x.map((x) => new Tensor(x, [N, t, IN])), ys = seq.labels.map((y) => new Tensor(y, [N]));
  const cs = await neuriteContestants(opts, () => {
    const rng = new Rng(1);
    return adamCeStep(new Sequential(new LSTM(IN, H, { rng }), new LastStep(), new Linear(H, CLASSES, { rng })), xs, ys);
  });
  if (!skipped(opts, 'tfjs wasm')) {
    const err = await useTfjsBackend('wasm');
    if (err) console.log(`tfjs wasm: skipped — ${err}`);
    else {
      const model = tf.sequential({ layers: [tf.layers.lstm({ units: H, inputShape: [t, IN] }), tf.layers.dense({ units: CLASSES })] });
      const oneHot = seq.labels.map((y) => tf.oneHot(tf.tensor1d(Array.from(y), 'int32'), CLASSES));
      const step = tfjsLayersStep(model, seq.x.map((x) => tf.tensor3d(x, [N, t, IN])), oneHot);
      try { step(); cs.push(stepContestant('tfjs wasm', 'TensorFlow.js 4.22 wasm backend (SIMD), tf.layers.lstm', step)); } catch (e) { console.log(`tfjs wasm: skipped — ${(e as Error).message}`); }
    }
  }
  cs.push(...await torchContestants(opts, { workload: 'lstm-train', batch: N, n_batches: NB, steps_t: t, input: IN, hidden: H, classes: CLASSES, x_path: files.x, y_path: files.y, lr: 1e-3 }));
  return cs;
}

const results: Record<string, unknown> = {};
const byT: Record<number, Timing[]> = {};
for (const t of lengths) {
  const seq = randomSequences(NB, N, t, IN, CLASSES);
  const files = writeArrays({ x: seq.x, y: seq.labels });
  try {
    const cs = await contestantsFor(t, files.paths, seq);
    const start = machineLine();
    byT[t] = await interleaved(cs, { ...opts, profile: tagged(opts.profile, `T${t}`) });
    results[`T=${t}`] = { machineAtStart: start, rows: printTable(`LSTM ${IN}→${H}, batch ${N}, T = ${t}, one Adam training step (median of ${opts.rounds} interleaved chunks)`, byT[t]!, { kind: 'time', unit: 'ms' }, 'neurite wasm 1thr') };
  } finally {
    files.cleanup();
  }
}
const [lo, hi] = [Math.min(...lengths), Math.max(...lengths)];
const tRatio: Record<string, number> = {};
if (lo !== hi) {
  for (const a of byT[hi]!) {
    const b = byT[lo]!.find((x) => x.name === a.name);
    if (b) tRatio[a.name] = Number((a.medianSec / b.medianSec).toPrecision(3));
  }
  console.log(`\ntime at T = ${hi} / time at T = ${lo} (linear in T would be ${(hi / lo).toFixed(1)}; fixed per-step costs make it less): ${Object.entries(tRatio).map(([k, v]) => `${k} ${v}`).join(', ')}`);
}
emitJson(opts, { bench: 'lstm', input: IN, hidden: H, batch: N, unit: 'ms/step', quick: opts.quick, rounds: opts.rounds, machineAtEnd: machineLine(), results, tRatio });
