// The PostgreSQL study storage's statements: studies, the full trial history, the claim and reap
// transactions' steps. Each takes a connected client and the quoted schema; times are the server's.
import type { PoolClient } from 'pg';
import type { ParamValue, StudyDefinition, TrialRecord, TrialState } from '../../tune/storage/types.js';

/** A trials row as selected (`intermediate` joined in by listTrialsIn). */
interface TrialRow {
  number: number;
  state: TrialState;
  params: Record<string, ParamValue>;
  value: number | null;
  retry_of: number | null;
  worker: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  heartbeat_at: Date | null;
  error: string | null;
  run_dir: string | null;
  attrs: Record<string, unknown> | null;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** A trials row as the contract's TrialRecord. */
export function toTrialRecord(row: TrialRow, intermediate: TrialRecord['intermediate'] = []): TrialRecord {
  return {
    number: row.number, state: row.state, params: row.params, value: row.value, intermediate,
    retryOf: row.retry_of, worker: row.worker, startedAt: iso(row.started_at), finishedAt: iso(row.finished_at),
    heartbeatAt: iso(row.heartbeat_at), error: row.error, runDir: row.run_dir, attrs: row.attrs ?? {},
  };
}

const TRIAL_COLUMNS = 't.number, t.state, t.params, t.value, t.retry_of, t.worker, t.started_at, t.finished_at, t.heartbeat_at, t.error, t.run_dir, t.attrs';

/**
 * Every trial of a study with its intermediate values, by number: one statement, so one snapshot.
 * @example const trials = await listTrialsIn(tx, '"neurite"', '1');  // tx: a checked-out PoolClient
 */
export async function listTrialsIn(client: PoolClient, s: string, studyId: string): Promise<TrialRecord[]> {
  const r = await client.query<TrialRow & { step: number | null; step_value: number | null }>(
    `SELECT ${TRIAL_COLUMNS}, v.step, v.value AS step_value
       FROM ${s}.trials t LEFT JOIN ${s}.trial_values v ON v.study_id = t.study_id AND v.number = t.number
      WHERE t.study_id = $1 ORDER BY t.number, v.step`,
    [studyId],
  );
  const trials: TrialRecord[] = [];
  for (const row of r.rows) {
    let last = trials.at(-1);
    if (last?.number !== row.number) trials.push((last = toTrialRecord(row)));
    if (row.step !== null) last.intermediate.push({ step: row.step, value: row.step_value! });
  }
  return trials;
}

/** A studies row. */
interface StudyRow {
  id: string;
  name: string;
  direction: StudyDefinition['direction'];
  metric: string;
  space: unknown;
  sampler: unknown;
  pruner: unknown;
  max_trials: number;
  max_retries: number;
}

/** The study named `name` with its id, or null. */
export async function findStudy(client: PoolClient, s: string, name: string, lock = false): Promise<{ id: string; definition: StudyDefinition } | null> {
  const r = await client.query<StudyRow>(`SELECT * FROM ${s}.studies WHERE name = $1${lock ? ' FOR UPDATE' : ''}`, [name]);
  const row = r.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    definition: {
      name: row.name, direction: row.direction, metric: row.metric, space: row.space, sampler: row.sampler,
      pruner: row.pruner, maxTrials: row.max_trials, maxRetries: row.max_retries,
    },
  };
}

/** Inserts a study unless one of that name exists; returns its id when this call created it. */
export async function insertStudy(client: PoolClient, s: string, d: StudyDefinition): Promise<string | null> {
  const r = await client.query<{ id: string }>(
    `INSERT INTO ${s}.studies (name, direction, metric, space, sampler, pruner, max_trials, max_retries)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (name) DO NOTHING RETURNING id`,
    [d.name, d.direction, d.metric, JSON.stringify(d.space), JSON.stringify(d.sampler), JSON.stringify(d.pruner), d.maxTrials, d.maxRetries],
  );
  return r.rows[0]?.id ?? null;
}

