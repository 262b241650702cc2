// Benchmark: the relaxed-SIMD build (FMA matmul micro-kernel) against the plain build, interleaved in ONE process:
// square matmuls (GFLOP/s) and the Fashion-MLP, CNN and LSTM training steps (ms), neurite wasm, one thread.
//
// Run: node --experimental-wasm-relaxed-simd --import tsx bench/relaxed.ts [--rounds 9]
//   (Node 20 validates relaxed SIMD only with that flag; Chromium has it by default.)
// Prints a table of medians, the median per-round ratio (relaxed / plain) and the load average, then ONE JSON line.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import type { Backend } from '../src/backend/backend.js';
import { createWasmBackend } from '../src/backend/wasm/create.js';
import { hasRelaxedSimd } from '../src/backend/wasm/load.js';
import type { KernelExports } from '../src/backend/wasm/kernels.js';
import { withBackend } from '../src/backend/registry.js';
import { Tensor } from '../src/tensor/tensor.js';
import { manualSeed, Rng } from '../src/core/rng.js';
import { LSTM, LastStep, Linear, Sequential, mlp, moduleFromJSON, type ModuleJSON } from '../src/nn/index.js';
import { machineLine } from './harness.js';
import { adamCeStep } from './common.js';
import { fashionBatches, randomSequences } from './data.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '9' } } });
if (!hasRelaxedSimd()) throw new Error('bench/relaxed: this engine has no relaxed SIMD; run node with --experimental-wasm-relaxed-simd');
const build = (file: string): Backend => {
  const module = new WebAssembly.Module(readFileSync(new URL(`../dist/wasm/${file}`, import.meta.url)));
  return createWasmBackend(new WebAssembly.Instance(module, {}).exports as unknown as KernelExports);
};
const builds: Record<string, Backend> = { plain: build('neurite.wasm'), relaxed: build('neurite-relaxed.wasm') };

/** A workload; `make` builds its timed chunk for one build's backend (steps run under it). */
type Work = { name: string; unit: 'GFLOP/s' | 'ms'; make: (be: Backend) => () => number };
/** A chunk of about `ms` milliseconds of `step`: its rate (GFLOP/s with `flops`) or ms per step. */
const chunk = (step: () => void, ms: number, flops?: number) => (): number => {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) { step(); n++; }
  const dt = performance.now() - t0;
  return flops ? (flops * n) / dt / 1e6 : dt / n;
};
const images = await fashionBatches(1024, 64), mlpImages = await fashionBatches(2048, 128), seq = randomSequences(4, 32, 20, 32, 10);
const cnnLayers = (JSON.parse(readFileSync(new URL('../examples/configs/cnn-fashion.json', import.meta.url), 'utf8')) as { model: { layers: ModuleJSON[] } }).model.layers;
const matmulWork = (n: number): Work => ({
  name: `matmul ${n}³`, unit: 'GFLOP/s', make: (be) => {
    const a = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i)), b = Float32Array.from({ length: n * n }, (_, i) => Math.cos(i)), c = new Float32Array(n * n);
    const p = { batch: 1, m: n, k: n, n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
    return chunk(() => be.matmul(a, b, c, p), 300, 2 * n ** 3);
  },
});
const works: Work[] = [
  matmulWork(256), matmulWork(512),
  { name: 'Fashion MLP train step, bs 128', unit: 'ms', make: () => chunk(adamCeStep(mlp({ sizes: [784, 256, 128, 10], activation: 'relu', seed: 1, dtype: 'float32' }), mlpImages.inputs, mlpImages.labelTensors), 300) },
  { name: 'CNN train step, bs 64', unit: 'ms', make: () => { manualSeed(0); return chunk(adamCeStep(moduleFromJSON({ type: 'Sequential', layers: cnnLayers }), images.inputs, images.labelTensors), 300); } },
  {
    name: 'LSTM train step, T = 20', unit: 'ms', make: () => {
      const rng = new Rng(1);
      return chunk(adamCeStep(new Sequential(new LSTM(32, 64, { rng }), new LastStep(), new Linear(64, 10, { rng })), seq.x.map((x) => new Tensor(x, [32, 20, 32])), seq.labels.map((y) => new Tensor(y, [32]))), 300);
    },
  },
];
// One timed closure per (work, build), each made and run under its build's backend.
const timed = works.map((w) => Object.fromEntries(Object.entries(builds).map(([k, be]) => { const f = withBackend(be, () => w.make(be)); return [k, () => withBackend(be, f)]; })));
timed.forEach((t) => { t.plain!(); t.relaxed!(); });
const start = machineLine();
const got = works.map(() => ({ plain: [] as number[], relaxed: [] as number[] }));
for (let r = 0; r < Number(values.rounds); r++) {
  timed.forEach((t, i) => {
    const order = r % 2 ? ['relaxed', 'plain'] as const : ['plain', 'relaxed'] as const;
    for (const k of order) got[i]![k].push(t[k]!());
  });
}
const med = (v: number[]): number => [...v].sort((x, y) => x - y)[v.length >> 1]!;
console.log(`relaxed-SIMD vs plain build, neurite wasm 1 thread (medians of ${values.rounds} interleaved chunks)  [start: ${start}]`);
const rows: Record<string, { unit: string; plain: number; relaxed: number; relaxedOverPlain: number }> = {};
works.forEach((w, i) => {
  const g = got[i]!;
  rows[w.name] = { unit: w.unit, plain: +med(g.plain).toFixed(2), relaxed: +med(g.relaxed).toFixed(2), relaxedOverPlain: +med(g.relaxed.map((v, j) => v / g.plain[j]!)).toFixed(3) };
  console.log(`${w.name.padEnd(32)} ${w.unit.padEnd(8)} plain ${rows[w.name]!.plain.toFixed(2).padStart(8)}  relaxed ${rows[w.name]!.relaxed.toFixed(2).padStart(8)}  relaxed/plain ${rows[w.name]!.relaxedOverPlain.toFixed(3)}`);
});
const end = machineLine();
console.log(`[end: ${end}]`);
console.log(JSON.stringify({ bench: 'relaxed', rounds: Number(values.rounds), machineAtStart: start, machineAtEnd: end, rows }));
