// The files a training run keeps for neurite board: history.jsonl grows one line per epoch (a resume
// rewrites it from the checkpoint first), process.json names the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/node/cli/main.js';

const quiet = { out: () => {}, err: () => {}, isTTY: false };
const lines = (dir: string): { epoch: number; loss: number }[] => readFileSync(join(dir, 'history.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));

test('history.jsonl matches history.json line for line; a resume continues it without duplicates', async () => {
  const root = mkdtempSync(join(tmpdir(), 'neurite-live-'));
  try {
    const dir = join(root, 'run');
    assert.equal(await main(['train', '--dataset', 'iris', '--epochs', '3', '--out', dir, '--backend', 'js'], quiet), 0);
    assert.deepEqual(lines(dir), JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')));
    const proc = JSON.parse(readFileSync(join(dir, 'process.json'), 'utf8'));
    assert.deepEqual([proc.pid, proc.host], [process.pid, hostname()]);
    assert.equal(await main(['train', '--resume', dir, '--epochs', '5'], quiet), 0);
    assert.deepEqual(lines(dir).map((l) => l.epoch), [1, 2, 3, 4, 5]);
    assert.deepEqual(lines(dir), JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
