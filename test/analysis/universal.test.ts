// Tests for the constructive universal-approximation network and its sup-norm error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/ops/dispatch.js';
import { bumpNetwork, supError } from '../../src/analysis/universal.js';

const f = (x: number): number => 0.2 + 0.4 * x * x + 0.3 * x * Math.sin(15 * x) + 0.05 * Math.cos(50 * x);

test('bumpNetwork has 2N sigmoid units and its sup error shrinks roughly like 1/N', () => {
  const net = bumpNetwork(f, 10);
  assert.equal(net.numParams(), 2 * 10 * 2 + 2 * 10 + 1);
  const errs = [10, 40, 160].map((n) => supError(bumpNetwork(f, n), f, 2001));
  assert.ok(errs[0]! > errs[1]! && errs[1]! > errs[2]!);
  assert.ok(errs[2]! < 0.05);
  assert.ok(errs[0]! / errs[2]! > 8, `ratio ${errs[0]! / errs[2]!}`);
  // a constant function is reproduced almost exactly
  assert.ok(supError(bumpNetwork(() => 0.7, 5), () => 0.7, 501) < 1e-6);
});

test('bumpNetwork and supError reject bad arguments', () => {
  assert.throws(() => bumpNetwork(f, 0), /positive integer/);
  assert.throws(() => bumpNetwork(f, 3, { steepness: -1 }), /steepness/);
  assert.throws(() => bumpNetwork(() => NaN, 3), /not finite/);
  assert.throws(() => supError(bumpNetwork(f, 3), f, 1), /points/);
});
