// Benchmark: the matmul ceiling of the Fashion MLP — neurite's micro-kernel (plain and relaxed builds, one thread,
// kernel only: operands already in WASM memory) against torch.mm (PyTorch 1 thread), at the MLP's exact shapes.
//
// Run: node --experimental-wasm-relaxed-simd --import tsx bench/matmul-mlp.ts [--quick] [--rounds 7]
//      [--builds dist/wasm/neurite.wasm,dist/wasm/neurite-relaxed.wasm,/tmp/other.wasm] [--shapes fwd1,dW1] [--skip torch]
//      [--cpu-time] [--json FILE]
// (Without the flag only the plain build runs.) Each shape is one interleaved table (GFLOP/s). Then two more
// interleaved tables, "train" (the 8 products of one bs-128 step) and "infer" (the 3 of a batch-1024 forward): each
// build running all of them, torch.mm running all of them, and PyTorch's WHOLE step / forward — so
// (torch whole) / (neurite matmuls) is the best ratio neurite could reach if everything but its matmuls took no time.
// --cpu-time times neurite's kernels by this process's CPU time (process.cpuUsage), not wall time: on a machine
// shared with other jobs that leaves out the time the kernel waited for a core (for A/B between builds only).
// Prints ONE JSON line at the end.
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
const builds = values.builds ? String(values.builds).split(',') : ['neurite.wasm', ...(hasRelaxedSimd() ? ['neurite-relaxed.wasm'] : [])].map((f) => new URL(f, dist).pathname);
const names = builds.map((b, i) => (new Set(builds.map((x) => path.basename(x))).size < builds.length ? `${i}:` : '') + path.basename(b, '.wasm'));

/** One product: C[m, n] = op(A) @ op(B) with neurite's storage of the operands. */
interface Shape { name: string; m: number; k: number; n: number; tA: boolean; tB: boolean; use: 'train' | 'infer' }
const S = (name: string, m: number, k: number, n: number, tA: boolean, tB: boolean, use: Shape['use']): Shape => ({ name, m, k, n, tA, tB, use });
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
const flops = (ss: Shape[]): number => ss.reduce((t, s) => t + 2 * s.m * s.k * s.n, 0);
const fill = (f: Float32Array, seed: number): Float32Array => { for (let i = 0; i < f.length; i++) f[i] = Math.sin(i * 0.37 + seed); return f; };

/** A kernel-only contestant: `file`'s matmulRange over `ss` in turn, operands placed once in its memory. */
function kernelContestant(file: string, name: string, ss: Shape[]): Contestant {
  const k = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {}).exports as unknown as KernelExports;
  let at = k.heapBase();
  const take = (floats: number): number => { const p = at; at += Math.ceil((floats * 4) / 64) * 64; return p; };
  const pA = take(k.packABytes() / 4), pB = take(k.packBBytes() / 4);
  const placed = ss.map((s) => ({ s, a: take(s.m * s.k), b: take(s.k * s.n), c: take(s.m * s.n) }));
  if (at > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((at - k.memory.buffer.byteLength) / 65536));
  placed.forEach(({ s, a, b }, i) => { fill(new Float32Array(k.memory.buffer, a, s.m * s.k), 2 * i); fill(new Float32Array(k.memory.buffer, b, s.k * s.n), 2 * i + 1); });
  const step = (): void => { for (const { s, a, b, c } of placed) k.matmulRange(a, b, c, 1, s.m, s.k, s.n, s.tA ? 1 : 0, s.tB ? 1 : 0, 0, 0, pA, pB, 0, s.m); };
  const settings = `${file}, matmulRange, 1 thread${cpuTime ? ', CPU time' : ''}`;
  if (!cpuTime) return stepContestant(name, settings, step);
  const cpuSec = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  return {
    name, settings,
    async warm(ms) { const t0 = performance.now(), c0 = cpuSec(); let n = 0; while (n < 3 || performance.now() - t0 < ms) { step(); n++; } return (cpuSec() - c0) / n; },
    async run(steps) { const c0 = cpuSec(); for (let i = 0; i < steps; i++) step(); return cpuSec() - c0; },
  };
}

