// The PostgreSQL storage's connection failures against a real server: wrong password, missing
// database, nothing listening, bad URLs — each a clear error naming host and database, never the
// password — and a server restart in the middle of a trial, which the retries ride out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server } from 'node:net';
import { openPostgresStorage } from '../../src/node/tune/storage-postgres.js';
import { usePostgres } from '../helpers/postgres.js';
import { definition } from './storage-contract.js';

const db = usePostgres();
const { skip } = db;

const fast = { attempts: 3, retryDelayMs: 20 };

test('a wrong password is a clear error naming user, host and database, without the password', { skip }, async () => {
  const bad = db.url.replace(db.server.password, 'not-the-secret-pw');
  await assert.rejects(openPostgresStorage(bad, fast), (e: Error) => {
    assert.equal(e.message, `PostgreSQL storage at postgres://neurite@127.0.0.1:${db.server.port}/tune: open failed: password authentication failed for user "neurite" (check the user name and password in the URL, or the server's pg_hba.conf)`);
    assert.ok(!e.message.includes('not-the-secret-pw') && !String(e.stack).includes('not-the-secret-pw'));
    return true;
  });
});

test('a database that does not exist says how to create it', { skip }, async () => {
  await assert.rejects(openPostgresStorage(db.server.url('nope'), fast), {
    message: `PostgreSQL storage at postgres://neurite@127.0.0.1:${db.server.port}/nope: open failed: database "nope" does not exist (create the database first: createdb NAME, or CREATE DATABASE NAME)`,
  });
});

test('nothing listening: retried with backoff, then an error naming host and database (the password never shown)', { skip }, async () => {
  const port = await new Promise<number>((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); }); });
  const started = Date.now();
  await assert.rejects(openPostgresStorage(`postgres://tuner:hunter22@127.0.0.1:${port}/tune`, fast), (e: Error) => {
    assert.match(e.message, new RegExp(`^PostgreSQL storage at postgres://tuner@127\\.0\\.0\\.1:${port}/tune: open failed: the connection to the server failed \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\) on all 3 attempts over \\d+\\.\\d s; check that the server is up and reachable, then start the worker again \\(a trial it was running is reaped as stale and retried\\)$`));
    assert.ok(!e.message.includes('hunter22'));
    return true;
  });
  assert.ok(Date.now() - started >= 20 + 40, 'it waited between attempts');
});

test('URLs that are not PostgreSQL URLs are refused without echoing the password', async () => {
  await Promise.all([
    assert.rejects(openPostgresStorage('postgres://tuner:hunter22@[::1/tune'), { message: "PostgreSQL storage: cannot parse the URL 'postgres://***@[::1/tune'; write it as postgres://user:password@host:5432/database" }),
    assert.rejects(openPostgresStorage('mysql://tuner:hunter22@db/tune'), { message: "PostgreSQL storage: the URL 'mysql://***@db/tune' must start with postgres:// or postgresql://" }),
  ]);
});

test('a server restart during a trial: the report retries until the server is back, and the trial finishes', { skip }, async () => {
  const s = await openPostgresStorage(db.url, { attempts: 8, retryDelayMs: 100 });
  try {
    await s.openStudy(definition('restart'));
    const t = (await s.claimTrial('restart', 'host:1', () => ({ lr: 0.01 })))!;
    await s.reportIntermediate('restart', t.number, 1, 0.4);
    await db.server.down();
    const report = s.reportIntermediate('restart', t.number, 2, 0.5);
    await new Promise((r) => setTimeout(r, 300));
    await db.server.up();
    await report;
    await s.finishTrial('restart', t.number, { state: 'complete', value: 0.5 });
    const [stored] = await s.listTrials('restart');
    assert.deepEqual([stored!.state, stored!.value, stored!.intermediate.length], ['complete', 0.5, 2]);
    assert.equal((await s.claimTrial('restart', 'host:1', () => ({ lr: 0.02 })))!.number, 1);
  } finally {
    await s.close();
  }
});

