// summary(model, inputShape): the library's table is exactly what `neurite summary` prints (before its head line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nn, summary } from '../../src/index.js';
import { main } from '../../src/node/cli/main.js';
import { loadModel } from '../../src/node/io/model-files.js';

test('summary of an MLP: one row per layer with its output shape and parameters, then the total', () => {
  const text = summary(nn.mlp({ sizes: [4, 8, 3] }), [4]);
  const lines = text.trimEnd().split('\n');
  assert.match(lines[0]!, /^layer +output shape +params$/);
  assert.match(lines[2]!, /^input +\[N, 4\] +0$/);
  assert.match(lines[3]!, /^Linear\(4→8\) +\[N, 8\] +40$/);
  assert.match(lines.at(-3)!, /^Linear\(8→3\) +\[N, 3\] +27$/);
  assert.equal(lines.at(-1), 'total parameters: 67 (trainable 67)');
});

test('summary of a conv net takes a [C, H, W] input shape', () => {
  const net = new nn.Sequential(new nn.Conv2d(1, 2, 3, { padding: 1 }), new nn.Flatten(), new nn.Linear(2 * 8 * 8, 3));
  const text = summary(net, [1, 8, 8]);
  assert.match(text, /input +\[N, 1, 8, 8\]/);
  assert.match(text, /Flatten.* +\[N, 128\] +0\n/);
  assert.match(text, /total parameters: 407 /);
});

test('neurite summary prints summary(model, [features]) and the head', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-summary-'));
  try {
    const out = join(dir, 'run');
    assert.equal(await main(['train', '--dataset', 'iris', '--epochs', '1', '--out', out], { out: () => {}, err: () => {}, isTTY: false }), 0);
    let printed = '';
    assert.equal(await main(['summary', '--model', out], { out: (s) => (printed += s), err: () => {}, isTTY: false }), 0);
    const bundle = await loadModel(out);
    assert.equal(printed, `${summary(bundle.module, [4])}head: ${JSON.stringify(bundle.head.toJSON())}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
