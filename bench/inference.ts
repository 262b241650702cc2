// Benchmark: Fashion MLP 784-256-128-10 inference — batch-1024 samples/s and one-sample latency —
// neurite (wasm 1 and 2 threads) vs TensorFlow.js wasm vs PyTorch (1 and 2 threads), ONE interleaved run each.
//
// Run: node --import tsx bench/inference.ts [--quick] [--rounds 7] [--skip ...] [--allow-reference-blas] [--json FILE]
// neurite: the fast path (nn/infer.ts), `captured` = predict()'s compiled path (train/compile.ts), and `eager` = noGrad(() => model.forward(x)); tfjs: tidy(forward).dataSync(); PyTorch: eval() +
// inference_mode() + .numpy(). Prints two tables, then ONE JSON line.
import '../src/ops/dispatch.js';
import { mlp } from '../src/nn/mlp.js';
import { inferFast } from '../src/nn/infer.js';
import { inferCaptured } from '../src/train/compile.js';
import { setBackend } from '../src/backend/registry.js';
import { noGrad } from '../src/autograd/graph.js';
import { Tensor } from '../src/tensor/tensor.js';
import { interleaved, machineLine, tagged, printTable, type Contestant, type Display } from './harness.js';
import { benchOptions, emitJson, neuriteContestants, skipped, stepContestant, torchContestants } from './common.js';
import { fashionBatches, imageSource } from './data.js';
import { tfjsMlpInferStep, useTfjsBackend } from './peers/tfjs.js';
import { writeArrays } from './peers/torch.js';

const { opts } = benchOptions();
const SIZES = [784, 256, 128, 10];
const data = await fashionBatches(opts.quick ? 2048 : 4096, 1024);
const single = [0, 1, 2, 3].map((i) => data.x[0]!.slice(i * 784, (i + 1) * 784));

/** Contestants for one batch size: neurite (noGrad forward), tfjs wasm, PyTorch inference_mode. */
async function contestantsFor(batch: number, xs: Float32Array[], files: Record<string, string>): Promise<Contestant[]> {
  const inputs = xs.map((x) => new Tensor(x, [batch, 784]));
  /** A step over the inputs: the fast path of predict() (`fast`), or the plain noGrad forward. */
  const makeStep = (fast: boolean) => (): (() => unknown) => {
    const model = mlp({ sizes: SIZES, activation: 'relu', seed: 1, dtype: 'float32' }).eval();
    let k = 0;
    const forward = fast ? (x: Tensor) => inferFast(model, x) ?? model.forward(x) : (x: Tensor) => model.forward(x);
    return () => noGrad(() => forward(inputs[k++ % inputs.length]!)).data[0];
  };
  const cs = await neuriteContestants(opts, makeStep(true));
  if (cs.some((c) => c.name === 'neurite wasm 1thr') && !skipped(opts, 'neurite wasm 1thr eager')) {
    setBackend('wasm');
    cs.push(stepContestant('neurite wasm 1thr eager', 'WASM SIMD, 1 thread, model.forward without the fast path', makeStep(false)(), () => setBackend('wasm')));
  }
  for (const c of await neuriteContestants(opts, () => {
    const model = mlp({ sizes: SIZES, activation: 'relu', seed: 1, dtype: 'float32' }).eval();
    let k = 0;
    return () => noGrad(() => inferCaptured(model, inputs[k++ % inputs.length]!)).data[0];
  })) cs.push({ ...c, name: `${c.name} captured`, settings: `${c.settings}; compileStep replay (predict's path)` });
  if (!skipped(opts, 'tfjs wasm')) {
    const err = await useTfjsBackend('wasm');
    if (err) console.log(`tfjs wasm: skipped — ${err}`);
    else cs.push(stepContestant('tfjs wasm', 'TensorFlow.js 4.22 wasm backend (SIMD)', tfjsMlpInferStep(xs, batch, SIZES)));
  }
  cs.push(...await torchContestants(opts, { workload: 'mlp-infer', sizes: SIZES, batch, n_batches: xs.length, x_path: files.x }));
  return cs;
}

const results: Record<string, unknown> = {};
const cases: [string, number, Float32Array[], Display][] = [
  ['batch 1024, samples/s', 1024, data.x, { kind: 'rate', unit: 'samples/s', scale: 1024 }],
  ['one sample, latency', 1, single, { kind: 'time', unit: 'µs' }],
];
for (const [title, batch, xs, display] of cases) {
  const files = writeArrays({ x: xs });
  try {
    const cs = await contestantsFor(batch, xs, files.paths);
    const start = machineLine();
    const ts = await interleaved(cs, { ...opts, profile: tagged(opts.profile, `batch${batch}`) });
    results[title] = { machineAtStart: start, rows: printTable(`Fashion MLP 784-256-128-10 inference, ${title} (median of ${opts.rounds} interleaved chunks)`, ts, display, 'neurite wasm 1thr') };
  } finally {
    files.cleanup();
  }
}
console.log(`data: ${imageSource}`);
emitJson(opts, { bench: 'inference', data: imageSource, net: SIZES.join('-'), quick: opts.quick, rounds: opts.rounds, machineAtEnd: machineLine(), results });
