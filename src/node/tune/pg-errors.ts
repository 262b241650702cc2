// PostgreSQL storage errors: where a URL points (never its password), which errors are a lost
// connection worth retrying, and the retry-with-backoff wrapper every storage call goes through.
import pg from 'pg';
import { TRIAL_NOT_RUNNING } from '../../tune/storage/not-running.js';

/** Raised by the PostgreSQL study storage; the message names the server and database, never the password. */
export class PostgresStorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PostgresStorageError';
  }
}

/** Where a connection URL points, for messages: `postgres://user@host:port/db`, the password left out. */
export interface PgTarget {
  /** `postgres://user@host:port/db` without the password. */
  readonly display: string;
  /** The password as given (to scrub it from any server message), or '' when there is none. */
  readonly password: string;
}

/**
 * Parses a `postgres://` / `postgresql://` URL for messages, leaving the password out.
 * @example describePgUrl('postgres://tuner:secret@db:5432/tune').display  // 'postgres://tuner@db:5432/tune'
 */
export function describePgUrl(url: string): PgTarget {
  const hidden = url.replace(/\/\/[^@/]*@/, '//***@');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new PostgresStorageError(`PostgreSQL storage: cannot parse the URL '${hidden}'; write it as postgres://user:password@host:5432/database`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new PostgresStorageError(`PostgreSQL storage: the URL '${hidden}' must start with postgres:// or postgresql://`);
  }
  const socketHost = u.searchParams.get('host'); // postgres:///db?host=/run/postgresql
  const host = socketHost ?? (u.hostname === '' ? 'localhost' : u.hostname);
  const port = u.searchParams.get('port') ?? (u.port === '' ? '5432' : u.port);
  const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)';
  const name = u.searchParams.get('user') ?? decodeURIComponent(u.username);
  const user = name === '' ? '' : `${name}@`;
  return { display: `postgres://${user}${host}:${port}/${db}`, password: decodeURIComponent(u.password) };
}

/**
 * `message` with every occurrence of the password replaced by `***` (servers never echo it; this makes sure).
 * @example scrubPassword('failed for s3cret', describePgUrl('postgres://u:s3cret@db/tune'))  // 'failed for ***'
 */
export function scrubPassword(message: string, target: PgTarget): string {
  return target.password.length >= 3 ? message.split(target.password).join('***') : message;
}

const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTCONN']);
// SQLSTATEs: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 40001 serialization
// failure, 40P01 deadlock, 53300 too_many_connections; class 08 is "connection exception".
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01', '53300']);
const TRANSIENT_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Query read timeout/i, /connection is closed/i, /Client has encountered a connection error/i];

/**
 * Whether `err` is a lost or refused connection (or a retryable conflict), as opposed to a real error.
 * @example isTransientPgError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))  // true
 */
export function isTransientPgError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || TRANSIENT_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  return TRANSIENT_MESSAGES.some((re) => re.test(err.message));
}

/** How often a call is retried after a lost connection: `attempts` tries in all, waiting `delayMs`, 2×, 4×, … (at most 8 s) between them. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly delayMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn`, retrying it while it fails with a lost connection; after the last attempt (or at once
 * for any other error) throws a PostgresStorageError naming the operation, the server and database.
 * `fn` must be safe to repeat: a retried call may follow one whose commit did reach the server.
 * @example const n = await withRetry('countStudies', describePgUrl('postgres://tuner@db/tune'), { attempts: 5, delayMs: 250 }, async () => 42);
 */
export async function withRetry<T>(op: string, target: PgTarget, policy: RetryPolicy, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof Error) || err instanceof PostgresStorageError || !isPgError(err)) throw err;
      const detail = scrubPassword(err.message, target);
      if (!isTransientPgError(err)) {
        throw new PostgresStorageError(`PostgreSQL storage at ${target.display}: ${op} failed: ${detail}${hint(err)}`, { cause: err });
      }
      if (attempt >= policy.attempts) {
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        throw new PostgresStorageError(
          `PostgreSQL storage at ${target.display}: ${op} failed: the connection to the server failed (${detail}) on all ${policy.attempts} attempts over ${secs} s; ` +
            'check that the server is up and reachable, then start the worker again (a trial it was running is reaped as stale and retried)',
          { cause: err },
        );
      }
      await sleep(Math.min(8000, policy.delayMs * 2 ** (attempt - 1)));
    }
  }
}

/** Whether an error came from the database or the socket to it (not from a sampler or a caller bug). */
function isPgError(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return err instanceof pg.DatabaseError || isTransientPgError(err) || code === 'ENOTFOUND';
}

/** What to do about the commonest non-transient failures. */
function hint(err: Error): string {
  const code = (err as { code?: unknown }).code;
  if (code === '28P01' || code === '28000') return ' (check the user name and password in the URL, or the server\'s pg_hba.conf)';
  if (code === '3D000') return ' (create the database first: createdb NAME, or CREATE DATABASE NAME)';
  if (code === '42501') return ' (the user needs CREATE on the database for the first worker, then SELECT/INSERT/UPDATE on the neurite tables)';
  if (code === 'ENOTFOUND') return ' (the host name does not resolve)';
  if (code === '25P03') return ' (the transaction sat idle past the limit set by option transactionIdleTimeoutMs, default 60 s: the sampler took too long inside the claim, or the worker stalled)';
  return '';
}

/** Raised when a worker reports on, heartbeats or finishes a trial it no longer runs (reaped as stale, or never claimed here). */
export class TrialNotRunningError extends PostgresStorageError {
  /** The code every storage uses for this case (`isTrialNotRunning` in the tune library). */
  readonly code = TRIAL_NOT_RUNNING;
  constructor(message: string) {
    super(message);
    this.name = 'TrialNotRunningError';
  }
}
