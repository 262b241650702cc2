// `neurite explain`: the per-neuron trace of a saved run agrees with softmax cross-entropy and ReLU by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

interface Row { layer: number; neuron: number; preactivation: number; activation: number; delta: number; weightGrad: number[]; biasGrad: number }

test('neurite explain traces one test example: ReLU hidden units, δ = softmax − one-hot at the output', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-explain-'));
  const t = await runCli(['train', '--epochs', '2', '--hidden', '16', '--out', dir, '--backend', 'js']);
  assert.equal(t.code, 0, t.err);
  const r = await runCli(['explain', '--model', dir, '--row', '7', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { row: number; target: number[]; output: number[]; loss: number; neurons: Row[] };
  assert.equal(j.row, 7);
  const hidden = j.neurons.filter((n) => n.layer === 0), out = j.neurons.filter((n) => n.layer === 1);
  assert.equal(hidden.length, 16);
  assert.equal(out.length, 10);
  for (const n of hidden) {
    assert.equal(n.activation, Math.max(0, n.preactivation));
    assert.equal(n.weightGrad.length, 64);
    if (n.preactivation < 0) assert.equal(n.delta, 0, 'a dead ReLU passes no gradient back');
  }
  const m = Math.max(...j.output), e = j.output.map((v) => Math.exp(v - m)), s = e.reduce((a, b) => a + b, 0);
  const target = j.target[0]!;
  out.forEach((n, k) => assert.ok(Math.abs(n.delta - (e[k]! / s - (k === target ? 1 : 0))) < 1e-5, `output ${k}: δ ${n.delta}`));
  assert.ok(Math.abs(j.loss + Math.log(e[target]! / s)) < 1e-5);
  // ∂L/∂w_k = δ · a_k with a = the hidden activations
  out.forEach((n) => n.weightGrad.forEach((g, k) => assert.ok(Math.abs(g - n.delta * hidden[k]!.activation) < 1e-5)));

  const text = await runCli(['explain', '--model', dir, '--layer', '1']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /example 0 of the test split; target \d/);
  assert.equal(text.out.trim().split('\n').filter((l) => /^\s+1\s+\d+\s/.test(l)).length, 10);

  const bad = await runCli(['explain', '--model', dir, '--row', '100000']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /--row 100000 is out of range; the test split has \d+ examples/);
  const noModel = await runCli(['explain']);
  assert.match(noModel.err, /--model DIR is required/);
});
