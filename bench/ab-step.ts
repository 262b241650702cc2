// Benchmark: interleaved A/B of the tiny-net training step (2-8-8-1 ReLU, batch 10, SGD, MSE) of another
// source tree against this one, in one process, alternating 150 ms chunks, so both see the same machine load.
//
// Run: node --import tsx bench/ab-step.ts --base /path/to/other/checkout [--rounds 40]
//   (e.g. `git archive <commit> | tar -x -C /tmp/base && ln -s $PWD/node_modules /tmp/base/`)
// Prints one JSON line: median steps/s of each tree and the median of the per-round ratios (this / base).
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

const { values } = parseArgs({ options: { base: { type: 'string' }, rounds: { type: 'string', default: '40' } } });
if (!values.base) throw new Error('ab-step: pass --base <checkout of the other version> (a folder holding src/)');
const base = `${values.base}/src`, mine = fileURLToPath(new URL('../src', import.meta.url));
/** The step closure of one tree, built exactly as bench/tiny-net.ts builds neurite's. */
async function load(root: string): Promise<() => void> {
  // The Tensor class lives in tensor/ (core/ before the import-cycle split); older trees patch methods in ops/dispatch.
  const T = await import(existsSync(`${root}/tensor/tensor.ts`) ? `${root}/tensor/tensor.ts` : `${root}/core/tensor.ts`);
  await import(`${root}/ops/dispatch.ts`);
  const { mlp } = await import(`${root}/nn/mlp.ts`);
  const { mse } = await import(`${root}/losses/regression.ts`);
  const { Optimizer } = await import(`${root}/optim/optimizer.ts`);
  const { sgd } = await import(`${root}/optim/index.ts`);
  const { Rng } = await import(`${root}/core/rng.ts`);
  const rng = new Rng(3);
  const xs: unknown[] = [], ys: unknown[] = [];
  for (let b = 0; b < 32; b++) {
    const x = new Float32Array(20), y = new Float32Array(10);
    for (let i = 0; i < 10; i++) { x[2 * i] = rng.normal(); x[2 * i + 1] = rng.normal(); y[i] = Math.sin(x[2 * i]!) * x[2 * i + 1]!; }
    xs.push(new T.Tensor(x, [10, 2])); ys.push(new T.Tensor(y, [10, 1]));
  }
  const model = mlp({ sizes: [2, 8, 8, 1], activation: 'relu', seed: 1, dtype: 'float32' });
  const opt = new Optimizer(sgd({ lr: 0.01 }), model);
  let k = 0;
  return () => { const i = k++ % 32; opt.zeroGrad(); mse(model.forward(xs[i]), ys[i]).backward(); opt.step(); };
}
/** Steps per second of `step` over about `ms` milliseconds. */
function rate(step: () => void, ms: number): number {
  const t0 = performance.now(); let n = 0;
  while (performance.now() - t0 < ms) { for (let j = 0; j < 200; j++) step(); n += 200; }
  return n / ((performance.now() - t0) / 1000);
}
const [a, b] = [await load(base), await load(mine)];
rate(a, 1500); rate(b, 1500);   // warm up both
const ra: number[] = [], rb: number[] = [];
const rounds = Number(values.rounds);
for (let r = 0; r < rounds; r++) { if (r % 2) { rb.push(rate(b, 150)); ra.push(rate(a, 150)); } else { ra.push(rate(a, 150)); rb.push(rate(b, 150)); } }
const med = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1]!;
const ratios = ra.map((v, i) => rb[i]! / v);
console.log(JSON.stringify({ bench: 'ab-step', base: values.base, rounds, baseMedian: Math.round(med(ra)), thisMedian: Math.round(med(rb)), medianPairRatio: +med(ratios).toFixed(3) }));
