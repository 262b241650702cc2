// Benchmark peer runner: starts bench/peers/torch_peer.py as a server (one PyTorch workload, fixed
// threads and BLAS settings) and drives it as a harness Contestant, so its chunks interleave with ours.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Contestant } from '../harness.js';

const dir = path.dirname(fileURLToPath(import.meta.url));

/** What torch_blas.py reports about the BLAS the peer runs on. */
export interface BlasReport {
  torch: string;
  build_blas_info: string;
  verdict: string;
  openblas_version: string | null;
  openblas_kernel: string | null;
  openblas_threads: number | null;
  blas_file: string | null;
  torch_threads: number;
  env: Record<string, string>;
}

/** Options of {@link torchPeer}. */
export interface TorchPeerOptions {
  threads: number;
  /** Run on reference BLAS anyway (flagged `!!` in the table) instead of refusing. */
  allowReference?: boolean;
  /** Drop OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE from the peer's environment (OpenBLAS then detects the CPU). */
  unsetOpenblasEnv?: boolean;
  /** Name suffix (e.g. ' env-unset'). */
  label?: string;
}

/** Float32 arrays written once to a temp folder for the peer to read; `cleanup` removes them. */
export function writeArrays(arrays: Record<string, Float32Array[]>): { paths: Record<string, string>; cleanup: () => void } {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'neurite-bench-'));
  const paths: Record<string, string> = {};
  for (const [k, parts] of Object.entries(arrays)) {
    const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) { all.set(p, o); o += p.length; }
    paths[k] = path.join(tmp, `${k}.f32`);
    writeFileSync(paths[k]!, Buffer.from(all.buffer, all.byteOffset, all.byteLength));
  }
  return { paths, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** The environment the peer runs under: thread counts, OMP_WAIT_POLICY=PASSIVE above one thread. */
export function peerEnv(o: TorchPeerOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(o.threads), OPENBLAS_NUM_THREADS: String(o.threads), MKL_NUM_THREADS: String(o.threads) };
  // NOTE: two OpenMP threads spinning on two shared cores run 3–4x slower; PASSIVE makes them sleep.
  if (o.threads > 1) env.OMP_WAIT_POLICY = 'PASSIVE';
  if (o.unsetOpenblasEnv) { delete env.OPENBLAS_CORETYPE; delete env.OPENBLAS_L2_SIZE; }
  return env;
}

/** One line of settings for the table: version, BLAS (library, kernel, threads) and the env that matters. */
export function describeBlas(b: BlasReport): string {
  const lib = b.openblas_version ? `OpenBLAS ${b.openblas_version} ${b.openblas_kernel} kernel, ${b.openblas_threads} thr` : b.verdict;
  const env = Object.entries(b.env).map(([k, v]) => `${k}=${v}`).join(' ');
  return `PyTorch ${b.torch}, ${lib}, torch threads ${b.torch_threads}; ${env}`;
}

/**
 * Starts the PyTorch peer for `spec` (workload + data paths, see torch_workloads.py). Resolves to a
 * Contestant, or `{ error }` where python/torch is missing or the peer refuses reference BLAS.
 * @example const t = await torchPeer({ workload: 'mlp-train', ... }, { threads: 1 });
 */
export async function torchPeer(spec: Record<string, unknown>, o: TorchPeerOptions): Promise<(Contestant & { blas: BlasReport }) | { error: string }> {
  const python = process.env.PYTHON ?? '/usr/bin/python3';
  const full = { ...spec, threads: o.threads, allow_reference: o.allowReference ?? false };
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn(python, [path.join(dir, 'torch_peer.py'), JSON.stringify(full)], { env: peerEnv(o), cwd: dir });
  } catch (e) {
    return { error: `${python}: ${(e as Error).message}` };
  }
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await lines.next();
    if (r.done) throw new Error(`torch peer exited: ${stderr.trim().split('\n').slice(-3).join(' ') || 'no output'}`);
    return JSON.parse(r.value) as Record<string, unknown>;
  };
  const spawnError = new Promise<{ error: string }>((res) => child.once('error', (e) => res({ error: `${python}: ${e.message}` })));
  let hello: Record<string, unknown>;
  try {
    hello = await Promise.race([next(), spawnError]);
  } catch (e) {
    return { error: (e as Error).message };
  }
  if ('error' in hello) { child.kill(); return { error: String(hello.error) }; }
  const blas = hello.blas as BlasReport;
  const ask = async (cmd: object): Promise<Record<string, number>> => {
    child.stdin.write(JSON.stringify(cmd) + '\n');
    return (await next()) as Record<string, number>;
  };
  const fair = !blas.verdict.startsWith('REFERENCE') && !blas.verdict.startsWith('UNKNOWN');
  return {
    name: `torch ${o.threads}thr${o.label ?? ''}`, settings: describeBlas(blas), blas,
    flag: fair ? undefined : `PyTorch runs on ${blas.verdict}: NOT a fair peer (about 10x slower than with OpenBLAS)`,
    warm: async (ms) => (await ask({ op: 'warm', ms })).per!,
    run: async (steps) => (await ask({ op: 'run', steps })).sec!,
    close: async () => { child.stdin.end(); await new Promise((res) => (child.exitCode !== null ? res(null) : child.once('exit', res))); },
  };
}
