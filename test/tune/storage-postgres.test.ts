// The PostgreSQL study storage against a real server: the shared contract suite, the versioned
// schema, definition mismatches, the server's clock for staleness, and what a reaped worker hears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { openPostgresStorage } from '../../src/node/tune/storage-postgres.js';
import { SCHEMA_VERSION } from '../../src/node/tune/pg-schema.js';
import { usePostgres } from '../helpers/postgres.js';
import { definition, describeStorageContract } from './storage-contract.js';

const db = usePostgres();
const { skip } = db;

describeStorageContract('PostgreSQL', () => openPostgresStorage(db.url), { skip });

async function sql<T extends pg.QueryResultRow>(dbUrl: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try { return (await c.query<T>(text, values)).rows; } finally { await c.end(); }
}

test('the schema is created once, by any number of workers opening at once, and records its version', { skip }, async () => {
  const fresh = await db.server.createDatabase('schema_race');
  const handles = await Promise.all(Array.from({ length: 6 }, () => openPostgresStorage(fresh)));
  await Promise.all(handles.map((h) => h.close()));
  const tables = await sql<{ table_name: string }>(fresh, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'neurite' ORDER BY 1");
  assert.deepEqual(tables.map((t) => t.table_name), ['schema_version', 'studies', 'trial_values', 'trials']);
  assert.deepEqual(await sql(fresh, 'SELECT version FROM neurite.schema_version'), [{ version: SCHEMA_VERSION }]);
  await (await openPostgresStorage(fresh)).close(); // reopening a current schema runs no DDL
});

test('a version-1 database (before trial attributes) is migrated to the current version, keeping its trials (attrs {})', { skip }, async () => {
  const old = await db.server.createDatabase('schema_v1');
  const s = await openPostgresStorage(old);
  await s.openStudy(definition('kept'));
  const t = await s.claimTrial('kept', 'host:1', () => ({ x: 1 }));
  await s.finishTrial('kept', t!.number, { state: 'complete', value: 0.5 });
  await s.close();
  await sql(old, 'ALTER TABLE neurite.trials DROP COLUMN attrs');
  await sql(old, 'UPDATE neurite.schema_version SET version = 1');
  const again = await openPostgresStorage(old);
  try {
    assert.deepEqual(await sql(old, 'SELECT version FROM neurite.schema_version'), [{ version: SCHEMA_VERSION }]);
    const [kept] = await again.listTrials('kept');
    assert.deepEqual([kept!.state, kept!.value, kept!.attrs], ['complete', 0.5, {}]);
  } finally { await again.close(); }
});

test('a database whose neurite schema is newer than this code is refused with the versions and what to do', { skip }, async () => {
  const newer = await db.server.createDatabase('schema_newer');
  await (await openPostgresStorage(newer)).close();
  await sql(newer, 'UPDATE neurite.schema_version SET version = 99');
  await assert.rejects(openPostgresStorage(newer), {
    name: 'PostgresStorageError',
    message: `PostgreSQL storage at postgres://neurite@127.0.0.1:${db.server.port}/schema_newer: the neurite tables in schema 'neurite' are at schema version 99, newer than this neurite understands (${SCHEMA_VERSION}); upgrade neurite on this machine (every worker on one database needs a neurite that knows its schema)`,
  });
});

test('schemas keep studies apart, and a bad schema name is refused', { skip }, async () => {
  const a = await openPostgresStorage(db.url, { schema: 'team_a' }), b = await openPostgresStorage(db.url, { schema: 'team_b' });
  await a.openStudy(definition('shared-name'));
  await b.openStudy(definition('shared-name', { direction: 'minimize' })); // no clash: another schema
  await Promise.all([a.close(), b.close()]);
  await assert.rejects(openPostgresStorage(db.url, { schema: 'Robert"; DROP TABLE x' }), /schema name 'Robert"; DROP TABLE x' must be lower-case letters, digits and '_'/);
});

test('a worker joining with a different definition hears the field, both values and what to do; bad values and a throwing sampler store nothing', { skip }, async () => {
  const s = await openPostgresStorage(db.url);
  try {
    await s.openStudy(definition('mismatch'));
    const other = definition('mismatch', { space: { lr: { type: 'float', low: 1e-4, high: 0.5, log: true }, optimizer: { type: 'categorical', choices: ['adam', 'sgd'] } } });
    await assert.rejects(s.openStudy(other), {
      name: 'StudyDefinitionError',
      message: `study 'mismatch' in postgres://neurite@127.0.0.1:${db.server.port}/tune was created with a different space: space.lr.high is 0.1 there, 0.5 here; ` +
        'every worker of a study must use the same definition (start this one with the same tune settings, or use another study name)',
    });
    await assert.rejects(s.openStudy(definition('mismatch', { maxTrials: 5 })), { message: /^study 'mismatch' in \S+ was created with a different maxTrials: maxTrials is 4 there, 5 here; every worker/ });
    await assert.rejects(s.openStudy(definition('mismatch', { maxTrials: 0 })), /study 'mismatch': maxTrials must be a positive integer, got 0/);
    await assert.rejects(s.openStudy(definition('bad-space', { space: { lr: NaN } })), /study 'bad-space': space.lr: NaN is not storable as JSON/);
    await assert.rejects(s.claimTrial('mismatch', 'host:1', () => ({ lr: Infinity })), /claimTrial: study 'mismatch' trial 0: parameter 'lr' is Infinity; a parameter must be a finite number, a string, a boolean or null/);
    await assert.rejects(s.claimTrial('mismatch', 'host:1', (async () => ({ lr: 0.1 })) as never), /trial 0: the sampler returned a Promise; propose runs inside the claim and must return the parameters themselves/);
    const own = new Error('sampler exploded');
    await assert.rejects(s.claimTrial('mismatch', 'host:1', () => { throw own; }), (e) => e === own);
    assert.deepEqual(await s.listTrials('mismatch'), [], 'both claims were rolled back');
  } finally {
    await s.close();
  }
});

test("staleness is measured on the server's clock: a worker clock an hour ahead reaps nothing, an old server heartbeat is reaped", { skip }, async () => {
  const s = await openPostgresStorage(db.url);
  const realNow = Date.now;
  try {
    await s.openStudy(definition('clock', { maxRetries: 0 }));
    const t = (await s.claimTrial('clock', 'host:1', () => ({ lr: 0.01 })))!;
    Date.now = () => realNow() + 3_600_000;
    assert.deepEqual(await s.reapStale('clock', 60_000), []);
    Date.now = realNow;
    await sql(db.url, "UPDATE neurite.trials SET heartbeat_at = now() - interval '90 seconds' WHERE number = $1 AND study_id = (SELECT id FROM neurite.studies WHERE name = 'clock')", [t.number]);
    assert.deepEqual(await s.reapStale('clock', 60_000), [t.number]);
    const [reaped] = await s.listTrials('clock');
    assert.match(reaped!.error!, /^worker host:1 stopped sending heartbeats: the last one was 90(\.\d)? s ago, stale after 60 s$/);
  } finally {
    Date.now = realNow;
    await s.close();
  }
});

test('a worker whose trial was reaped hears it on its next report, heartbeat or finish, with the retry it became', { skip }, async () => {
  const s = await openPostgresStorage(db.url), reaper = await openPostgresStorage(db.url);
  try {
    await s.openStudy(definition('reaped'));
    const t = (await s.claimTrial('reaped', 'host:slow', () => ({ lr: 0.01 })))!;
    await s.reportIntermediate('reaped', t.number, 1, 0.5);
    await reaper.reapStale('reaped', 0, ['host:slow']);
    const message = "trial 0 of study 'reaped' is failed, no longer running by this worker: worker host:slow died (its launcher reported it); its parameters were queued again as trial 1; stop it: nothing more of it is recorded";
    await assert.rejects(s.reportIntermediate('reaped', t.number, 2, 0.6), { name: 'TrialNotRunningError', message: `reportIntermediate: ${message}` });
    await assert.rejects(s.heartbeat('reaped', t.number), { message: `heartbeat: ${message}` });
    await assert.rejects(s.finishTrial('reaped', t.number, { state: 'complete', value: 0.6 }), { message: `finishTrial: ${message}` });
    await assert.rejects(reaper.finishTrial('reaped', 1, { state: 'complete', value: 1 }), /finishTrial: trial 1 of study 'reaped' was not claimed through this storage handle/);
    assert.deepEqual((await s.listTrials('reaped'))[0]!.intermediate, [{ step: 1, value: 0.5 }], 'nothing after the reap was recorded');
  } finally {
    await Promise.all([s.close(), reaper.close()]);
  }
});

test('once the tables exist, workers need only the documented grants (no CREATE); on an empty database they hear what is missing', { skip }, async () => {
  const granted = await db.server.createDatabase('grants'), empty = await db.server.createDatabase('grants_empty');
  await (await openPostgresStorage(granted)).close(); // the first worker, with CREATE, makes the tables
  await sql(db.url, "CREATE ROLE tuner_worker LOGIN PASSWORD 'worker-pw-1'");
  for (const grant of ['GRANT USAGE ON SCHEMA neurite TO tuner_worker', 'GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA neurite TO tuner_worker',
    'GRANT USAGE ON ALL SEQUENCES IN SCHEMA neurite TO tuner_worker']) await sql(granted, grant);
  const asWorker = (u: string): string => u.replace(`${db.server.user}:${db.server.password}`, 'tuner_worker:worker-pw-1');
  const s = await openPostgresStorage(asWorker(granted));
  try {
    await s.openStudy(definition('least-privilege'));
    const t = (await s.claimTrial('least-privilege', 'host:1', () => ({ lr: 0.01 })))!;
    await s.reportIntermediate('least-privilege', t.number, 1, 0.5);
    await s.finishTrial('least-privilege', t.number, { state: 'complete', value: 0.5 });
    assert.equal(await s.reapStale('least-privilege', 0).then((r) => r.length), 0);
  } finally {
    await s.close();
  }
  await assert.rejects(openPostgresStorage(asWorker(empty)), {
    message: `PostgreSQL storage at postgres://tuner_worker@127.0.0.1:${db.server.port}/grants_empty: open failed: permission denied for database grants_empty ` +
      '(the user needs CREATE on the database for the first worker, then SELECT/INSERT/UPDATE on the neurite tables)',
  });
});
