// Test plumbing for ONNX export: run exported bytes in onnxruntime-node, compare with neurite's forward, run onnx.checker.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { Tensor, randn } from '../../src/index.js';
import { noGrad } from '../../src/autograd/graph.js';
import type { Module } from '../../src/nn/module.js';
import { Rng } from '../../src/core/rng.js';

/** Runs `bytes` in ONNX Runtime (CPU, one thread, plus any `options`) on x; returns the output's data and dims. */
export async function runOrt(bytes: Uint8Array, x: Tensor, name = 'input', options: ort.InferenceSession.SessionOptions = {}): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, ...options });
  try {
    const feeds = { [name]: new ort.Tensor('float32', Float32Array.from(x.data), [...x.shape]) };
    const result = await session.run(feeds);
    const out = result[session.outputNames[0]!]!;
    return { data: out.data as Float32Array, dims: out.dims };
  } finally {
    await session.release();
  }
}

/** The largest |a − b| over two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'output sizes differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * Checks that ORT's output on random inputs of batch 1 and 3 equals `expected(x)` (default: the
 * model's eval forward) within `tol`; returns the largest difference seen.
 */
export async function checkAgainstOrt(bytes: Uint8Array, model: Module, inputShape: readonly number[], opts: { tol?: number; seed?: number; expected?: (x: Tensor) => Tensor } = {}): Promise<number> {
  const rng = new Rng(opts.seed ?? 7);
  let worst = 0;
  for (const batch of [1, 3]) {
    const x = randn([batch, ...inputShape], { rng });
    const want = noGrad(() => (opts.expected ? opts.expected(x) : model.eval().forward(x)));
    const got = await runOrt(bytes, x);
    assert.deepEqual([...got.dims], [...want.shape], `output shape for batch ${batch}`);
    const d = maxAbsDiff(got.data, want.data);
    assert.ok(d <= (opts.tol ?? 1e-5), `batch ${batch}: max abs diff ${d} > ${opts.tol ?? 1e-5}`);
    worst = Math.max(worst, d);
  }
  return worst;
}

const python = process.env.PYTHON ?? '/usr/bin/python3';
/** Why onnx.checker cannot run here (pass as a test's `skip`), or undefined when python3-onnx is installed. */
export const onnxCheckerMissing: string | undefined = spawnSync(python, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0
  ? undefined : `${python} cannot import onnx: apt-get install -y python3-onnx`;

/** Runs onnx.checker (full_check) on each file; returns "name: first line of the error" for each one it rejects. */
export function onnxCheckerFailures(files: readonly { name: string; bytes: Uint8Array }[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-onnx-'));
  try {
    const paths = files.map((e, i) => { const f = join(dir, `${i}.onnx`); writeFileSync(f, e.bytes); return f; });
    const script = 'import sys, onnx\nfor f in sys.argv[1:]:\n    try:\n        onnx.checker.check_model(onnx.load(f), full_check=True)\n    except Exception as e:\n        print(f, str(e).splitlines()[0])\n';
    const r = spawnSync(python, ['-c', script, ...paths], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split('\n').filter(Boolean).map((line) => `${files[Number(/(\d+)\.onnx/.exec(line)![1])]!.name}: ${line.slice(line.indexOf(' ') + 1)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
