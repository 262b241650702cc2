// Benchmark peer runner: writes the shared minibatches to temp files and runs bench/peers/torch_mlp.py.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Batches } from './tfjs.js';
import type { RateResult } from '../timing.js';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch_mlp.py');

/** Joins equal-length Float32Arrays into one buffer. */
function concat(parts: Float32Array[]): Buffer {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return Buffer.from(out.buffer);
}

/**
 * Median PyTorch training steps/s (one thread, OMP_WAIT_POLICY=PASSIVE) on the same minibatches, via
 * /usr/bin/python3 (or $PYTHON). Returns `{ error }` where python or torch is missing, never throws.
 *
 * @example
 * const r = torchMlpRate(batches, [2, 8, 8, 1], { act: 'tanh', optimizer: 'sgd', lr: 0.05, loss: 'mse' });
 */
export function torchMlpRate(
  data: Batches, sizes: number[],
  o: { act: 'relu' | 'tanh'; optimizer: 'adam' | 'sgd'; lr: number; loss: 'ce' | 'mse'; chunks?: number; chunkMs?: number },
): (RateResult & { torch: string }) | { error: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'neurite-bench-'));
  try {
    const xPath = path.join(dir, 'x.f32'), yPath = path.join(dir, 'y.f32');
    writeFileSync(xPath, concat(data.x));
    writeFileSync(yPath, concat(data.y));
    const spec = { sizes, act: o.act, optimizer: o.optimizer, lr: o.lr, loss: o.loss, batch: data.batch, n_batches: data.x.length,
      x_path: xPath, y_path: yPath, chunks: o.chunks ?? 7, chunk_ms: o.chunkMs ?? 400 };
    const python = process.env.PYTHON ?? '/usr/bin/python3';
    const r = spawnSync(python, [script, JSON.stringify(spec)], {
      encoding: 'utf8', timeout: 300_000, env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    });
    if (r.error) return { error: `${python}: ${r.error.message}` };
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(line) as (RateResult & { torch: string }) | { error: string };
    } catch {
      return { error: `torch_mlp.py exited ${r.status}: ${(r.stderr || line).trim().split('\n').slice(-2).join(' ')}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
