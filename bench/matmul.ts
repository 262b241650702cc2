// Benchmark: float32 square matmul GFLOP/s of neurite's backends against TensorFlow.js (cpu), one process.
//
// Run: node --import tsx bench/matmul.ts [--sizes 64,128,256,512,1024] [--reps 7] [--trans] [--threads N] [--no-tf]
// Columns: js (reference kernels), tfjsCpu (@tensorflow/tfjs cpu backend), wasm (SIMD, one thread) and
// wasmMt (SIMD on N threads, default the machine's core count; 0 = skip). Prints a table and ends
// with ONE JSON line of the figures (for scripts and docs/performance.md). Needs `npm run build` for wasm.
import { parseArgs } from 'node:util';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { jsBackend } from '../src/backend/js/index.js';
import type { Backend, MatmulParams } from '../src/backend/backend.js';
import { createThreadedWasmBackend, initWasmBackend, wasmUnavailableReason } from '../src/backend/wasm/index.js';
import { getBackend, setBackend } from '../src/backend/registry.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,128,256,512' },
    reps: { type: 'string', default: '7' },
    trans: { type: 'boolean', default: false },
    'no-tf': { type: 'boolean', default: false },
    threads: { type: 'string', default: String(os.availableParallelism()) },
  },
});
const sizes = values.sizes!.split(',').map((s) => Number(s.trim()));
if (sizes.some((s) => !Number.isInteger(s) || s <= 0)) throw new Error(`--sizes: expected positive integers, got ${values.sizes}`);
const reps = Number(values.reps);
const threads = Number(values.threads);
if (!Number.isInteger(threads) || threads < 0) throw new Error(`--threads: expected a non-negative integer, got ${values.threads}`);
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps: expected a positive integer, got ${values.reps}`);

/** Median of `reps` timings (ms) of `fn`, after warm-up runs totalling at least ~150 ms (V8 tiers up). */
function timeMedian(fn: () => void): number {
  const warmStart = performance.now();
  let warm = 0;
  while (warm < 3 || (performance.now() - warmStart < 150 && warm < 200)) { fn(); warm++; }
  // Small sizes: time batches of calls so each sample is well above the timer's resolution.
  const once = (performance.now() - warmStart) / warm;
  const inner = Math.max(1, Math.ceil(5 / Math.max(once, 1e-3)));
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    samples.push((performance.now() - t0) / inner);
  }
  samples.sort((x, y) => x - y);
  return samples[Math.floor(samples.length / 2)]!;
}

function randomF32(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; out[i] = s / 2 ** 32 - 0.5; }
  return out;
}

const gflops = (n: number, ms: number): number => (2 * n * n * n) / (ms * 1e6);

/** Times one backend's matmul kernel the way the ops layer calls it: a fresh output array per call. */
function benchBackend(backend: Backend, n: number, transA: boolean, transB: boolean): number {
  const a = randomF32(n * n, 1), b = randomF32(n * n, 2);
  const p: MatmulParams = { batch: 1, m: n, k: n, n, transA, transB, aBatchStride: 0, bBatchStride: 0 };
  return gflops(n, timeMedian(() => backend.matmul(a, b, new Float32Array(n * n), p)));
}

function benchTf(n: number, transA: boolean, transB: boolean): number {
  const a = tf.tensor2d(randomF32(n * n, 1), [n, n]), b = tf.tensor2d(randomF32(n * n, 2), [n, n]);
  const ms = timeMedian(() => { const c = tf.matMul(a, b, transA, transB); c.dataSync(); c.dispose(); });
  a.dispose(); b.dispose();
  return gflops(n, ms);
}

async function main(): Promise<void> {
  const useTf = !values['no-tf'];
  if (useTf) { await tf.setBackend('cpu'); await tf.ready(); }
  let wasm: Backend | undefined;
  if (await initWasmBackend()) { wasm = getBackend(); setBackend('js'); }
  else console.log(`wasm: not available (${wasmUnavailableReason() ?? 'unknown reason'}); run \`npm run build\``);
  let wasmMt: Backend | undefined;
  let closePool = async (): Promise<void> => {};
  if (wasm && threads > 1) {
    const started = await createThreadedWasmBackend(threads);
    wasmMt = started.backend;
    closePool = () => started.pool.close();
  }

  const cases: [string, boolean, boolean][] = values.trans
    ? [['NN', false, false], ['NT', false, true], ['TN', true, false], ['TT', true, true]]
    : [['NN', false, false]];
  const rows: Record<string, number | string>[] = [];
  for (const n of sizes) {
    for (const [label, ta, tb] of cases) {
      const row: Record<string, number | string> = { n, case: label };
      row.js = benchBackend(jsBackend, n, ta, tb);
      if (useTf) row.tfjsCpu = benchTf(n, ta, tb);
      if (wasm) row.wasm = benchBackend(wasm, n, ta, tb);
      if (wasmMt) row.wasmMt = benchBackend(wasmMt, n, ta, tb);
      rows.push(row);
      printRow(row, useTf, !!wasm, !!wasmMt);
    }
  }
  await closePool();
  const meta = { nproc: os.availableParallelism(), node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', reps, threads: wasmMt ? threads : 1 };
  console.log(JSON.stringify({ bench: 'matmul', unit: 'GFLOP/s', dtype: 'float32', ...meta, rows: rows.map(round) }));
}

let headerDone = false;
function printRow(row: Record<string, number | string>, useTf: boolean, useWasm: boolean, useMt: boolean): void {
  const cols = [
    'n', 'case', 'js', ...(useTf ? ['tfjsCpu', 'js/tf'] : []), ...(useWasm ? ['wasm', 'wasm/js', ...(useTf ? ['wasm/tf'] : [])] : []),
    ...(useMt ? [`wasm×${threads}`, 'mt/wasm'] : []),
  ];
  if (!headerDone) {
    console.log('float32 square matmul, GFLOP/s (median), higher is better');
    console.log(cols.map((c) => c.padStart(9)).join(''));
    headerDone = true;
  }
  const v = (k: string): number => row[k] as number;
  const cell: Record<string, string> = {
    n: String(row.n), case: String(row.case), js: v('js').toFixed(2),
    tfjsCpu: useTf ? v('tfjsCpu').toFixed(2) : '', 'js/tf': useTf ? (v('js') / v('tfjsCpu')).toFixed(2) + 'x' : '',
    wasm: useWasm ? v('wasm').toFixed(2) : '', 'wasm/js': useWasm ? (v('wasm') / v('js')).toFixed(1) + 'x' : '',
    'wasm/tf': useWasm && useTf ? (v('wasm') / v('tfjsCpu')).toFixed(1) + 'x' : '',
    [`wasm×${threads}`]: useMt ? v('wasmMt').toFixed(2) : '', 'mt/wasm': useMt ? (v('wasmMt') / v('wasm')).toFixed(2) + 'x' : '',
  };
  console.log(cols.map((c) => cell[c]!.padStart(9)).join(''));
}

function round(row: Record<string, number | string>): Record<string, number | string> {
  return Object.fromEntries(Object.entries(row).map(([k, x]) => [k, typeof x === 'number' && k !== 'n' ? Math.round(x * 100) / 100 : x]));
}

await main();
