// The board reads run folders robustly: torn or damaged history lines, missing files, dead processes, each run's status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRuns, parseHistoryLog, readRun } from '../../src/node/board/run-reader.js';
import { startBoard } from '../../src/node/board/server.js';

const log = (epoch: number): string => JSON.stringify({ epoch, loss: 1 / epoch, metrics: { accuracy: 0.5 }, lr: 0.01, ms: 1 });

function runFolder(root: string, name: string, files: Record<string, string>): void {
  mkdirSync(join(root, name), { recursive: true });
  for (const [f, text] of Object.entries({ 'config.json': JSON.stringify({ data: { dataset: 'iris' }, train: { epochs: 4 } }), ...files })) writeFileSync(join(root, name, f), text);
}

test('parseHistoryLog keeps whole lines, leaves a torn last line for later, and skips a damaged line with a warning', () => {
  const warnings: string[] = [];
  const h = parseHistoryLog(`${log(1)}\n{"epoch": 2, "lo\n${log(3)}\n{"epoch":4,"lo`, 'h.jsonl', warnings);
  assert.deepEqual(h.map((e) => e.epoch), [1, 3]);
  assert.deepEqual(warnings, ['h.jsonl line 2: not valid JSON; skipped']);
  assert.deepEqual(parseHistoryLog('', 'h.jsonl', []), []);
});

test('readRun: status from run.json, or from the training process while it is absent; damaged files become warnings', () => {
  const root = mkdtempSync(join(tmpdir(), 'neurite-reader-'));
  try {
    const me = JSON.stringify({ pid: process.pid, host: hostname(), started: '' });
    runFolder(root, 'live', { 'process.json': me, 'history.jsonl': `${log(1)}\n${log(2)}\n` });
    runFolder(root, 'killed', { 'process.json': JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started: '' }), 'history.jsonl': `${log(1)}\n` });
    runFolder(root, 'done', { 'run.json': '{"status":"stopped","epochs":3,"reason":"early stopping at epoch 3","exitCode":0}', 'history.json': `[${log(1)},${log(2)},${log(3)}]` });
    runFolder(root, 'diverged', { 'run.json': '{"status":"diverged","epochs":1,"reason":"loss is NaN","exitCode":3}', 'history.json': '[]' });
    runFolder(root, 'old', {});
    runFolder(root, 'broken', { 'config.json': '{"data":', 'metrics.json': 'nope' });
    mkdirSync(join(root, 'not-a-run'));
    const byName = Object.fromEntries(listRuns(root).map((r) => [r.name, r]));
    assert.deepEqual(Object.keys(byName).sort(), ['broken', 'diverged', 'done', 'killed', 'live', 'old']);
    assert.deepEqual([byName.live!.status, byName.live!.epochs, byName.live!.plannedEpochs], ['training', 2, 4]);
    assert.equal(byName.killed!.status, 'failed');
    assert.match(byName.killed!.reason!, /the training process \(pid \d+\) ended without finishing \(killed or crashed\); neurite train --resume .*killed continues it/);
    assert.deepEqual([byName.done!.status, byName.done!.reason, byName.done!.epochs], ['done', 'early stopping at epoch 3', 3]);
    assert.deepEqual([byName.diverged!.status, byName.diverged!.reason], ['diverged', 'loss is NaN']);
    assert.match(byName.old!.reason!, /no run\.json and no process\.json/);
    assert.equal(byName.broken!.config, null);
    assert.equal(byName.broken!.dataset, '?');
    assert.deepEqual(byName.broken!.warnings.map((w) => w.replace(root, 'ROOT')), ['ROOT/broken/config.json: not valid JSON (Unexpected end of JSON input)', 'ROOT/broken/metrics.json: not valid JSON (Unexpected token \'o\', "nope" is not valid JSON)']);
    assert.equal(readRun(root, 'missing').status, 'failed');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the board server answers only for listed runs and refuses paths outside the folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'neurite-reader-'));
  const board = await startBoard({ dir: join(root, 'runs'), port: 0 });
  try {
    mkdirSync(join(root, 'runs'));
    runFolder(join(root, 'runs'), 'a', { 'run.json': '{"status":"completed","epochs":1,"exitCode":0}', 'history.json': `[${log(1)}]` });
    writeFileSync(join(root, 'secret.json'), '{}');
    assert.equal(board.url.startsWith('http://127.0.0.1:'), true);
    const runs = await (await fetch(`${board.url}api/runs`)).json() as { runs: { name: string; status: string }[] };
    assert.deepEqual(runs.runs.map((r) => [r.name, r.status]), [['a', 'done']]);
    assert.equal((await fetch(`${board.url}api/runs/a`)).status, 200);
    for (const bad of ['..%2Fsecret.json', '..', '%2e%2e', 'b']) assert.equal((await fetch(`${board.url}api/runs/${bad}`)).status, 404, bad);
    assert.equal((await fetch(`${board.url}api/runs/a`, { method: 'POST' })).status, 405);
    assert.match(await (await fetch(board.url)).text(), /<title>neurite board<\/title>/);
  } finally {
    await board.close();
    rmSync(root, { recursive: true, force: true });
  }
});