/** torch.mm over `ss` in turn (PyTorch 1 thread), or null where the peer is unavailable (printed). */
async function torchMatmuls(ss: Shape[]): Promise<Contestant | null> {
  if (skipped(opts, 'torch')) return null;
  const t = await torchPeer({ workload: 'matmul', shapes: ss.map((s) => [s.m, s.k, s.n, s.tA, s.tB]) }, { threads: 1, allowReference: opts.allowReferenceBlas });
  if ('error' in t) { console.log(`torch 1thr: skipped — ${t.error}`); return null; }
  return { ...t, name: 'torch.mm 1thr' };
}

const results: Record<string, unknown> = {};
const only = values.shapes ? String(values.shapes).split(',') : null;
for (const s of shapes.filter((x) => !only || only.some((o) => x.name.startsWith(o + ' ')))) {
  const cs = builds.map((f, i) => kernelContestant(f, names[i]!, [s]));
  const t = await torchMatmuls([s]);
  if (t) cs.push(t);
  results[s.name] = printTable(`${s.name}: GFLOP/s (median of ${opts.rounds} interleaved chunks)`, await interleaved(cs, opts),
    { kind: 'rate', unit: 'GFLOP/s', scale: flops([s]) / 1e9 }, names[0]!);
}

// The ceiling: every product of a training step (or a batch-1024 forward) beside PyTorch's whole step (forward).
if (!only) {
  const x128 = fill(new Float32Array(128 * 784), 3), y128 = Float32Array.from({ length: 128 }, (_, i) => i % 10), x1024 = fill(new Float32Array(1024 * 784), 4);
  const files = writeArrays({ x: [x128], y: [y128], xi: [x1024] });
  try {
    for (const [use, spec, what] of [
      ['train', { workload: 'mlp-train', sizes: [784, 256, 128, 10], batch: 128, n_batches: 1, x_path: files.paths.x, y_path: files.paths.y, lr: 1e-3 }, 'whole Adam step, bs 128'],
      ['infer', { workload: 'mlp-infer', sizes: [784, 256, 128, 10], batch: 1024, n_batches: 1, x_path: files.paths.xi }, 'whole forward, batch 1024'],
    ] as const) {
      const ss = shapes.filter((s) => s.use === use);
      const cs = builds.map((f, i) => kernelContestant(f, `${names[i]} matmuls`, ss));
      const t = await torchMatmuls(ss);
      if (t) cs.push(t);
      if (!skipped(opts, 'torch')) {
        const w = await torchPeer(spec, { threads: 1, allowReference: opts.allowReferenceBlas });
        if ('error' in w) console.log(`torch ${what}: skipped — ${w.error}`);
        else cs.push({ ...w, name: `torch ${use} 1thr` });
      }
      const ts = await interleaved(cs, opts);
      const rows = printTable(`ceiling, ${use}: the ${ss.length} products of one ${use === 'train' ? 'training step' : 'forward'} (${(flops(ss) / 1e6).toFixed(1)} MFLOP) and PyTorch's ${what}, ms (median of ${opts.rounds} interleaved chunks)`,
        ts, { kind: 'time', unit: 'ms' }, ts[0]!.name);
      const whole = ts.find((x) => x.name === `torch ${use} 1thr`);
      const best: Record<string, number> = {};
      for (const x of ts) {
        if (!whole || x === whole) continue;
        best[x.name] = Number((whole.medianSec / x.medianSec).toFixed(3));
        console.log(`  best ${use} ratio with ${x.name.padEnd(28)} (PyTorch's ${what} ÷ these matmuls alone): ${best[x.name]!.toFixed(2)}×`);
      }
      results[`ceiling ${use}`] = { rows, bestRatio: best };
    }
  } finally {
    files.cleanup();
  }
}
emitJson(opts, { bench: 'matmul-mlp', unit: 'GFLOP/s', rounds: opts.rounds, cpuTime, machineAtEnd: machineLine(), results });
