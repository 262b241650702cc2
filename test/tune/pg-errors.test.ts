// The PostgreSQL storage's message helpers without a server: where a URL points (never its
// password), which errors count as a lost connection, and that other errors are not retried.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describePgUrl, isTransientPgError, scrubPassword, withRetry, PostgresStorageError } from '../../src/node/tune/pg-errors.js';

test('describePgUrl names user, host, port and database, and leaves the password out', () => {
  assert.equal(describePgUrl('postgres://tuner:s3cret@db.internal:6543/tune').display, 'postgres://tuner@db.internal:6543/tune');
  assert.equal(describePgUrl('postgresql://db/tune').display, 'postgres://db:5432/tune');
  assert.equal(describePgUrl('postgres:///tune?host=/run/postgresql&port=5433&user=ci').display, 'postgres://ci@/run/postgresql:5433/tune');
  assert.equal(describePgUrl('postgres://tuner:p%40ss@db/tune').password, 'p@ss');
  assert.equal(scrubPassword('auth failed for p@ss and p@ss', describePgUrl('postgres://tuner:p%40ss@db/tune')), 'auth failed for *** and ***');
});

test('lost connections are transient; bad SQL, auth failures and caller errors are not', () => {
  const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });
  for (const e of [withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), withCode('terminating connection due to administrator command', '57P01'),
    withCode('x', '08006'), new Error('Connection terminated unexpectedly'), withCode('deadlock detected', '40P01')]) {
    assert.ok(isTransientPgError(e), e.message);
  }
  for (const e of [withCode('password authentication failed', '28P01'), withCode('syntax error', '42601'), new Error('sampler exploded'), 'text']) {
    assert.ok(!isTransientPgError(e), String(e));
  }
});

test('withRetry retries a lost connection, then passes a non-database error through untouched', async () => {
  const target = describePgUrl('postgres://u:pw12@h/d');
  let calls = 0;
  const value = await withRetry('op', target, { attempts: 3, delayMs: 1 }, async () => {
    if (++calls < 3) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    return 'ok';
  });
  assert.deepEqual([value, calls], ['ok', 3]);
  const own = new Error('sampler exploded');
  await assert.rejects(withRetry('op', target, { attempts: 3, delayMs: 1 }, async () => { throw own; }), (e) => e === own);
  await assert.rejects(withRetry('op', target, { attempts: 2, delayMs: 1 }, async () => { throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }); }),
    (e: Error) => e instanceof PostgresStorageError && /^PostgreSQL storage at postgres:\/\/u@h:5432\/d: op failed: the connection to the server failed \(read ECONNRESET\) on all 2 attempts/.test(e.message));
});

test("neurite/node exports the PostgreSQL storage and its error classes", async () => {
  const node = await import('../../src/node/index.js');
  assert.equal(typeof node.openPostgresStorage, 'function');
  assert.ok(new node.TrialNotRunningError('x') instanceof node.PostgresStorageError);
});
