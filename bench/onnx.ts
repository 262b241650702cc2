// Benchmark: the same exported Fashion MLP (784-256-128-10) and CNN (examples/configs/cnn-fashion.json) in
// onnxruntime-node (intraOpNumThreads 1 and 2) and in neurite (its inference path), ONE interleaved run each:
// single-sample latency and batch-256 throughput, medians. Outputs are compared before anything is timed.
//
// Run: npm run bench:onnx [-- --quick] [--rounds 7] [--skip ...] [--json FILE]
// neurite: noGrad(inferFast(model, x) ?? model.forward(x)) — what predictRaw runs (the fused fast path of
// nn/infer.ts for the MLP, the eager eval forward for the CNN); ORT: session.run on a prepared ort.Tensor.
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import '../src/ops/dispatch.js';
import '../src/io/model.js';
import { mlp } from '../src/nn/mlp.js';
import { moduleFromJSON } from '../src/nn/registry.js';
import { inferFast } from '../src/nn/infer.js';
import { setBackend } from '../src/backend/registry.js';
import { noGrad } from '../src/autograd/graph.js';
import { Tensor } from '../src/tensor/tensor.js';
import type { Module, ModuleJSON } from '../src/nn/module.js';
import { exportOnnx } from '../src/io/onnx/export.js';
import { interleaved, machineLine, printTable, type Contestant, type Display } from './harness.js';
import { benchOptions, emitJson, neuriteContestants, skipped, stepContestant } from './common.js';
import { fashionBatches, imageSource } from './data.js';

const { opts } = benchOptions();
const BATCH = 256;
const data = await fashionBatches(opts.quick ? 1024 : 2048, BATCH);
const single = [0, 1, 2, 3].map((i) => data.x[0]!.slice(i * 784, (i + 1) * 784));
const cnnLayers = (JSON.parse(readFileSync(new URL('../examples/configs/cnn-fashion.json', import.meta.url), 'utf8')) as { model: { layers: ModuleJSON[] } }).model.layers;

const models: [string, () => Module][] = [
  ['Fashion MLP 784-256-128-10', () => mlp({ sizes: [784, 256, 128, 10], activation: 'relu', seed: 1 }).eval()],
  ['Fashion CNN (examples/configs/cnn-fashion.json)', () => moduleFromJSON({ type: 'Sequential', layers: cnnLayers }).eval()],
];

const neuriteRun = (model: Module, x: Tensor): Tensor => noGrad(() => inferFast(model, x) ?? model.forward(x));
const ortSettings = (threads: number): ort.InferenceSession.SessionOptions => ({
  intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
});

/** ORT sessions on 1 and 2 threads; each checked against neurite on a batch of 256 before it is timed. */
async function ortContestants(bytes: Uint8Array, model: Module, batch: number, xs: Float32Array[]): Promise<Contestant[]> {
  const out: Contestant[] = [];
  const want = neuriteRun(model, new Tensor(data.x[0]!, [BATCH, 784]));
  for (const threads of [1, 2]) {
    const name = `onnxruntime ${threads}thr`;
    if (skipped(opts, name)) continue;
    const session = await ort.InferenceSession.create(bytes, ortSettings(threads));
    const check = (await session.run({ input: new ort.Tensor('float32', data.x[0]!, [BATCH, 784]) })).output!.data as Float32Array;
    const diff = check.reduce((m, v, i) => Math.max(m, Math.abs(v - want.data[i]!)), 0);
    if (!(diff <= 1e-4)) throw new Error(`${name}: outputs differ from neurite's by ${diff} (max abs) on a batch of ${BATCH}`);
    console.log(`${name}: max abs difference from neurite on ${BATCH} images ${diff.toExponential(2)}`);
    const feeds = xs.map((x) => ({ input: new ort.Tensor('float32', x, [batch, 784]) }));
    let k = 0;
    const c = stepContestant(name, `onnxruntime-node ${ort.env.versions.node ?? '?'} CPU, intraOpNumThreads ${threads}, interOpNumThreads 1, sequential, graph optimisation all`, async () => (await session.run(feeds[k++ % feeds.length]!)).output!.data[0]);
    out.push({ ...c, close: () => session.release() });
  }
  return out;
}

const results: Record<string, unknown> = {};
const cases: [string, number, Float32Array[], Display][] = [
  [`batch ${BATCH}, samples/s`, BATCH, data.x, { kind: 'rate', unit: 'samples/s', scale: BATCH }],
  ['one sample, latency', 1, single, { kind: 'time', unit: 'µs' }],
];
console.log(`onnxruntime-node ${JSON.stringify(ort.env.versions)}; data: ${imageSource}; random weights (speed, not accuracy)`);
for (const [label, build] of models) {
  const reference = build();
  const bytes = exportOnnx(reference, { inputShape: [784] });
  console.log(`\n${label}: ${reference.numParams().toLocaleString('en-US')} parameters, ONNX file ${bytes.length.toLocaleString('en-US')} bytes`);
  for (const [title, batch, xs, display] of cases) {
    const inputs = xs.map((x) => new Tensor(x, [batch, 784]));
    const makeStep = () => { const m = build(); m.loadStateDict(reference.stateDict()); let k = 0; return () => neuriteRun(m, inputs[k++ % inputs.length]!).data[0]; };
    const cs = [...await neuriteContestants(opts, makeStep), ...await ortContestants(bytes, reference, batch, xs)];
    setBackend('wasm');
    const start = machineLine();
    const ts = await interleaved(cs, opts);
    results[`${label}: ${title}`] = { machineAtStart: start, rows: printTable(`${label} inference, ${title} (median of ${opts.rounds} interleaved chunks)`, ts, display, 'neurite wasm 1thr') };
  }
}
emitJson(opts, { bench: 'onnx', data: imageSource, ort: ort.env.versions, quick: opts.quick, rounds: opts.rounds, machineAtEnd: machineLine(), results });
