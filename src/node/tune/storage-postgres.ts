// The PostgreSQL study storage: any number of `neurite tune` workers on any machines share one study
// through one database. Claims and reaps run in one transaction holding the study row's lock
// (SELECT … FOR UPDATE); heartbeats and staleness use the server's clock; a lost connection is retried.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { PoolClient } from 'pg';
import type { ProposeParams, StudyDefinition, StudyStorage, TrialRecord, TrialResult } from '../../tune/storage/types.js';
import { assertSameDefinition, checkStudyDefinition, checkTrialParams } from '../../tune/storage/definition-check.js';
import { PostgresStorageError, TrialNotRunningError, describePgUrl, isTransientPgError, withRetry, type PgTarget, type RetryPolicy } from './pg-errors.js';
import { ensureSchema, quoteSchema } from './pg-schema.js';
import { findStudy, insertRunning, insertStudy, listTrialsIn, reapIn, takeWaiting, trialByToken, trialCounts } from './pg-queries.js';
import { checkFinish, checkReap, checkReport, checkWorker, describeNotRunning } from './pg-checks.js';

/** Options of {@link openPostgresStorage}. */
export interface PostgresStorageOptions {
  /** The PostgreSQL schema holding the tables (default `neurite`); studies in different schemas never meet. */
  schema?: string;
  /** Tries per call when the connection is lost, the first included (default 5). */
  attempts?: number;
  /** Wait before the first retry; doubled each time, at most 8 s (default 250 ms: 5 attempts span ~4 s). */
  retryDelayMs?: number;
  /** Connections this handle keeps (default 4). */
  poolSize?: number;
  /** Give up connecting after this long (default 10 s). */
  connectTimeoutMs?: number;
  /** Give up on a query after this long, e.g. a half-open socket (default 120 s). */
  queryTimeoutMs?: number;
  /**
   * The server ends a transaction left idle this long (default 60 s): a worker that vanishes in the
   * middle of a claim (power loss, network partition) holds the study's lock at most this long.
   * The sampler runs inside the claim, so it must propose within this time.
   */
  transactionIdleTimeoutMs?: number;
}

/** What this handle remembers of a trial it claimed: the token its writes name the trial by. */
type Claim = { token: string };

class PostgresStudyStorage implements StudyStorage {
  private readonly s: string;
  private readonly claims = new Map<string, Claim>();
  private closed = false;

  constructor(private readonly pool: pg.Pool, private readonly target: PgTarget, schema: string, private readonly policy: RetryPolicy) {
    this.s = quoteSchema(schema);
  }

