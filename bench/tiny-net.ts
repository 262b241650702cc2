// Benchmark: per-op overhead — a 2-8-8-1 ReLU net, batch 10, SGD, MSE: neurite (js, wasm), tfjs (cpu, wasm), PyTorch, plain JS.
//
// Run: node --import tsx bench/tiny-net.ts [--quick] [--chunks 7] [--skip torch]
// The plain-JS column is a hand-written forward/backward/update loop: the ceiling for this size.
// Prints a table, then ONE JSON line (steps/s and the ratios the issue asks for).
import { parseArgs } from 'node:util';
import os from 'node:os';
import { Tensor } from '../src/core/tensor.js';
import '../src/ops/dispatch.js';
import { mlp } from '../src/nn/mlp.js';
import { mse } from '../src/losses/regression.js';
import { Optimizer } from '../src/optim/optimizer.js';
import { sgd } from '../src/optim/index.js';
import { Rng } from '../src/core/rng.js';
import { setBackend } from '../src/backend/registry.js';
import { initWasmBackend, wasmUnavailableReason } from '../src/backend/wasm/index.js';
import { medianRate, sig, type RateResult } from './timing.js';
import { tfjsMlpRate, useTfjsBackend, type Batches } from './peers/tfjs.js';
import { torchMlpRate } from './peers/torch.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, chunks: { type: 'string' }, skip: { type: 'string', default: '' } } });
const quick = values.quick!, chunks = Number(values.chunks ?? (quick ? 3 : 7)), chunkMs = quick ? 150 : 400;
const skip = new Set(values.skip!.split(',').filter(Boolean));
const SIZES = [2, 8, 8, 1], B = 10, NB = 32, LR = 0.01;

const rng = new Rng(3);
const data: Batches = { x: [], y: [], batch: B, inDim: 2, outDim: 1 };
for (let b = 0; b < NB; b++) {
  const x = new Float32Array(B * 2), y = new Float32Array(B);
  for (let i = 0; i < B; i++) { x[2 * i] = rng.normal(); x[2 * i + 1] = rng.normal(); y[i] = Math.sin(x[2 * i]!) * x[2 * i + 1]!; }
  data.x.push(x); data.y.push(y);
}
const xs = data.x.map((a) => new Tensor(a, [B, 2])), ys = data.y.map((a) => new Tensor(a, [B, 1]));

/** neurite as a user writes it: zeroGrad, forward, mse, backward, SGD step. */
function neuriteRate(): Promise<RateResult> {
  const model = mlp({ sizes: SIZES, activation: 'relu', seed: 1, dtype: 'float32' });
  const opt = new Optimizer(sgd({ lr: LR }), model);
  let k = 0;
  return medianRate(() => {
    const i = k++ % NB;
    opt.zeroGrad();
    mse(model.forward(xs[i]!), ys[i]!).backward();
    opt.step();
  }, { chunks, chunkMs });
}