/** The trial a claim with `token` took, when an earlier attempt of the same claim did commit. */
export async function trialByToken(client: PoolClient, s: string, token: string): Promise<TrialRecord | null> {
  const r = await client.query<TrialRow>(`SELECT ${TRIAL_COLUMNS} FROM ${s}.trials t WHERE t.claim_token = $1`, [token]);
  return r.rows[0] ? toTrialRecord(r.rows[0]) : null;
}

/** Marks the oldest waiting trial running by `worker`; null when none waits. Caller holds the study lock. */
export async function takeWaiting(client: PoolClient, s: string, studyId: string, worker: string, token: string): Promise<TrialRecord | null> {
  const r = await client.query<TrialRow>(
    `UPDATE ${s}.trials t SET state = 'running', worker = $2, claim_token = $3, started_at = now(), heartbeat_at = now()
      WHERE t.study_id = $1 AND t.number = (SELECT min(number) FROM ${s}.trials WHERE study_id = $1 AND state = 'waiting')
      RETURNING ${TRIAL_COLUMNS}`,
    [studyId, worker, token],
  );
  return r.rows[0] ? toTrialRecord(r.rows[0]) : null;
}

/** How many trials count against maxTrials (all but failed ones), and the next free number. */
export async function trialCounts(client: PoolClient, s: string, studyId: string): Promise<{ active: number; next: number }> {
  const r = await client.query<{ active: number; next: number }>(
    `SELECT (count(*) FILTER (WHERE state <> 'failed'))::int AS active, COALESCE(max(number) + 1, 0)::int AS next
       FROM ${s}.trials WHERE study_id = $1`,
    [studyId],
  );
  return r.rows[0]!;
}

/** Inserts trial `number` running by `worker` with `params`. Caller holds the study lock. */
export async function insertRunning(
  client: PoolClient, s: string, studyId: string, number: number, params: Record<string, ParamValue>, worker: string, token: string,
): Promise<TrialRecord> {
  const r = await client.query<TrialRow>(
    `INSERT INTO ${s}.trials AS t (study_id, number, state, params, worker, claim_token, started_at, heartbeat_at)
     VALUES ($1, $2, 'running', $3, $4, $5, now(), now()) RETURNING ${TRIAL_COLUMNS}`,
    [studyId, number, JSON.stringify(params), worker, token],
  );
  return toTrialRecord(r.rows[0]!);
}

/**
 * Fails running trials whose heartbeat (server time) is older than `staleMs` or whose worker is
 * in `deadWorkers`, and queues retries while attempts are left. Caller holds the study lock.
 */
export async function reapIn(
  client: PoolClient, s: string, studyId: string, staleMs: number, deadWorkers: readonly string[], maxRetries: number,
): Promise<number[]> {
  const reaped = await client.query<{ number: number; params: unknown; attempt: number }>(
    `UPDATE ${s}.trials SET state = 'failed', finished_at = now(), error = CASE
         WHEN worker = ANY($3::text[]) THEN 'worker ' || worker || ' died (its launcher reported it)'
         ELSE 'worker ' || worker || ' stopped sending heartbeats: the last one was '
              || round(extract(epoch FROM now() - heartbeat_at)::numeric, 1) || ' s ago, stale after ' || ($2::float8 / 1000) || ' s'
       END
      WHERE study_id = $1 AND state = 'running'
        AND (heartbeat_at < now() - make_interval(secs => $2::float8 / 1000) OR worker = ANY($3::text[]))
      RETURNING number, params, attempt`,
    [studyId, staleMs, [...deadWorkers]],
  );
  const rows = reaped.rows.sort((a, b) => a.number - b.number);
  let { next } = await trialCounts(client, s, studyId);
  for (const row of rows) {
    if (row.attempt >= maxRetries) continue;
    await client.query(
      `INSERT INTO ${s}.trials (study_id, number, state, params, retry_of, attempt) VALUES ($1, $2, 'waiting', $3, $4, $5)`,
      [studyId, next++, JSON.stringify(row.params), row.number, row.attempt + 1],
    );
  }
  return rows.map((r) => r.number);
}
