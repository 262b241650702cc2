// Benchmark: float32 elementwise kernels, JS reference vs WASM SIMD (copies in and out included), one process.
//
// Run: node --import tsx bench/elementwise.ts [--sizes 256,1024,4096,65536,1048576] [--reps 7] [--act-sizes 4096,65536]
// Prints ns per element (lower is better): the kernels, then activations forward + backward through
// autograd (tensors, both backends; the `composed` rows are the pre-kernel compositions, for
// comparison). Ends with ONE JSON line. Needs `npm run build` for wasm.
import { parseArgs } from 'node:util';
import os from 'node:os';
import type { Backend, BinaryOp, BroadcastPlan, ParamGradOp, ParamUnaryOp, UnaryOp } from '../src/backend/backend.js';
import { abs, add, clamp, div, gt, lt, mul, randn, Rng, tanh, where, type Tensor } from '../src/index.js';
import { backward } from '../src/autograd/graph.js';
import * as F from '../src/nn/functional.js';
import { registerBackend, setBackend } from '../src/backend/registry.js';
import { jsBackend } from '../src/backend/js/index.js';
import { broadcastPlan } from '../src/backend/plan.js';
import { createWasmBackend } from '../src/backend/wasm/index.js';
import { loadWasmModule } from '../src/backend/wasm/load.js';
import type { KernelExports } from '../src/backend/wasm/kernels.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '256,1024,4096,65536,1048576' }, reps: { type: 'string', default: '7' }, 'act-sizes': { type: 'string', default: '4096,65536' } } });
const sizes = values.sizes!.split(',').map(Number);
const reps = Number(values.reps);

const loaded = await loadWasmModule();
if ('reason' in loaded) throw new Error(`bench/elementwise: ${loaded.reason}`);
// No size cut-off here, so the table shows where WASM starts to pay off.
const wasm = createWasmBackend((await WebAssembly.instantiate(loaded.module, {})).exports as unknown as KernelExports, { elementwiseMin: 0 });

/** Median ns per element of `fn` over `n` elements, after ~100 ms of warm-up. */
function nsPerElement(n: number, fn: () => void): number {
  const t0 = performance.now();
  let warm = 0;
  while (warm < 3 || performance.now() - t0 < 100) { fn(); warm++; }
  const inner = Math.max(1, Math.ceil(5 / ((performance.now() - t0) / warm)));
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const s = performance.now();
    for (let i = 0; i < inner; i++) fn();
    samples.push(((performance.now() - s) / inner) * 1e6 / n);
  }
  return samples.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
}

const rand = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 3);
type Case = { name: string; run: (be: Backend, n: number) => () => void };
const unary = (op: UnaryOp): Case => ({
  name: op,
  run: (be, n) => { const x = rand(n); return () => be.unary(op, x, new Float32Array(n)); },
});
const binary = (op: BinaryOp, label: string, rowBroadcast: boolean): Case => ({
  name: label,
  run: (be, n) => {
    const cols = 128, rows = Math.max(1, Math.floor(n / cols));
    const a = rand(rowBroadcast ? rows * cols : n), b = rand(rowBroadcast ? cols : n);
    const plan: BroadcastPlan = rowBroadcast ? broadcastPlan([rows, cols], [cols], [rows, cols]) : broadcastPlan([n], [n], [n]);
    return () => be.binary(op, a, b, new Float32Array(a.length), plan);
  },
});
const param = (op: ParamUnaryOp, grad: ParamGradOp, p: number, q: number): Case[] => [
  { name: op, run: (be, n) => { const x = rand(n); return () => be.unaryParam(op, x, new Float32Array(n), p, q); } },
  { name: grad, run: (be, n) => { const x = rand(n), g = rand(n); return () => be.gradParam(grad, g, x, new Float32Array(n), p, q); } },
];
const cases: Case[] = [unary('relu'), unary('exp'), unary('sigmoid'), unary('tanh'), unary('softsign'), ...param('hardtanh', 'hardtanhGrad', -1, 1), ...param('leakyRelu', 'leakyReluGrad', 0.01, 0),
  binary('tanhGrad', 'tanhGrad', false), binary('softsignGrad', 'softsignGrad', false), binary('add', 'add', false), binary('add', 'add row-bcast', true), binary('mul', 'mul', false), binary('reluGrad', 'reluGrad', false)];

const rows: Record<string, string | number>[] = [];
console.log('float32 elementwise, ns per element (median), lower is better; wasm includes copies in/out');
console.log(['op', 'n', 'js', 'wasm', 'js/wasm'].map((c, i) => (i === 0 ? c.padEnd(14) : c.padStart(10))).join(''));
for (const c of cases) {
  for (const n of sizes) {
    const js = nsPerElement(n, c.run(jsBackend, n)), w = nsPerElement(n, c.run(wasm, n));
    rows.push({ op: c.name, n, js: Math.round(js * 1000) / 1000, wasm: Math.round(w * 1000) / 1000 });
    console.log(c.name.padEnd(14) + [n, js.toFixed(3), w.toFixed(3), (js / w).toFixed(1) + 'x'].map((v) => String(v).padStart(10)).join(''));
  }
}
// Activations forward + backward through autograd, per backend: what a training step pays.
const acts: [string, (x: Tensor) => Tensor][] = [
  ['tanh', tanh], ['hardtanh', (x) => F.hardtanh(x)], ['hardtanh composed (before)', (x) => where(mul(gt(x, -1), lt(x, 1)), x, clamp(x.detach(), -1, 1))],
  ['leaky relu', (x) => F.leakyRelu(x, 0.01)], ['leaky relu composed (before)', (x) => where(gt(x, 0), x, mul(x, 0.01))],
  ['softsign', F.softsign], ['softsign composed (before)', (x) => div(x, add(abs(x), 1))],
];
registerBackend({ ...wasm, name: 'wasm-bench' });
const actRows: Record<string, string | number>[] = [];
console.log('\nactivation forward + backward through autograd (float32 tensors), ns per element (median), lower is better');
const actSizes = values['act-sizes']!.split(',').map(Number);
console.log(['activation', ...actSizes.flatMap((n) => [`js n=${n}`, `wasm n=${n}`])].map((c, i) => (i === 0 ? c.padEnd(30) : c.padStart(14))).join(''));
for (const [name, fn] of acts) {
  const cells: string[] = [];
  for (const n of actSizes) {
    const x = randn([n], { rng: new Rng(5), std: 1.5, requiresGrad: true }), g = randn([n], { rng: new Rng(6) });
    const step = (): void => { x.grad = null; backward(fn(x), g); };
    for (const be of ['js', 'wasm-bench']) {
      setBackend(be);
      const v = nsPerElement(n, step);
      cells.push(v.toFixed(2));
      actRows.push({ activation: name, n, backend: be === 'js' ? 'js' : 'wasm', nsPerElement: Math.round(v * 1000) / 1000 });
    }
  }
  console.log(name.padEnd(30) + cells.map((c) => c.padStart(14)).join(''));
}
setBackend('js');
console.log(JSON.stringify({ bench: 'elementwise', unit: 'ns/element', dtype: 'float32', nproc: os.availableParallelism(), node: process.version, load: os.loadavg().map((l) => Number(l.toFixed(2))), reps, rows, actRows }));
