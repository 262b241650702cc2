// Before/after benchmark of int8 inference: another checkout of neurite (before) and this one (after) in ONE process,
// float32 (predict fast path) and int8 on WASM, interleaved rounds (rotating order), medians of CPU time and wall clock.
//
// Run (the before tree needs its own dist/, for its WASM build):
//   git archive <commit> | tar -x -C /tmp/before && ln -s "$PWD/node_modules" /tmp/before/node_modules && (cd /tmp/before && npm run build)
//   node --import tsx bench/quant-ab.ts --before /tmp/before [--batch 256] [--rounds 15]
// Prints one line per clock with samples/s of the four contestants and the int8 ÷ float32 ratio before and after.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';

const { values } = parseArgs({ options: { before: { type: 'string' }, batch: { type: 'string', default: '256' }, rounds: { type: 'string', default: '15' } } });
if (!values.before) throw new Error('quant-ab: --before DIR (a built checkout of the commit to compare with) is required');
const batch = Number(values.batch), rounds = Number(values.rounds);

/** float32 and int8 forwards of the Fashion-sized MLP 784-256-128-10 built by the neurite tree at `root`. */
async function side(root: string): Promise<{ f32: () => void; int8: () => void }> {
  const { nn, Tensor, quantize, initWasmBackend, noGrad } = await import(`${root}/src/index.ts`);
  const { inferFast } = await import(`${root}/src/nn/infer.ts`);
  const { setBackend } = await import(`${root}/src/backend/registry.ts`);
  await initWasmBackend({ select: false });
  const rows = (n: number): unknown => new Tensor(Float32Array.from({ length: n * 784 }, (_, i) => ((i * 7919) % 255) / 255), [n, 784]);
  const model = nn.mlp({ sizes: [784, 256, 128, 10], activation: 'relu', seed: 1 }).eval();
  const x = rows(batch), q = quantize(model, rows(256));
  return { f32: () => { setBackend('wasm'); noGrad(() => inferFast(model, x)); }, int8: () => { setBackend('wasm'); q.forward(x); } };
}

const before = await side(resolve(values.before)), after = await side(resolve(import.meta.dirname, '..'));
const runs: Record<string, () => void> = { 'before float32': before.f32, 'before int8': before.int8, 'after float32': after.f32, 'after int8': after.int8 };
const names = Object.keys(runs), cpu = new Map(names.map((k) => [k, [] as number[]])), wall = new Map(names.map((k) => [k, [] as number[]]));
for (const f of Object.values(runs)) for (let i = 0; i < 20; i++) f();
const reps = Math.max(2, Math.round(2560 / batch)), load = os.loadavg()[0]!;
for (let r = 0; r < rounds; r++) {
  for (const k of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
    const c0 = process.cpuUsage(), t0 = performance.now();
    for (let i = 0; i < reps; i++) runs[k]!();
    const c = process.cpuUsage(c0);
    cpu.get(k)!.push((c.user + c.system) / reps);
    wall.get(k)!.push(((performance.now() - t0) * 1000) / reps);
  }
}
const median = (a: number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1]!;
const report = (m: Map<string, number[]>, clock: string): string => {
  const rate = (k: string): string => `${k} ${Math.round((batch * 1e6) / median(m.get(k)!)).toLocaleString('en-US')}`;
  const ratio = (side: string): string => (median(m.get(`${side} float32`)!) / median(m.get(`${side} int8`)!)).toFixed(2);
  return `  ${clock}: ${names.map(rate).join(', ')} samples/s; int8 ÷ float32 before ${ratio('before')}×, after ${ratio('after')}×`;
};
console.log(`batch ${batch}, ${rounds} rounds, load average ${load.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} (${os.cpus().length} cores), Node ${process.version}, ${new Date().toISOString()}`);
console.log(report(cpu, 'CPU time'));
console.log(report(wall, 'wall clock'));
