// Benchmark: int8 and float16-in-memory vs float32 inference of the Fashion MLP 784-256-128-10 on the WASM backend (and JS),
// one interleaved run, and the bytes each form's parameters hold.
//
// Run: node --import tsx bench/quant.ts [--quick] [--rounds 7] [--skip NAME,...] [--cpu-time] [--json FILE]   (npm run bench:quant)
// --cpu-time times each chunk by process.cpuUsage() (seconds on a core, GC and compiler threads included) instead of the
// wall clock: on a loaded machine a wall clock also counts the waits for a core, the CPU time does not.
// float32: predict()'s fast path (nn/infer.ts, the packed f32x4 matmul fused with bias + ReLU); int8: quantize() of the
// same model calibrated on 256 training images (one fused WASM call: i32x4.dot_i16x8_s products, ReLU and requantization
// in the epilogue, weights resident); float16: the model saved with float16 weights and loaded { keepHalf: true } (HalfModel).
// Samples/s at batch 256 and 1024, one-sample latency; ratios against float32 on WASM. Prints tables, then ONE JSON line.
import '../src/ops/dispatch.js';
import { mlp } from '../src/nn/mlp.js';
import { inferFast } from '../src/nn/infer.js';
import { noGrad } from '../src/autograd/graph.js';
import { Tensor } from '../src/tensor/tensor.js';
import { setBackend } from '../src/backend/registry.js';
import { initWasmBackend, wasmUnavailableReason } from '../src/backend/wasm/index.js';
import { quantize } from '../src/quant/quantize.js';
import { multiclassHead } from '../src/heads/heads.js';
import { modelFiles, parseModelFiles } from '../src/io/model.js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { interleaved, machineLine, printTable, type Contestant, type Display } from './harness.js';
import { benchOptions, emitJson, skipped, stepContestant } from './common.js';
import { fashionBatches, imageSource } from './data.js';

const { opts, values } = benchOptions({ 'cpu-time': { type: 'boolean', default: false } });
const cpuTime = values['cpu-time'] === true;

/** The contestant timed in CPU seconds (see --cpu-time). */
function cpuTimed(c: Contestant): Contestant {
  return {
    ...c,
    async run(steps) {
      const start = process.cpuUsage();
      await c.run(steps);
      const d = process.cpuUsage(start);
      return (d.user + d.system) / 1e6;
    },
  };
}
const SIZES = [784, 256, 128, 10];
const data = await fashionBatches(opts.quick ? 2048 : 4096, 1024);
if (!(await initWasmBackend({ select: false }))) console.log(`wasm: unavailable — ${wasmUnavailableReason()}`);
const model = mlp({ sizes: SIZES, activation: 'relu', seed: 1, dtype: 'float32' }).eval();
const calibration = new Tensor(data.x[0]!.slice(0, 256 * 784), [256, 784]);
const int8 = quantize(model, calibration);
const f16Files = modelFiles({ module: model, head: multiclassHead({ numClasses: 10 }) }, { weightsDType: 'float16' });
const loadF16 = (keepHalf: boolean) => parseModelFiles(f16Files['model.json'], f16Files['model.safetensors'], 'fashion-f16', { keepHalf }).module;
const half = loadF16(true);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Full GCs with turns of the event loop between them, so freed ArrayBuffers are swept and counted. */
async function settle(): Promise<number> {
  for (let i = 0; i < 4; i++) { gc(); await new Promise((r) => setTimeout(r, 20)); }
  return process.memoryUsage().arrayBuffers;
}
/** ArrayBuffer bytes one loaded copy holds (16 copies kept alive, after full GCs), measured with process.memoryUsage(). */
async function heldBytes(make: () => unknown): Promise<number> {
  const before = await settle();
  const keep = Array.from({ length: 16 }, make);
  const held = ((await settle()) - before) / keep.length;
  return Math.round(held);
}
const memory = { float32: await heldBytes(() => loadF16(false)), float16KeptHalf: await heldBytes(() => loadF16(true)), int8: await heldBytes(() => quantize(model, calibration)) };
console.log(`bytes held per loaded model (ArrayBuffers, 16 copies, after GC): float32 ${memory.float32}, float16 kept 16-bit ${memory.float16KeptHalf}, int8 ${memory.int8}`);

function contestants(batch: number, inputs: Tensor[]): Contestant[] {
  const cs: Contestant[] = [];
  const add = (name: string, settings: string, backend: string, forward: (x: Tensor) => Tensor): void => {
    if (skipped(opts, name) || (backend === 'wasm' && wasmUnavailableReason())) return;
    let k = 0;
    const c = stepContestant(name, settings, () => noGrad(() => forward(inputs[k++ % inputs.length]!)).data[0], () => setBackend(backend));
    cs.push(cpuTime ? cpuTimed(c) : c);
  };
  add('float32 wasm', 'WASM SIMD f32x4, 1 thread, fused linear+ReLU (predict fast path)', 'wasm', (x) => inferFast(model, x) ?? model.forward(x));
  add('int8 wasm', 'WASM SIMD i32x4.dot_i16x8_s, 1 thread, per-channel int8 weights, one fused call', 'wasm', (x) => int8.forward(x));
  add('float16 wasm', 'HalfModel: float16 weights widened per layer (256 KiB blocks), WASM float32 kernels', 'wasm', (x) => half.forward(x));
  add('float32 js', 'JS reference kernels', 'js', (x) => inferFast(model, x) ?? model.forward(x));
  add('int8 js', 'JS exact integer reference', 'js', (x) => int8.forward(x));
  return cs;
}

const results: Record<string, unknown> = {};
const cases: [string, number, Display][] = [
  ['batch 1024, samples/s', 1024, { kind: 'rate', unit: 'samples/s', scale: 1024 }],
  ['batch 256, samples/s', 256, { kind: 'rate', unit: 'samples/s', scale: 256 }],
  ['one sample, latency', 1, { kind: 'time', unit: 'µs' }],
];
for (const [title, batch, display] of cases) {
  const inputs = data.x.slice(0, 4).map((x) => new Tensor(x.slice(0, batch * 784), [batch, 784]));
  const start = machineLine();
  const ts = await interleaved(contestants(batch, inputs), opts);
  const clock = cpuTime ? 'CPU time' : 'wall clock';
  results[title] = { machineAtStart: start, clock, rows: printTable(`Fashion MLP 784-256-128-10 inference, ${title} (median of ${opts.rounds} interleaved chunks, ${clock})`, ts, display, 'float32 wasm') };
}
console.log(`data: ${imageSource}`);
emitJson(opts, { bench: 'quant', data: imageSource, net: SIZES.join('-'), quick: opts.quick, rounds: opts.rounds, machineAtEnd: machineLine(), memory, results });
