// The PyTorch benchmark peer refuses a reference-BLAS torch (or, when allowed, flags it loudly).
// Needs /usr/bin/python3 with torch (scripts/bench-setup.sh); skips, saying why, without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { torchPeer } from '../../bench/peers/torch.js';

const python = process.env.PYTHON ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
const skip = probe.status === 0 ? undefined : `no PyTorch at ${python}: ${(probe.error?.message ?? probe.stderr).trim().split('\n').pop()}`;
// A threadpoolctl that reports no BLAS library: what torch on netlib's libblas.so.3 looks like.
const fakeBlas = fileURLToPath(new URL('../fixtures/reference-blas', import.meta.url));
const spec = { workload: 'mlp-train', sizes: [2, 2], batch: 1, n_batches: 1, x_path: '/dev/null', y_path: '/dev/null' };

test('the torch peer refuses to run on reference BLAS, naming the fix', { skip }, async () => {
  const old = process.env.PYTHONPATH;
  process.env.PYTHONPATH = fakeBlas;
  try {
    const r = await torchPeer(spec, { threads: 1 });
    assert.ok('error' in r, 'refused');
    assert.match(r.error, /^REFUSED: PyTorch runs on REFERENCE \(no optimised BLAS loaded: netlib libblas\.so\.3\); install libopenblas0-pthread \(scripts\/bench-setup\.sh\) or pass --allow-reference-blas$/);
  } finally {
    if (old === undefined) delete process.env.PYTHONPATH; else process.env.PYTHONPATH = old;
  }
});
