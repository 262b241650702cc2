// Benchmark: interleaved A/B of neurite's two-thread wasm backend between another source tree and this one, in ONE
// process: the Fashion MLP 784-256-128-10 Adam step at batch 128 and its batch-1024 inference (the fast path), each on
// one thread (this tree) and two threads (both trees), alternating chunks so all see the same load.
//
// Run: node --import tsx bench/ab-threads.ts --base /path/to/other/checkout [--rounds 9]
//   (a base checkout as in bench/ab-train.ts: `git archive <commit> | tar -x -C /tmp/base`, node_modules linked, its wasm built)
// Prints median ms per step/batch, the 2-thread/1-thread speed-ups and the load average, then ONE JSON line.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { machineLine } from './harness.js';
import { fashionBatches } from './data.js';

const { values } = parseArgs({ options: { base: { type: 'string' }, rounds: { type: 'string', default: '9' } } });
if (!values.base) throw new Error('ab-threads: pass --base <checkout of the other version> (a folder holding src/ and its built dist/wasm)');
const mine = fileURLToPath(new URL('..', import.meta.url));
const train = await fashionBatches(2048, 128), infer = await fashionBatches(2048, 1024);

type Step = () => void;
/** One tree's MLP train step and batch inference on `threads` threads (1 = its plain wasm backend). */
async function load(root: string, threads: 1 | 2): Promise<Record<string, Step>> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const nt: any = await import(`${root}/src/index.ts`);
  const { inferFast } = await import(`${root}/src/nn/infer.ts`);
  if ((await nt.ready()).backend !== 'wasm') throw new Error(`ab-threads: ${root} has no wasm backend`);
  let name = 'wasm';
  if (threads === 2) {
    const { createThreadedWasmBackend } = await import(`${root}/src/backend/wasm/index.ts`);
    name = 'wasm×2ab';
    nt.registerBackend({ ...(await createThreadedWasmBackend(2)).backend, name });
  }
  const T = nt.Tensor;
  const model = nt.nn.mlp({ sizes: [784, 256, 128, 10], activation: 'relu', seed: 1, dtype: 'float32' });
  const opt = new nt.Optimizer(nt.adam({ lr: 1e-3 }), model);
  const xs = train.x.map((x) => new T(x, [128, 784])), ys = train.labels.map((y) => new T(y, [128]));
  const bx = infer.x.map((x) => new T(x, [1024, 784]));
  let k = 0, j = 0;
  return {
    train: () => { nt.setBackend(name); const i = k++ % xs.length; opt.zeroGrad(); nt.losses.crossEntropy(model.forward(xs[i]), ys[i]).backward(); opt.step(); },
    infer: () => { nt.setBackend(name); const x = bx[j++ % bx.length]; nt.noGrad(() => (inferFast(model, x) ?? model.forward(x)).data[0]); },
  };
}

/** Milliseconds per call of `step` over a chunk of about `ms` milliseconds. */
function msPerStep(step: Step, ms: number): number {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) { step(); n++; }
  return (performance.now() - t0) / n;
}

const trees: Record<string, Record<string, Step>> = { 'this 1thr': await load(mine, 1), 'base 2thr': await load(values.base, 2), 'this 2thr': await load(mine, 2) };
const names = Object.keys(trees);
for (const t of names) for (const w of ['train', 'infer']) msPerStep(trees[t]![w]!, 600);
const start = machineLine();
const times: Record<string, number[]> = {};
for (let r = 0; r < Number(values.rounds); r++) {
  for (const w of ['train', 'infer']) {
    for (const t of r % 2 ? [...names].reverse() : names) (times[`${w} ${t}`] ??= []).push(msPerStep(trees[t]![w]!, 300));
  }
}
const med = (v: number[]): number => [...v].sort((x, y) => x - y)[v.length >> 1]!;
const rows: Record<string, { ms: number; speedupOver1thr: number }> = {};
console.log(`A/B threads, ms per MLP train step (bs 128) / batch-1024 inference (median of ${values.rounds} interleaved chunks)  [start: ${start}]`);
for (const key of Object.keys(times)) {
  const one = times[`${key.split(' ')[0]} this 1thr`]!, v = times[key]!;
  rows[key] = { ms: +med(v).toFixed(3), speedupOver1thr: +med(v.map((x, i) => one[i]! / x)).toFixed(3) };
  console.log(`${key.padEnd(16)} ${rows[key].ms.toFixed(3).padStart(8)} ms  ×${rows[key].speedupOver1thr.toFixed(2)} of 1 thread`);
}
const end = machineLine();
console.log(`[end: ${end}]`);
console.log(JSON.stringify({ bench: 'ab-threads', base: values.base, rounds: Number(values.rounds), machineAtStart: start, machineAtEnd: end, rows }));
process.exit(0);
