// Shared pieces of the side-by-side benchmarks: command-line options, neurite and TF.js contestants,
// the PyTorch peers (1 and 2 threads, plus OPENBLAS_* unset where the environment sets them).
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { registerBackend, setBackend } from '../src/backend/registry.js';
import type { Tensor } from '../src/tensor/tensor.js';
import type { Module } from '../src/nn/module.js';
import { crossEntropy } from '../src/losses/multiclass.js';
import { Optimizer } from '../src/optim/optimizer.js';
import { adam } from '../src/optim/index.js';
import { createThreadedWasmBackend, initWasmBackend, wasmUnavailableReason } from '../src/backend/wasm/index.js';
import type { Contestant, InterleaveOptions } from './harness.js';
import { torchPeer } from './peers/torch.js';

/** Options every side-by-side benchmark takes. */
export interface BenchOptions extends InterleaveOptions {
  quick: boolean;
  skip: Set<string>;
  allowReferenceBlas: boolean;
  /** Where to append the JSON line (`--json FILE`), besides stdout. */
  json?: string;
}

/**
 * Parses `--quick`, `--rounds N`, `--skip a,b` (contestant name prefixes), `--allow-reference-blas`,
 * `--json FILE` and `--profile FILE` (a CPU profile of the timed rounds), plus the benchmark's own `extra` options.
 * @example const { opts, values } = benchOptions({ batch: { type: 'string', default: '64' } });
 */
export function benchOptions(extra: Record<string, { type: 'string' | 'boolean'; default?: string | boolean }> = {}): { opts: BenchOptions; values: Record<string, string | boolean | undefined> } {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false }, rounds: { type: 'string' }, skip: { type: 'string', default: '' },
      'allow-reference-blas': { type: 'boolean', default: false }, json: { type: 'string' }, profile: { type: 'string' }, ...extra,
    },
  }) as { values: Record<string, string | boolean | undefined> };
  const quick = values.quick as boolean;
  const opts: BenchOptions = {
    quick, rounds: Number(values.rounds ?? (quick ? 3 : 7)), chunkMs: quick ? 150 : 400, warmupMs: quick ? 200 : 600,
    skip: new Set(String(values.skip).split(',').filter(Boolean)), allowReferenceBlas: values['allow-reference-blas'] as boolean,
    json: values.json as string | undefined, profile: values.profile as string | undefined,
  };
  if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new Error(`--rounds: expected a positive integer, got ${values.rounds}`);
  return { opts, values };
}

/** True when `--skip` names a prefix of `name` (e.g. `--skip torch` skips every torch peer). */
export function skipped(o: BenchOptions, name: string): boolean {
  return [...o.skip].some((s) => name.startsWith(s));
}

let threaded: Promise<string | null> | null = null;

/** Registers 'wasm' (one thread) and 'wasm×2' (two threads); resolves to why one is missing, or null. */
async function wasmBackends(): Promise<string | null> {
  threaded ??= (async () => {
    if (!(await initWasmBackend({ select: false }))) return `wasm backend unavailable: ${wasmUnavailableReason()}`;
    try {
      const { backend } = await createThreadedWasmBackend(2);
      registerBackend({ ...backend, name: 'wasm×2' });
      return null;
    } catch (e) {
      return `two-thread wasm backend unavailable: ${(e as Error).message}`;
    }
  })();
  return threaded;
}

/** A contestant from a synchronous (or async) step; `before` runs ahead of every warm-up and chunk. */
export function stepContestant(name: string, settings: string, step: () => unknown, before: () => void = () => {}): Contestant {
  return {
    name, settings,
    async warm(ms) {
      before();
      const t0 = performance.now();
      let n = 0;
      while (n < 3 || performance.now() - t0 < ms) { await step(); n++; }
      return (performance.now() - t0) / 1000 / n;
    },
    async run(steps) {
      before();
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) await step();
      return (performance.now() - t0) / 1000;
    },
  };
}

/**
 * neurite contestants: wasm on 1 and 2 threads (and `js` when asked), each with its own model from
 * `makeStep` (called with the backend selected). Missing backends are reported, not fatal.
 */
export async function neuriteContestants(o: BenchOptions, makeStep: () => () => unknown, withJs = false): Promise<Contestant[]> {
  const out: Contestant[] = [];
  const why = await wasmBackends();
  const backends = [...(withJs ? ['js'] : []), 'wasm', 'wasm×2'];
  for (const b of backends) {
    const name = b === 'js' ? 'neurite js' : b === 'wasm' ? 'neurite wasm 1thr' : 'neurite wasm 2thr';
    if (skipped(o, name)) continue;
    if (b !== 'js' && why && (b === 'wasm×2' || why.startsWith('wasm backend'))) { console.log(`${name}: skipped — ${why}`); continue; }
    setBackend(b);
    const step = makeStep();
    const settings = b === 'js' ? 'JS reference kernels' : `WASM SIMD, ${b === 'wasm' ? '1 thread' : '2 threads (matmuls ≥ 128³ split)'}`;
    out.push(stepContestant(name, settings, step, () => setBackend(b)));
  }
  return out;
}

/**
 * PyTorch peers on 1 and 2 threads for `spec`; where OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE is set, also
 * both with them unset (OpenBLAS then picks its kernel from the CPU). Refusals print and are skipped.
 */
export async function torchContestants(o: BenchOptions, spec: Record<string, unknown>): Promise<Contestant[]> {
  const out: Contestant[] = [];
  const envSet = process.env.OPENBLAS_CORETYPE !== undefined || process.env.OPENBLAS_L2_SIZE !== undefined;
  for (const unset of envSet ? [false, true] : [false]) {
    for (const threads of [1, 2]) {
      const label = unset ? ' OPENBLAS_* unset' : '';
      if (skipped(o, `torch ${threads}thr${label}`)) continue;
      const r = await torchPeer(spec, { threads, allowReference: o.allowReferenceBlas, unsetOpenblasEnv: unset, label });
      if ('error' in r) console.log(`torch ${threads}thr${label}: skipped — ${r.error}`);
      else {
        console.log(`torch ${threads}thr${label}: BLAS ${r.blas.verdict} (${r.blas.blas_file ?? 'no BLAS library found'}; torch build config says BLAS_INFO=${r.blas.build_blas_info})`);
        out.push(r);
      }
    }
  }
  return out;
}

/**
 * neurite's classifier training step as a user writes it — zeroGrad, forward, crossEntropy,
 * backward, Adam (lr 1e-3) step — cycling over the batches.
 * @example const step = adamCeStep(model, inputs, labels);
 */
export function adamCeStep(model: Module, inputs: Tensor[], labels: Tensor[]): () => void {
  const opt = new Optimizer(adam({ lr: 1e-3 }), model);
  let k = 0;
  return () => {
    const i = k++ % inputs.length;
    opt.zeroGrad();
    crossEntropy(model.forward(inputs[i]!), labels[i]!).backward();
    opt.step();
  };
}

/** Prints the JSON line of a benchmark (and appends it to `--json FILE`). */
export function emitJson(o: BenchOptions, obj: Record<string, unknown>): void {
  const line = JSON.stringify(obj);
  console.log(line);
  if (o.json) writeFileSync(o.json, line + '\n', { flag: 'a' });
}
