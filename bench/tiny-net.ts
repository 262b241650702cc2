// Benchmark: per-op overhead — a 2-8-8-1 ReLU net, batch 10, SGD, MSE: plain JS, neurite (js, wasm; eager and captured),
// TensorFlow.js cpu (or wasm with --tfjs wasm), PyTorch (1 and 2 threads), in ONE interleaved run.
//
// Run: node --import tsx bench/tiny-net.ts [--quick] [--rounds 7] [--tfjs cpu|wasm] [--skip ...] [--allow-reference-blas] [--json FILE]
// The plain-JS contestant is a hand-written forward/backward/update loop: the ceiling for this size.
// Prints the table (steps/s, medians, range, ratio, settings), then ONE JSON line.
import { Tensor } from '../src/tensor/tensor.js';
import '../src/ops/dispatch.js';
import { mlp } from '../src/nn/mlp.js';
import { mse } from '../src/losses/regression.js';
import { Optimizer } from '../src/optim/optimizer.js';
import { sgd } from '../src/optim/index.js';
import { Rng } from '../src/core/rng.js';
import { compileStep } from '../src/train/compile.js';
import { interleaved, machineLine, printTable, type Contestant } from './harness.js';
import { benchOptions, emitJson, neuriteContestants, skipped, stepContestant, torchContestants } from './common.js';
import { tfjsMlpStep, useTfjsBackend, type Batches } from './peers/tfjs.js';
import { writeArrays } from './peers/torch.js';

const { opts, values } = benchOptions({ tfjs: { type: 'string', default: 'cpu' } });
const tfjsBackend = values.tfjs === 'wasm' ? 'wasm' : 'cpu';
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
function neuriteStep(): () => void {
  const model = mlp({ sizes: SIZES, activation: 'relu', seed: 1, dtype: 'float32' });
  const opt = new Optimizer(sgd({ lr: LR }), model);
  let k = 0;
  return () => {
    const i = k++ % NB;
    opt.zeroGrad();
    mse(model.forward(xs[i]!), ys[i]!).backward();
    opt.step();
  };
}

/** The same step through compileStep (train/compile.ts): traced twice, then replayed as a plan of kernel calls. */
function capturedStep(): () => void {
  const model = mlp({ sizes: SIZES, activation: 'relu', seed: 1, dtype: 'float32' });
  const opt = new Optimizer(sgd({ lr: LR }), model);
  const step = compileStep((x: Tensor, y: Tensor) => { const l = mse(model.forward(x), y); l.backward(); return l; }, { module: model });
  let k = 0;
  return () => {
    const i = k++ % NB;
    opt.zeroGrad();
    step(xs[i]!, ys[i]!);
    opt.step();
  };
}

/** The ceiling: the same net, loss and SGD step written out by hand over Float32Arrays. */
function plainStep(): () => void {
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
  return step;
}

const contestants: Contestant[] = [];
if (!skipped(opts, 'plain JS')) contestants.push(stepContestant('plain JS', 'hand-written loops over Float32Arrays (the ceiling)', plainStep()));
contestants.push(...await neuriteContestants(opts, neuriteStep, true));
for (const c of await neuriteContestants(opts, capturedStep, true)) contestants.push({ ...c, name: `${c.name} captured`, settings: `${c.settings}; compileStep replay` });
if (!skipped(opts, `tfjs ${tfjsBackend}`)) {
  const err = await useTfjsBackend(tfjsBackend);
  if (err) console.log(`tfjs ${tfjsBackend}: skipped — ${err}`);
  else contestants.push(stepContestant(`tfjs ${tfjsBackend}`, `TensorFlow.js 4.22 ${tfjsBackend} backend`, tfjsMlpStep(data, SIZES, { act: 'relu', optimizer: 'sgd', lr: LR, loss: 'mse' })));
}
const files = writeArrays({ x: data.x, y: data.y });
try {
  contestants.push(...await torchContestants(opts, { workload: 'mlp-train', sizes: SIZES, batch: B, n_batches: NB, x_path: files.paths.x, y_path: files.paths.y, loss: 'mse', outputs: 1, optimizer: 'sgd', lr: LR }));
  const start = machineLine();
  const ts = await interleaved(contestants, opts);
  const rows = printTable(`tiny net 2-8-8-1, ReLU, MSE, SGD, batch ${B}: training steps/s (median of ${opts.rounds} interleaved chunks)`, ts, { kind: 'rate', unit: 'steps/s', scale: 1 }, 'neurite js');
  emitJson(opts, { bench: 'tiny-net', net: SIZES.join('-'), batch: B, unit: 'steps/s', quick: opts.quick, rounds: opts.rounds, machineAtStart: start, machineAtEnd: machineLine(), rows });
} finally {
  files.cleanup();
}
