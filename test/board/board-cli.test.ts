// `neurite board` on the command line: prints the URL on stdout, stops cleanly, and refuses a bad --dir or --port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { boardCommand } from '../../src/node/cli/board.js';

test('neurite board prints its 127.0.0.1 URL on stdout, serves, and stops when told', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-board-cli-'));
  try {
    let url = '', stop!: () => void;
    const stopped = new Promise<void>((resolve) => { stop = resolve; });
    const running = boardCommand(['--dir', dir, '--port', '0'], { out: (s) => (url += s), err: () => {}, isTTY: false }, () => stopped);
    while (url === '') await new Promise((r) => setTimeout(r, 10));
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\n$/);
    assert.deepEqual((await (await fetch(`${url.trim()}api/runs`)).json() as { runs: unknown[] }).runs, []);
    stop();
    assert.equal(await running, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('neurite board refuses a missing --dir, a bad --port and a port in use, naming what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-board-cli-'));
  const blocker = createServer();
  try {
    const missing = await runCli(['board', '--dir', join(dir, 'nope')]);
    assert.deepEqual([missing.code, missing.err], [1, `neurite: board: --dir ${join(dir, 'nope')} is not a folder; pass the folder neurite train writes runs into (default runs/)\n`]);
    writeFileSync(join(dir, 'file'), '');
    assert.equal((await runCli(['board', '--dir', join(dir, 'file')])).code, 1);
    const port = await runCli(['board', '--dir', dir, '--port', 'abc']);
    assert.deepEqual([port.code, port.err], [1, 'neurite: board: --port abc: expected a port number 0..65535 (0: a free port)\n']);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const busy = await runCli(['board', '--dir', dir, '--port', String(taken)]);
    assert.deepEqual([busy.code, busy.err], [1, `neurite: board: cannot listen on 127.0.0.1:${taken} (EADDRINUSE); choose another --port, or 0 for a free one\n`]);
    assert.equal((await runCli(['board', '--prot', '0'])).err, "neurite board: unknown option '--prot'; did you mean --port? (run neurite board --help)\n");
  } finally {
    blocker.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
