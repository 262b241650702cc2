// The PostgreSQL study storage's tables, created on first use by numbered migrations: idempotent,
// serialised across workers by an advisory lock, recorded in a schema-version row; a database at a
// newer version than this code knows is refused instead of being written in an old layout.
import type { PoolClient } from 'pg';
import { PostgresStorageError, type PgTarget } from './pg-errors.js';

/** A PostgreSQL schema name as the storage accepts it (quoted as an identifier in every statement). */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Checks a schema name and returns it quoted for SQL (`"neurite"`).
 * @example quoteSchema('neurite')  // '"neurite"'
 */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new PostgresStorageError(`PostgreSQL storage: schema name '${schema}' must be lower-case letters, digits and '_' (at most 63, not starting with a digit)`);
  }
  return `"${schema}"`;
}

/** Migration N brings the tables from version N-1 to N; never edit a released one, add the next. */
const MIGRATIONS: ReadonlyArray<(s: string) => string[]> = [
  (s) => [
    `CREATE TABLE ${s}.studies (
       id bigserial PRIMARY KEY,
       name text NOT NULL UNIQUE,
       direction text NOT NULL CHECK (direction IN ('minimize', 'maximize')),
       metric text NOT NULL,
       space jsonb NOT NULL,
       sampler jsonb NOT NULL,
       pruner jsonb NOT NULL,
       max_trials integer NOT NULL CHECK (max_trials >= 1),
       max_retries integer NOT NULL CHECK (max_retries >= 0),
       created_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE TABLE ${s}.trials (
       study_id bigint NOT NULL REFERENCES ${s}.studies (id) ON DELETE CASCADE,
       number integer NOT NULL CHECK (number >= 0),
       state text NOT NULL CHECK (state IN ('waiting', 'running', 'complete', 'pruned', 'failed')),
       params jsonb NOT NULL,
       value double precision,
       retry_of integer,
       attempt integer NOT NULL DEFAULT 0,
       worker text,
       claim_token uuid UNIQUE,
       started_at timestamptz,
       finished_at timestamptz,
       heartbeat_at timestamptz,
       error text,
       run_dir text,
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (study_id, number),
       FOREIGN KEY (study_id, retry_of) REFERENCES ${s}.trials (study_id, number))`,
    `CREATE INDEX trials_state ON ${s}.trials (study_id, state, number)`,
    `CREATE TABLE ${s}.trial_values (
       study_id bigint NOT NULL,
       number integer NOT NULL,
       step integer NOT NULL CHECK (step >= 1),
       value double precision NOT NULL,
       reported_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (study_id, number, step),
       FOREIGN KEY (study_id, number) REFERENCES ${s}.trials (study_id, number) ON DELETE CASCADE)`,
  ],
  // 2: trial attributes (what the objective records beside the value, e.g. per-fold values).
  (s) => [`ALTER TABLE ${s}.trials ADD COLUMN attrs jsonb`],
];

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The version recorded in `schema`, or 0 when its version table does not exist yet. */
async function readVersion(client: PoolClient, s: string): Promise<number> {
  const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`${s}.schema_version`]);
  if (exists.rows[0]?.t == null) return 0;
  const r = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_version`);
  return r.rows[0]?.version ?? 0;
}

function tooNew(target: PgTarget, schema: string, version: number): PostgresStorageError {
  return new PostgresStorageError(
    `PostgreSQL storage at ${target.display}: the neurite tables in schema '${schema}' are at schema version ${version}, ` +
      `newer than this neurite understands (${SCHEMA_VERSION}); upgrade neurite on this machine (every worker on one database needs a neurite that knows its schema)`,
  );
}

/**
 * Creates or upgrades the storage's tables in `schema` (idempotent; any number of workers may call
 * it at once). A worker whose tables are already current runs no DDL, so it needs no CREATE right.
 * @example await ensureSchema(tx, 'neurite', describePgUrl('postgres://tuner@db/tune'));  // tx: a checked-out PoolClient
 */
export async function ensureSchema(client: PoolClient, schema: string, target: PgTarget): Promise<void> {
  const s = quoteSchema(schema);
  const seen = await readVersion(client, s);
  if (seen > SCHEMA_VERSION) throw tooNew(target, schema, seen);
  if (seen === SCHEMA_VERSION) return;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`neurite-schema:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_version (
       only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
       version integer NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now())`);
    const current = await readVersion(client, s); // again, under the lock: another worker may have migrated
    if (current > SCHEMA_VERSION) throw tooNew(target, schema, current);
    for (let v = current + 1; v <= SCHEMA_VERSION; v++) {
      for (const sql of MIGRATIONS[v - 1]!(s)) await client.query(sql);
    }
    await client.query(
      `INSERT INTO ${s}.schema_version (version) VALUES ($1)
       ON CONFLICT (only_row) DO UPDATE SET version = EXCLUDED.version, updated_at = now()`,
      [SCHEMA_VERSION],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