/** The ceiling: the same net, loss and SGD step written out by hand over Float32Arrays. */
function plainRate(): Promise<RateResult> {
  const dims = SIZES, L = dims.length - 1;
  const W = dims.slice(0, L).map((d, l) => Float32Array.from({ length: d * dims[l + 1]! }, () => rng.normal() * Math.sqrt(2 / d)));
  const bias = dims.slice(1).map((d) => new Float32Array(d));
  const act = dims.map((d) => new Float32Array(B * d)), del = dims.map((d) => new Float32Array(B * d));
  let k = 0;
  const step = (): void => {
    act[0]!.set(data.x[k % NB]!); const y = data.y[k++ % NB]!;
    for (let l = 0; l < L; l++) {
      const din = dims[l]!, dout = dims[l + 1]!, a = act[l]!, z = act[l + 1]!, w = W[l]!, bb = bias[l]!;
      for (let n = 0; n < B; n++) for (let o = 0; o < dout; o++) {
        let s = bb[o]!;
        for (let i = 0; i < din; i++) s += a[n * din + i]! * w[i * dout + o]!;
        z[n * dout + o] = l + 1 < L && s < 0 ? 0 : s;
      }
    }
    for (let n = 0; n < B; n++) del[L]![n] = (2 / B) * (act[L]![n]! - y[n]!);
    for (let l = L - 1; l >= 0; l--) {
      const din = dims[l]!, dout = dims[l + 1]!, a = act[l]!, d = del[l + 1]!, w = W[l]!, bb = bias[l]!, dp = del[l]!;
      if (l > 0) for (let n = 0; n < B; n++) for (let i = 0; i < din; i++) {
        let s = 0;
        for (let o = 0; o < dout; o++) s += d[n * dout + o]! * w[i * dout + o]!;
        dp[n * din + i] = a[n * din + i]! > 0 ? s : 0;
      }
      for (let i = 0; i < din; i++) for (let o = 0; o < dout; o++) {
        let g = 0;
        for (let n = 0; n < B; n++) g += a[n * din + i]! * d[n * dout + o]!;
        w[i * dout + o] = w[i * dout + o]! - LR * g;
      }
      for (let o = 0; o < dout; o++) { let g = 0; for (let n = 0; n < B; n++) g += d[n * dout + o]!; bb[o] = bb[o]! - LR * g; }
    }
  };
  return medianRate(step, { chunks, chunkMs });
}

const rates: Record<string, number> = {}, notes: Record<string, string> = {};
const run = async (name: string, f: () => Promise<RateResult | { error: string }> | RateResult | { error: string }): Promise<void> => {
  if (skip.has(name)) { notes[name] = 'skipped (--skip)'; return; }
  const r = await f();
  if ('error' in r) { notes[name] = r.error; console.log(`${name}: skipped — ${r.error}`); return; }
  rates[name] = r.median;
  console.log(`${name.padEnd(14)} ${r.median.toFixed(0).padStart(9)} steps/s  (chunks ${r.chunks.map((c) => c.toFixed(0)).join(' ')})`);
};

const peerOpts = { act: 'relu', optimizer: 'sgd', lr: LR, loss: 'mse', chunks, chunkMs } as const;
await run('plain-js', plainRate);
await run('neurite-js', () => { setBackend('js'); return neuriteRate(); });
await run('neurite-wasm', async () => ((await initWasmBackend()) ? neuriteRate() : { error: `wasm backend unavailable: ${wasmUnavailableReason()}` }));
setBackend('js');
await run('tfjs-cpu', async () => { const e = await useTfjsBackend('cpu'); return e ? { error: e } : tfjsMlpRate(data, SIZES, peerOpts); });
await run('tfjs-wasm', async () => { const e = await useTfjsBackend('wasm'); return e ? { error: e } : tfjsMlpRate(data, SIZES, peerOpts); });
await run('torch', () => torchMlpRate(data, SIZES, peerOpts));

const best = Math.max(rates['neurite-js'] ?? 0, rates['neurite-wasm'] ?? 0);
const over = (b: string): number | null => (best && rates[b] ? sig(best / rates[b]!) : null);
const ratios = { vs_torch: over('torch'), vs_tfjs_cpu: over('tfjs-cpu'), vs_tfjs_wasm: over('tfjs-wasm'), of_plain_js: over('plain-js') };
console.log(`targets (best neurite backend): / torch >= 3 (got ${ratios.vs_torch}); / tfjs >= 10 (cpu ${ratios.vs_tfjs_cpu}, wasm ${ratios.vs_tfjs_wasm})`);
console.log(JSON.stringify({
  bench: 'tiny-net', net: SIZES.join('-'), batch: B, optimizer: 'sgd', unit: 'steps/s', chunks, quick, nproc: os.availableParallelism(), node: process.version,
  stepsPerSec: Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, sig(v)])), ratios, notes,
}));
