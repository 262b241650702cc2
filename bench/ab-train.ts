// Benchmark: interleaved A/B of the training steps of bench/conv.ts, bench/lstm.ts and bench/train-mlp.ts (neurite wasm,
// one thread) between another source tree and this one, in ONE process, alternating chunks, so both see the same load.
//
// Run: node --import tsx bench/ab-train.ts --base /path/to/other/checkout [--rounds 9] [--only cnn,lstm20,lstm50,mlp,mlpinfer] [--cpu-time]
//   (e.g. `git archive <commit> | tar -x -C /tmp/base && ln -s $PWD/node_modules /tmp/base/ && (cd /tmp/base && node scripts/build-wasm.mjs)`)
// Each tree builds every step from its own modules (the same nets, data and Adam step as the benchmarks; mlpinfer = batch-1024 predictRaw); prints a table of
// median ms per step, the median of the per-round ratios (this / base) and the load average, then ONE JSON line.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { machineLine } from './harness.js';
import { fashionBatches, randomSequences } from './data.js';

const { values } = parseArgs({ options: { base: { type: 'string' }, rounds: { type: 'string', default: '9' }, only: { type: 'string', default: 'cnn,lstm20,lstm50,mlp' }, 'cpu-time': { type: 'boolean', default: false } } });
if (!values.base) throw new Error('ab-train: pass --base <checkout of the other version> (a folder holding src/ and its built dist/wasm)');
const mine = fileURLToPath(new URL('..', import.meta.url));
const cnnLayers = (JSON.parse(readFileSync(new URL('../examples/configs/cnn-fashion.json', import.meta.url), 'utf8')) as { model: { layers: unknown[] } }).model.layers;
const images = await fashionBatches(1024, 64), mlpImages = await fashionBatches(2048, 128), inferImages = await fashionBatches(4096, 1024);
const sequences = { 20: randomSequences(4, 32, 20, 32, 10), 50: randomSequences(4, 32, 50, 32, 10) };

type Step = () => void;
/** One tree's training steps by workload name, each built from that tree's own `src/index.ts`. */
async function load(root: string): Promise<Record<string, Step>> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const nt: any = await import(`${root}/src/index.ts`);
  const r = await nt.ready();
  if (r.backend !== 'wasm') throw new Error(`ab-train: ${root} runs on ${r.backend} (${r.reason})`);
  const T = nt.Tensor, nn = nt.nn;
  const adamStep = (model: unknown, xs: unknown[], ys: unknown[]): Step => {
    const opt = new nt.Optimizer(nt.adam({ lr: 1e-3 }), model);
    let k = 0;
    return () => { const i = k++ % xs.length; opt.zeroGrad(); nt.losses.crossEntropy((model as { forward(x: unknown): unknown }).forward(xs[i]), ys[i]).backward(); opt.step(); };
  };
  const lstm = (t: 20 | 50): Step => {
    const rng = new nt.Rng(1), s = sequences[t];
    return adamStep(new nn.Sequential(new nn.LSTM(32, 64, { rng }), new nn.LastStep(), new nn.Linear(64, 10, { rng })), s.x.map((x) => new T(x, [32, t, 32])), s.labels.map((y) => new T(y, [32])));
  };
  nt.manualSeed(0);
  return {
    cnn: adamStep(nn.moduleFromJSON({ type: 'Sequential', layers: cnnLayers }), images.x.map((x) => new T(x, [64, 784])), images.labels.map((y) => new T(y, [64]))),
    lstm20: lstm(20),
    lstm50: lstm(50),
    mlp: adamStep(nn.mlp({ sizes: [784, 256, 128, 10], activation: 'relu', seed: 1, dtype: 'float32' }), mlpImages.x.map((x) => new T(x, [128, 784])), mlpImages.labels.map((y) => new T(y, [128]))),
    mlpinfer: (() => {
      // Batch-1024 inference through predictRaw's no-grad fast path (not a training step; opt in with --only mlpinfer).
      const model = nt.nn.mlp({ sizes: [784, 256, 128, 10], activation: 'relu', seed: 1, dtype: 'float32' }).eval(), xs = inferImages.x.map((x) => new T(x, [1024, 784]));
      let k = 0;
      return () => { nt.predictRaw(model, xs[k++ % xs.length], 1024, false).data[0]; };
    })(),
  };
}

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
/**
 * Milliseconds per step of `step` over a chunk of about `ms` milliseconds: wall time, or with --cpu-time this
 * process's CPU time (all its threads, GC helpers included), which leaves out waiting for a core on a shared machine.
 */
function msPerStep(step: Step, ms: number): number {
  const t0 = performance.now(), c0 = cpuMs();
  let n = 0;
  while (performance.now() - t0 < ms) { step(); n++; }
  return ((values['cpu-time'] ? cpuMs() - c0 : performance.now() - t0)) / n;
}

const [a, b] = [await load(values.base), await load(mine)];
const names = values.only.split(',');
for (const w of names) { msPerStep(a[w]!, 800); msPerStep(b[w]!, 800); } // warm up both
const start = machineLine();
const times: Record<string, { base: number[]; mine: number[] }> = {};
for (let r = 0; r < Number(values.rounds); r++) {
  for (const w of names) {
    const t = (times[w] ??= { base: [], mine: [] });
    if (r % 2) { t.mine.push(msPerStep(b[w]!, 300)); t.base.push(msPerStep(a[w]!, 300)); } else { t.base.push(msPerStep(a[w]!, 300)); t.mine.push(msPerStep(b[w]!, 300)); }
  }
}
const med = (v: number[]): number => [...v].sort((x, y) => x - y)[v.length >> 1]!;
const rows: Record<string, { baseMs: number; thisMs: number; medianPairRatio: number }> = {};
console.log(`A/B, neurite wasm 1 thread, ${values['cpu-time'] ? 'CPU ' : ''}ms per training step (median of ${values.rounds} interleaved chunks)  [start: ${start}]`);
console.log('workload   base ms   this ms   this/base');
for (const w of names) {
  const t = times[w]!;
  rows[w] = { baseMs: +med(t.base).toFixed(2), thisMs: +med(t.mine).toFixed(2), medianPairRatio: +med(t.mine.map((v, i) => v / t.base[i]!)).toFixed(3) };
  console.log(`${w.padEnd(9)} ${rows[w].baseMs.toFixed(2).padStart(8)} ${rows[w].thisMs.toFixed(2).padStart(9)} ${rows[w].medianPairRatio.toFixed(3).padStart(11)}`);
}
const end = machineLine();
console.log(`[end: ${end}]`);
console.log(JSON.stringify({ bench: 'ab-train', base: values.base, rounds: Number(values.rounds), cpuTime: values['cpu-time'], machineAtStart: start, machineAtEnd: end, rows }));
