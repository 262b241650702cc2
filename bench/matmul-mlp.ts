// Benchmark: the matmul ceiling of the Fashion MLP — neurite's micro-kernel (plain and relaxed builds, one thread,
// kernel only: operands already in WASM memory) against torch.mm (PyTorch 1 thread), at the MLP's exact shapes.
//
// Run: node --experimental-wasm-relaxed-simd --import tsx bench/matmul-mlp.ts [--quick] [--rounds 7]
//      [--builds dist/wasm/neurite.wasm,dist/wasm/neurite-relaxed.wasm,/tmp/other.wasm] [--shapes fwd1,dW1] [--skip torch]
//      [--cpu-time] [--json FILE]
// --cpu-time times neurite's kernels by this process's CPU time (process.cpuUsage), not wall time: on a machine
// shared with other jobs that leaves out the time the kernel waited for a core (not for A/B against the peer).
// (Without the flag only the plain build runs.) Each shape is one interleaved table (GFLOP/s); then the sums over one
// training step (bs 128) and one batch-1024 forward, with PyTorch's whole step/forward timed in the same run, give
// the best ratio neurite could reach if everything but its matmuls took no time. Prints ONE JSON line at the end.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { interleaved, machineLine, printTable, type Contestant } from './harness.js';
import { benchOptions, emitJson, skipped, stepContestant } from './common.js';
import { torchPeer, writeArrays } from './peers/torch.js';
import type { KernelExports } from '../src/backend/wasm/kernels.js';
import { hasRelaxedSimd } from '../src/backend/wasm/load.js';

const { opts, values } = benchOptions({ builds: { type: 'string' }, shapes: { type: 'string' }, 'cpu-time': { type: 'boolean', default: false } });
const cpuTime = values['cpu-time'] as boolean;
const dist = new URL('../dist/wasm/', import.meta.url);
const defaults = ['neurite.wasm', ...(hasRelaxedSimd() ? ['neurite-relaxed.wasm'] : [])].map((f) => new URL(f, dist).pathname);
const builds = values.builds ? String(values.builds).split(',') : defaults;

/** One product: C[m, n] = op(A) @ op(B) with neurite's storage of the operands; `count` per step. */
interface Shape { name: string; m: number; k: number; n: number; tA: boolean; tB: boolean; count: number; use: 'train' | 'infer' }
const S = (name: string, m: number, k: number, n: number, tA: boolean, tB: boolean, use: Shape['use']): Shape => ({ name, m, k, n, tA, tB, count: 1, use });
/** Linear's products in a step of the 784-256-128-10 MLP: y = x·Wᵀ (NT), dW = dyᵀ·x (TN), dX = dy·W (NN; not for the input layer). */
const shapes: Shape[] = [
  S('fwd1 128x784·(256x784)ᵀ', 128, 784, 256, false, true, 'train'),
  S('fwd2 128x256·(128x256)ᵀ', 128, 256, 128, false, true, 'train'),
  S('fwd3 128x128·(10x128)ᵀ', 128, 128, 10, false, true, 'train'),
  S('dW1 (128x256)ᵀ·128x784', 256, 128, 784, true, false, 'train'),
  S('dW2 (128x128)ᵀ·128x256', 128, 128, 256, true, false, 'train'),
  S('dW3 (128x10)ᵀ·128x128', 10, 128, 128, true, false, 'train'),
  S('dX2 128x128·128x256', 128, 128, 256, false, false, 'train'),
  S('dX3 128x10·10x128', 128, 10, 128, false, false, 'train'),
  S('inf1 1024x784·(256x784)ᵀ', 1024, 784, 256, false, true, 'infer'),
  S('inf2 1024x256·(128x256)ᵀ', 1024, 256, 128, false, true, 'infer'),
  S('inf3 1024x128·(10x128)ᵀ', 1024, 128, 10, false, true, 'infer'),
];

const fill = (f: Float32Array, seed: number): Float32Array => { for (let i = 0; i < f.length; i++) f[i] = Math.sin(i * 0.37 + seed); return f; };