  /** Checks a client out, runs `fn` (in a transaction when asked) and retries the whole call on a lost connection. */
  run<T>(op: string, transaction: boolean, fn: (c: PoolClient) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new PostgresStorageError(`PostgreSQL storage at ${this.target.display}: ${op} after close()`));
    return withRetry(op, this.target, this.policy, async () => {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      // A connection cut while checked out is also emitted as an 'error' event: unheard, it would crash the worker.
      const onError = (err: Error): void => { broken = err; };
      client.on('error', onError);
      try {
        if (!transaction) return await fn(client);
        await client.query('BEGIN');
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        if (isTransientPgError(err)) broken = err as Error;
        else if (transaction) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw err;
      } finally {
        client.removeListener('error', onError);
        client.release(broken); // a broken connection is dropped, never reused
      }
    });
  }

  private noStudy(name: string): PostgresStorageError {
    return new PostgresStorageError(`PostgreSQL storage at ${this.target.display}: there is no study '${name}'; open it first (openStudy), or check the study name`);
  }

  /** The study's id and definition; `lock` takes its row lock for the rest of the transaction. */
  private async study(c: PoolClient, name: string, lock: boolean): Promise<{ id: string; definition: StudyDefinition }> {
    const found = await findStudy(c, this.s, name, lock);
    if (!found) throw this.noStudy(name);
    return found;
  }

  private claimOf(op: string, study: string, trial: number): Claim {
    const claim = this.claims.get(`${study}\0${trial}`);
    if (!claim) {
      throw new TrialNotRunningError(`${op}: trial ${trial} of study '${study}' was not claimed through this storage handle; only the worker that claimed a trial reports on, heartbeats and finishes it`);
    }
    return claim;
  }

  async openStudy(definition: StudyDefinition): Promise<StudyDefinition> {
    checkStudyDefinition(definition);
    return this.run('openStudy', false, async (c) => {
      await insertStudy(c, this.s, definition);
      const stored = await this.study(c, definition.name, false);
      assertSameDefinition(stored.definition, definition, this.target.display);
      return stored.definition;
    });
  }

  async claimTrial(study: string, worker: string, propose: ProposeParams): Promise<TrialRecord | null> {
    checkWorker(worker);
    const token = randomUUID(); // the same on every attempt: a retry finds a claim whose commit did land
    const trial = await this.run('claimTrial', true, async (c) => {
      const earlier = await trialByToken(c, this.s, token);
      if (earlier) return earlier;
      const { id, definition } = await this.study(c, study, true);
      const waiting = await takeWaiting(c, this.s, id, worker, token);
      if (waiting) return waiting;
      const { active, next } = await trialCounts(c, this.s, id);
      if (active >= definition.maxTrials) return null;
      const params = propose(await listTrialsIn(c, this.s, id));
      checkTrialParams(params, `claimTrial: study '${study}' trial ${next}`);
      return insertRunning(c, this.s, id, next, params, worker, token);
    });
    if (trial) this.claims.set(`${study}\0${trial.number}`, { token });
    return trial;
  }

  async reportIntermediate(study: string, trial: number, step: number, value: number): Promise<void> {
    checkReport(trial, step, value);
    const { token } = this.claimOf('reportIntermediate', study, trial);
    await this.run('reportIntermediate', false, async (c) => {
      const r = await c.query(
        `WITH t AS (UPDATE ${this.s}.trials SET heartbeat_at = now()
                     WHERE study_id = (SELECT id FROM ${this.s}.studies WHERE name = $1) AND number = $2
                       AND state = 'running' AND claim_token = $3 RETURNING study_id, number)
         INSERT INTO ${this.s}.trial_values (study_id, number, step, value) SELECT study_id, number, $4, $5 FROM t
         ON CONFLICT (study_id, number, step) DO UPDATE SET value = EXCLUDED.value, reported_at = now() RETURNING step`,
        [study, trial, token, step, value],
      );
      if (r.rowCount === 0) throw new TrialNotRunningError(await describeNotRunning(c, this.s, 'reportIntermediate', study, trial));
    });
  }

  async heartbeat(study: string, trial: number): Promise<void> {
    const { token } = this.claimOf('heartbeat', study, trial);
    await this.run('heartbeat', false, async (c) => {
      const r = await c.query(
        `UPDATE ${this.s}.trials SET heartbeat_at = now()
          WHERE study_id = (SELECT id FROM ${this.s}.studies WHERE name = $1) AND number = $2 AND state = 'running' AND claim_token = $3`,
        [study, trial, token],
      );
      if (r.rowCount === 0) throw new TrialNotRunningError(await describeNotRunning(c, this.s, 'heartbeat', study, trial));
    });
  }

  async finishTrial(study: string, trial: number, result: TrialResult): Promise<void> {
    checkFinish(trial, result);
    const { token } = this.claimOf('finishTrial', study, trial);
    await this.run('finishTrial', false, async (c) => {
      const r = await c.query(
        `UPDATE ${this.s}.trials SET state = $4, value = $5, error = $6, run_dir = $7, attrs = $8::jsonb, finished_at = now(), heartbeat_at = now()
          WHERE study_id = (SELECT id FROM ${this.s}.studies WHERE name = $1) AND number = $2 AND claim_token = $3
            AND (state = 'running' OR (state = $4 AND value IS NOT DISTINCT FROM $5::float8 -- a retried call whose commit landed
                 AND error IS NOT DISTINCT FROM $6::text AND run_dir IS NOT DISTINCT FROM $7::text AND attrs IS NOT DISTINCT FROM $8::jsonb))`,
        [study, trial, token, result.state, result.value, result.error ?? null, result.runDir ?? null, result.attrs === undefined ? null : JSON.stringify(result.attrs)],
      );
      if (r.rowCount === 0) throw new TrialNotRunningError(await describeNotRunning(c, this.s, 'finishTrial', study, trial));
    });
    this.claims.delete(`${study}\0${trial}`);
  }

  async reapStale(study: string, staleMs: number, deadWorkers: readonly string[] = []): Promise<number[]> {
    checkReap(staleMs, deadWorkers);
    return this.run('reapStale', true, async (c) => {
      const { id, definition } = await this.study(c, study, true);
      return reapIn(c, this.s, id, staleMs, deadWorkers, definition.maxRetries);
    });
  }

  async readStudy(study: string): Promise<StudyDefinition | null> {
    return this.run('readStudy', false, async (c) => (await findStudy(c, this.s, study, false))?.definition ?? null);
  }

  async listTrials(study: string): Promise<TrialRecord[]> {
    return this.run('listTrials', false, async (c) => listTrialsIn(c, this.s, (await this.study(c, study, false)).id));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/**
 * Opens a study storage in the PostgreSQL database at `url`, creating (or upgrading) its tables on
 * first use. Every worker of a study, on any machine, opens the same URL and study name.
 * @example
 * const storage = await openPostgresStorage('postgres://tuner:secret@db.internal:5432/tune');
 * await storage.openStudy({ name: 'iris', direction: 'maximize', metric: 'validation.accuracy', space: {}, sampler: { name: 'random' }, pruner: null, maxTrials: 20, maxRetries: 2 });
 * const trial = await storage.claimTrial('iris', 'host-a:4121', (trials) => ({ lr: 0.01 * (trials.length + 1) }));
 */
export async function openPostgresStorage(url: string, options: PostgresStorageOptions = {}): Promise<StudyStorage> {
  const target = describePgUrl(url);
  const schema = options.schema ?? 'neurite';
  quoteSchema(schema);
  const policy: RetryPolicy = { attempts: options.attempts ?? 5, delayMs: options.retryDelayMs ?? 250 };
  const pool = new pg.Pool({
    connectionString: url, max: options.poolSize ?? 4, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    query_timeout: options.queryTimeoutMs ?? 120_000, idle_in_transaction_session_timeout: options.transactionIdleTimeoutMs ?? 60_000,
    keepAlive: true, application_name: 'neurite-tune', allowExitOnIdle: true,
  });
  pool.on('error', () => undefined); // an idle connection died (server restart): the next call reconnects and retries
  const storage = new PostgresStudyStorage(pool, target, schema, policy);
  try {
    await storage.run('open', false, (c) => ensureSchema(c, schema, target));
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return storage;
}
