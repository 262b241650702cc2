// Benchmark: Fashion-MNIST MLP 784-256-128-10 training throughput — neurite (js, wasm) vs TensorFlow.js (cpu, wasm) vs PyTorch.
//
// Run: node --import tsx bench/train-mlp.ts [--quick] [--limit 16384] [--batch 128] [--chunks 7] [--skip tfjs-cpu,torch]
// Each framework: ReLU, Adam (lr 1e-3), softmax cross-entropy, batch 128, cycling over the same
// minibatches of a Fashion-MNIST subset; warm-up, then the median of several timed chunks.
// Prints a table, then ONE JSON line (samples/s and the ratios the issue asks for).
import { parseArgs } from 'node:util';
import os from 'node:os';
import { Tensor } from '../src/core/tensor.js';
import '../src/ops/dispatch.js';
import { mlp } from '../src/nn/mlp.js';
import { crossEntropy } from '../src/losses/multiclass.js';
import { Optimizer } from '../src/optim/optimizer.js';
import { adam } from '../src/optim/index.js';
import { setBackend } from '../src/backend/registry.js';
import { initWasmBackend, wasmUnavailableReason } from '../src/backend/wasm/index.js';
import { loadFashionMnist } from '../src/node/data/fashion-mnist.js';
import { medianRate, sig, type RateResult } from './timing.js';
import { tfjsMlpRate, useTfjsBackend, type Batches } from './peers/tfjs.js';
import { torchMlpRate } from './peers/torch.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    limit: { type: 'string' },
    batch: { type: 'string', default: '128' },
    chunks: { type: 'string' },
    skip: { type: 'string', default: '' },
  },
});
const quick = values.quick!;
const batch = Number(values.batch), limit = Number(values.limit ?? (quick ? 1024 : 16384));
const chunks = Number(values.chunks ?? (quick ? 3 : 7)), chunkMs = quick ? 150 : 500;
const skip = new Set(values.skip!.split(',').filter(Boolean));
const SIZES = [784, 256, 128, 10];

const ds = await loadFashionMnist({ subset: 'train', limit, dtype: 'float32' });
const nb = Math.floor(ds.x.shape[0]! / batch);
if (nb < 1) throw new Error(`train-mlp: --limit ${limit} gives no full batch of ${batch}; raise --limit`);
const xd = ds.x.data as Float32Array, yd = ds.y.data as Float32Array;
const data: Batches = { x: [], y: [], batch, inDim: 784, outDim: 10 };
const labels: Tensor[] = [], inputs: Tensor[] = [];
for (let b = 0; b < nb; b++) {
  const x = xd.slice(b * batch * 784, (b + 1) * batch * 784), lab = yd.slice(b * batch, (b + 1) * batch), oh = new Float32Array(batch * 10);
  for (let i = 0; i < batch; i++) oh[i * 10 + lab[i]!] = 1;
  data.x.push(x); data.y.push(oh);
  inputs.push(new Tensor(x, [batch, 784])); labels.push(new Tensor(lab, [batch]));
}

/** neurite's training step as a user writes it: zeroGrad, forward, crossEntropy, backward, Adam step. */
async function neuriteRate(): Promise<RateResult> {
  const model = mlp({ sizes: SIZES, activation: 'relu', seed: 1, dtype: 'float32' });
  const opt = new Optimizer(adam({ lr: 1e-3 }), model);
  let k = 0;
  return medianRate(() => {
    const i = k++ % nb;
    opt.zeroGrad();
    crossEntropy(model.forward(inputs[i]!), labels[i]!).backward();
    opt.step();
  }, { chunks, chunkMs });
}

const rates: Record<string, number> = {}, notes: Record<string, string> = {};
const run = async (name: string, f: () => Promise<RateResult | { error: string }> | RateResult | { error: string }): Promise<void> => {
  if (skip.has(name)) { notes[name] = 'skipped (--skip)'; return; }
  const r = await f();
  if ('error' in r) { notes[name] = r.error; console.log(`${name}: skipped — ${r.error}`); return; }
  rates[name] = r.median * batch;
  console.log(`${name.padEnd(14)} ${(r.median * batch).toFixed(0).padStart(9)} samples/s  (${r.median.toFixed(1)} steps/s; chunks ${r.chunks.map((c) => (c * batch).toFixed(0)).join(' ')})`);
};

const tfOpts = { act: 'relu', optimizer: 'adam', lr: 1e-3, loss: 'ce', chunks, chunkMs } as const;
await run('neurite-js', async () => { setBackend('js'); return neuriteRate(); });
await run('neurite-wasm', async () => ((await initWasmBackend()) ? neuriteRate() : { error: `wasm backend unavailable: ${wasmUnavailableReason()}` }));
setBackend('js');
await run('tfjs-cpu', async () => { const e = await useTfjsBackend('cpu'); return e ? { error: e } : tfjsMlpRate(data, SIZES, tfOpts); });
await run('tfjs-wasm', async () => { const e = await useTfjsBackend('wasm'); return e ? { error: e } : tfjsMlpRate(data, SIZES, tfOpts); });
await run('torch', () => torchMlpRate(data, SIZES, tfOpts));

const ratio = (a: string, b: string): number | null => (rates[a] && rates[b] ? sig(rates[a]! / rates[b]!) : null);
const ratios = {
  wasm_vs_tfjs_wasm: ratio('neurite-wasm', 'tfjs-wasm'), wasm_vs_torch: ratio('neurite-wasm', 'torch'),
  wasm_vs_tfjs_cpu: ratio('neurite-wasm', 'tfjs-cpu'), wasm_vs_js: ratio('neurite-wasm', 'neurite-js'),
};
console.log(`targets: neurite-wasm / tfjs-wasm >= 5 (got ${ratios.wasm_vs_tfjs_wasm}); neurite-wasm / torch >= 0.5 (got ${ratios.wasm_vs_torch})`);
console.log(JSON.stringify({
  bench: 'train-mlp', net: SIZES.join('-'), batch, samples: nb * batch, chunks, unit: 'samples/s', quick,
  nproc: os.availableParallelism(), node: process.version,
  samplesPerSec: Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, sig(v)])), ratios, notes,
}));
