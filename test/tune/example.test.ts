// examples/tune.ts (the library tune() with fit, TPE and ASHA) runs as written and prunes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

test('examples/tune.ts runs: every trial accounted for, ASHA spends fewer steps than full trials', () => {
  const root = join(import.meta.dirname, '../..');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/tune.ts'], { cwd: root, encoding: 'utf8', env: { ...process.env, TRIALS: '6' }, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { best: { lr: number; width: number }; validationAccuracy: number; counts: Record<string, number>; steps: number; stepsWithoutPruning: number };
  assert.equal(out.counts.complete! + out.counts.pruned!, 6);
  assert.ok(out.steps < out.stepsWithoutPruning, JSON.stringify(out));
  assert.ok(out.best.lr >= 1e-4 && out.best.lr <= 0.3 && Number.isInteger(out.best.width));
});