test('a server that stays down: the worker stops after its retries with an error saying what to do', { skip }, async () => {
  const s = await openPostgresStorage(db.url, fast);
  try {
    await s.openStudy(definition('gone'));
    const t = (await s.claimTrial('gone', 'host:1', () => ({ lr: 0.01 })))!;
    await db.server.down();
    await assert.rejects(s.heartbeat('gone', t.number), (e: Error) => {
      assert.match(e.message, new RegExp(`^PostgreSQL storage at postgres://neurite@127\\.0\\.0\\.1:${db.server.port}/tune: heartbeat failed: the connection to the server failed \\(.+\\) on all 3 attempts over \\d+\\.\\d s; check that the server is up`));
      assert.ok(!e.message.includes(db.server.password));
      return true;
    });
  } finally {
    await s.close();
    await db.server.up();
  }
});

/** A TCP proxy to the server that, once armed, cuts the connection right after the server answers a matching message. */
async function cuttingProxy(port: number, match: (bytes: Buffer) => boolean): Promise<{ port: number; arm(): void; cuts: number; close(): Promise<void> }> {
  let armed = false;
  const state = { cuts: 0 };
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    let cutOnReply = false;
    client.on('data', (d: Buffer) => { if (armed && match(d)) { armed = false; cutOnReply = true; } upstream.write(d); });
    upstream.on('data', (d: Buffer) => {
      if (!cutOnReply) { client.write(d); return; }
      state.cuts++; // the server has done it (and answered); the client never hears the answer
      client.destroy(); upstream.destroy();
    });
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) { a.on('error', () => b.destroy()); a.on('close', () => b.destroy()); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port, arm: () => { armed = true; }, get cuts() { return state.cuts; },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('a connection cut after a commit landed: the retried claim finds its trial again, a retried finish is not an error', { skip }, async () => {
  const proxy = await cuttingProxy(db.server.port, (d) => d.includes('COMMIT\0') || d.includes('finished_at = now()'));
  const s = await openPostgresStorage(db.url.replace(`:${db.server.port}/`, `:${proxy.port}/`), { attempts: 3, retryDelayMs: 20 });
  try {
    await s.openStudy(definition('cut'));
    proxy.arm();
    const t = (await s.claimTrial('cut', 'host:1', () => ({ lr: 0.01 })))!;
    assert.equal(proxy.cuts, 1, 'the COMMIT was answered and the answer cut off');
    assert.deepEqual((await s.listTrials('cut')).map((r) => [r.number, r.state]), [[0, 'running']], 'one trial, not a second one claimed by the retry');
    assert.equal(t.number, 0);
    proxy.arm();
    await s.finishTrial('cut', 0, { state: 'complete', value: 0.5 });
    assert.equal(proxy.cuts, 2, 'the finish was applied and its answer cut off');
    assert.deepEqual((await s.listTrials('cut')).map((r) => [r.state, r.value]), [['complete', 0.5]]);
  } finally {
    await s.close();
    await proxy.close();
  }
});

test('a sampler stalling inside the claim past the idle-in-transaction limit: the server ends it, the lock is free, the error says why', { skip }, async () => {
  const slow = await openPostgresStorage(db.url, { transactionIdleTimeoutMs: 200, attempts: 2, retryDelayMs: 10 });
  try {
    await slow.openStudy(definition('stall'));
    const stall = (): { lr: number } => { for (const end = Date.now() + 500; Date.now() < end;); return { lr: 0.01 }; };
    await assert.rejects(slow.claimTrial('stall', 'host:slow', stall), {
      message: `PostgreSQL storage at postgres://neurite@127.0.0.1:${db.server.port}/tune: claimTrial failed: terminating connection due to idle-in-transaction timeout ` +
        '(the transaction sat idle past the limit set by option transactionIdleTimeoutMs, default 60 s: the sampler took too long inside the claim, or the worker stalled)',
    });
    assert.equal((await slow.claimTrial('stall', 'host:ok', () => ({ lr: 0.02 })))!.number, 0, 'the study lock was released and nothing was half-claimed');
  } finally {
    await slow.close();
  }
});