/** A kernel-only contestant: `file`'s matmulRange on operands placed once in its memory (named `prefix` + file name). */
function kernelContestant(file: string, s: Shape, prefix: string): Contestant {
  const k = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {}).exports as unknown as KernelExports;
  const a = k.heapBase(), b = a + s.m * s.k * 4 + 64, c = b + s.k * s.n * 4 + 64, pA = c + s.m * s.n * 4 + 64, pB = pA + k.packABytes() + 64;
  const need = pB + k.packBBytes() + 64, have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  fill(new Float32Array(k.memory.buffer, a, s.m * s.k), 1);
  fill(new Float32Array(k.memory.buffer, b, s.k * s.n), 2);
  const step = (): void => k.matmulRange(a, b, c, 1, s.m, s.k, s.n, s.tA ? 1 : 0, s.tB ? 1 : 0, 0, 0, pA, pB, 0, s.m);
  const name = prefix + path.basename(file, '.wasm'), settings = `${file}, matmulRange, 1 thread${cpuTime ? ', CPU time' : ''}`;
  if (!cpuTime) return stepContestant(name, settings, step);
  const cpuSec = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  return {
    name, settings,
    async warm(ms) { const t0 = performance.now(), c0 = cpuSec(); let n = 0; while (n < 3 || performance.now() - t0 < ms) { step(); n++; } return (cpuSec() - c0) / n; },
    async run(steps) { const c0 = cpuSec(); for (let i = 0; i < steps; i++) step(); return cpuSec() - c0; },
  };
}

const sec: Record<string, Record<string, number>> = {};
const results: Record<string, unknown> = {};
const only = values.shapes ? String(values.shapes).split(',') : null;
for (const s of shapes.filter((x) => !only || only.some((o) => x.name.startsWith(o + ' ')))) {
  const cs = builds.map((f, i) => kernelContestant(f, s, builds.length > 2 || new Set(builds.map((b) => path.basename(b))).size < builds.length ? `${i}:` : ''));
  if (!skipped(opts, 'torch')) {
    const t = await torchPeer({ workload: 'matmul', m: s.m, k: s.k, n: s.n, trans_a: s.tA, trans_b: s.tB }, { threads: 1, allowReference: opts.allowReferenceBlas });
    if ('error' in t) console.log(`torch 1thr: skipped — ${t.error}`);
    else cs.push(t);
  }
  const ts = await interleaved(cs, opts);
  results[s.name] = printTable(`${s.name}: GFLOP/s (median of ${opts.rounds} interleaved chunks)`, ts,
    { kind: 'rate', unit: 'GFLOP/s', scale: 2 * s.m * s.k * s.n / 1e9 }, cs[0]!.name);
  for (const t of ts) (sec[t.name] ??= {})[s.name] = t.medianSec;
}

// PyTorch's whole MLP step and batch-1024 forward, for the ceiling: neurite's matmul time alone against them.
const peerTotals: Record<string, number> = {};
if (!skipped(opts, 'torch')) {
  const x128 = fill(new Float32Array(128 * 784), 3), y128 = Float32Array.from({ length: 128 }, (_, i) => i % 10), x1024 = fill(new Float32Array(1024 * 784), 4);
  const files = writeArrays({ x: [x128], y: [y128], xi: [x1024] });
  try {
    for (const [use, spec] of [
      ['train', { workload: 'mlp-train', sizes: [784, 256, 128, 10], batch: 128, n_batches: 1, x_path: files.paths.x, y_path: files.paths.y, lr: 1e-3 }],
      ['infer', { workload: 'mlp-infer', sizes: [784, 256, 128, 10], batch: 1024, n_batches: 1, x_path: files.paths.xi }],
    ] as const) {
      const t = await torchPeer(spec, { threads: 1, allowReference: opts.allowReferenceBlas });
      if ('error' in t) { console.log(`torch ${use}: skipped — ${t.error}`); continue; }
      const [r] = await interleaved([t], opts);
      peerTotals[use] = r!.medianSec;
    }
  } finally {
    files.cleanup();
  }
}
const ceiling: Record<string, Record<string, unknown>> = { train: {}, infer: {} };
console.log(`\nceiling (matmuls only; PyTorch ${peerTotals.train ? 'step/forward timed whole' : 'not run'})  [${machineLine()}]`);
for (const use of ['train', 'infer'] as const) {
  for (const [name, byShape] of Object.entries(sec)) {
    if (only) continue;
    const ms = shapes.filter((s) => s.use === use).reduce((t, s) => t + s.count * byShape[s.name]!, 0) * 1e3;
    const whole = peerTotals[use] ? peerTotals[use]! * 1e3 : NaN;
    const line = { matmulMs: +ms.toFixed(3), peerWholeMs: +whole.toFixed(3), bestRatio: +(whole / ms).toFixed(3) };
    ceiling[use]![name] = line;
    console.log(`${use.padEnd(6)} ${name.padEnd(24)} matmuls ${ms.toFixed(3)} ms   torch whole ${use === 'train' ? 'step' : 'forward'} ${whole.toFixed(3)} ms   best ratio ${(whole / ms).toFixed(2)}×`);
  }
}
emitJson(opts, { bench: 'matmul-mlp', unit: 'GFLOP/s', rounds: opts.rounds, machineAtEnd: machineLine(), results, ceiling });
