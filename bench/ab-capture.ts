// Benchmark: interleaved A/B of the captured paths of another source tree against this one, in one process:
// the tiny net's captured training step, and the Fashion MLP's predict path (one sample, batch 1024), wasm 1 thread.
//
// Run: node --import tsx bench/ab-capture.ts --base /path/to/other/checkout [--rounds 15] [--ms 150]
//   [--clock wall|cpu]  (cpu: chunks timed in process CPU time, steadier on a loaded machine)
//   (the other checkout needs node_modules and its built kernels: `git archive <commit> | tar -x -C /tmp/base &&
//    ln -s $PWD/node_modules /tmp/base/ && (cd /tmp/base && node scripts/build-wasm.mjs) &&
//    mkdir -p /tmp/base/dist/node && cp dist/node/wasm-platform.js /tmp/base/dist/node/`)
// Each round times one chunk of every workload in both trees, alternating which tree goes first; prints
// the load average, per workload the median of each tree and the median of the per-round ratios (this / base),
// then ONE JSON line.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';

const { values } = parseArgs({ options: { base: { type: 'string' }, rounds: { type: 'string', default: '15' }, ms: { type: 'string', default: '150' }, clock: { type: 'string', default: 'wall' } } });
if (!values.base) throw new Error('ab-capture: pass --base <checkout of the other version> (a folder holding src/ and dist/wasm/)');
const trees = { base: `${values.base}/src`, this: fileURLToPath(new URL('../src', import.meta.url)) };
const rounds = Number(values.rounds), ms = Number(values.ms);
if (values.clock !== 'wall' && values.clock !== 'cpu') throw new Error(`ab-capture: --clock ${values.clock}: use wall or cpu`);
/** Milliseconds now: wall time, or this process's CPU time (--clock cpu: time the process was descheduled does not count). */
const now = values.clock === 'cpu' ? (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } : (): number => performance.now();

type Workloads = Record<string, () => unknown>;

/** The workloads of one tree, built as bench/tiny-net.ts and bench/inference.ts build neurite's (wasm backend, 1 thread). */
async function load(root: string): Promise<Workloads> {
  const { Tensor } = await import(`${root}/tensor/tensor.ts`);
  await import(`${root}/ops/dispatch.ts`);
  const { initWasmBackend } = await import(`${root}/backend/wasm/init.ts`);
  if (!(await initWasmBackend())) throw new Error(`${root}: the wasm backend did not load (build its kernels first)`);
  const { mlp } = await import(`${root}/nn/mlp.ts`);
  const { mse } = await import(`${root}/losses/regression.ts`);
  const { Optimizer } = await import(`${root}/optim/optimizer.ts`);
  const { sgd } = await import(`${root}/optim/index.ts`);
  const { Rng } = await import(`${root}/core/rng.ts`);
  const { compileStep, inferCaptured } = await import(`${root}/train/compile.ts`);
  const { noGrad } = await import(`${root}/autograd/graph.ts`);
  const rng = new Rng(3);
  const xs: unknown[] = [], ys: unknown[] = [];
  for (let b = 0; b < 32; b++) {
    const x = new Float32Array(20), y = new Float32Array(10);
    for (let i = 0; i < 10; i++) { x[2 * i] = rng.normal(); x[2 * i + 1] = rng.normal(); y[i] = Math.sin(x[2 * i]!) * x[2 * i + 1]!; }
    xs.push(new Tensor(x, [10, 2])); ys.push(new Tensor(y, [10, 1]));
  }
  const tiny = mlp({ sizes: [2, 8, 8, 1], activation: 'relu', seed: 1, dtype: 'float32' });
  const opt = new Optimizer(sgd({ lr: 0.01 }), tiny);
  const step = compileStep((x: unknown, y: unknown) => { const l = mse(tiny.forward(x), y); l.backward(); return l; }, { module: tiny });
  const fashion = mlp({ sizes: [784, 256, 128, 10], activation: 'relu', seed: 1, dtype: 'float32' }).eval();
  const images = (n: number) => [0, 1, 2, 3].map((s) => new Tensor(Float32Array.from({ length: n * 784 }, (_, i) => ((i * 7919 + s * 104729) % 256) / 255), [n, 784]));
  const one = images(1), batch = images(1024);
  let k = 0, j = 0, b = 0;
  return {
    'tiny net captured step': () => { const i = k++ % 32; opt.zeroGrad(); step(xs[i], ys[i]); opt.step(); },
    'Fashion MLP one sample (predict path)': () => noGrad(() => inferCaptured(fashion, one[j++ % 4])).data[0],
    'Fashion MLP batch 1024 (predict path)': () => noGrad(() => inferCaptured(fashion, batch[b++ % 4])).data[0],
  };
}

/** Calls per second of `f` over about `ms` milliseconds. */
function rate(f: () => unknown, chunk: number): number {
  const t0 = now();
  let n = 0;
  while (now() - t0 < chunk) { f(); n++; }
  return n / ((now() - t0) / 1000);
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const load1 = (): string => loadavg().map((x) => x.toFixed(2)).join(' / ');

const loaded = { base: await load(trees.base), this: await load(trees.this) };
const names = Object.keys(loaded.this);
for (const t of ['base', 'this'] as const) for (const n of names) rate(loaded[t][n]!, 300); // warm-up: traces, packing, JIT
const atStart = load1();
const rates: Record<string, { base: number[]; this: number[] }> = Object.fromEntries(names.map((n) => [n, { base: [], this: [] }]));
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? (['base', 'this'] as const) : (['this', 'base'] as const);
  for (const n of names) for (const t of order) rates[n]![t].push(rate(loaded[t][n]!, ms));
}
const result: Record<string, unknown> = {};
console.log(`A/B, ${rounds} interleaved rounds of ${ms} ms chunks (${values.clock} clock); load average (1/5/15 min) at start ${atStart}, at end ${load1()}`);
for (const n of names) {
  const { base, this: mine } = rates[n]!;
  const ratio = median(mine.map((v, i) => v / base[i]!));
  const perCall = (v: number): string => (n.startsWith('tiny') ? `${Math.round(v)} steps/s` : n.includes('1024') ? `${Math.round(v * 1024)} samples/s` : `${(1e6 / v).toFixed(1)} µs`);
  console.log(`${n}: base ${perCall(median(base))}, this ${perCall(median(mine))}; median ratio this/base (rate) ${ratio.toFixed(2)}×`);
  result[n] = { baseRate: median(base), thisRate: median(mine), ratio };
}
console.log(JSON.stringify({ bench: 'ab-capture', base: values.base, rounds, ms, clock: values.clock, loadAtStart: atStart, loadAtEnd: load1(), result }));
