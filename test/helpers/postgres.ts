// PostgreSQL-test plumbing: a real, throwaway PostgreSQL server per test file (Debian `postgresql`
// binaries; initdb in a temp folder, 127.0.0.1 on a free port, its unix socket in the same folder),
// run as the `postgres` system user when the tests run as root. Stop it in the test that started it.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { after, before } from 'node:test';

const run = promisify(execFile);
const TOOLS = ['initdb', 'pg_ctl', 'postgres'];

/** The folder with initdb, pg_ctl and postgres: `NEURITE_PG_BIN`, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir(): string | undefined {
  const has = (dir: string): boolean => TOOLS.every((t) => existsSync(join(dir, t)));
  const fromEnv = process.env.NEURITE_PG_BIN;
  if (fromEnv) return has(fromEnv) ? fromEnv : undefined;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((v) => join(root, v, 'bin')).find(has) ?? (has('/usr/local/bin') ? '/usr/local/bin' : undefined);
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** The `postgres` system user's uid and gid (PostgreSQL refuses to run as root), or undefined. */
function postgresUser(): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  const f = line?.split(':');
  return f ? { uid: Number(f[2]), gid: Number(f[3]) } : undefined;
}

/**
 * Why a PostgreSQL server cannot be started here, or `undefined` when it can. Tests pass it as
 * `skip`, so a machine without the binaries says what is missing; CI installs Debian `postgresql`.
 */
export function postgresMissing(): string | undefined {
  if (!postgresBinDir()) {
    return `PostgreSQL server binaries (${TOOLS.join(', ')}) not found under /usr/lib/postgresql/*/bin, /usr/local/bin or NEURITE_PG_BIN: apt-get install -y postgresql`;
  }
  if (isRoot() && !postgresUser()) return "tests run as root and there is no 'postgres' system user to run the server as (PostgreSQL refuses root): apt-get install -y postgresql creates it";
  if (isRoot() && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) return 'tests run as root and runuser (util-linux) is missing, so the server cannot run as postgres';
  return undefined;
}

/** A running throwaway server; `url()` connects as its superuser with a password over TCP. */
export interface TestPostgres {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The folder holding the data directory, the log and the unix socket. */
  readonly dir: string;
  /** `postgres://neurite:PASSWORD@127.0.0.1:PORT/<db>` (default db `postgres`). */
  url(db?: string): string;
  /** Creates database `name` and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server at once (`-m immediate`, as a crash or lost network would), keeping its data. */
  down(): Promise<void>;
  /** Starts it again on the same port after `down()`. */
  up(): Promise<void>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL tool, as the postgres user when we are root. */
function tool(bin: string, name: string, args: string[], cwd: string): Promise<{ stdout: string }> {
  const exe = join(bin, name);
  return isRoot() ? run('runuser', ['-u', 'postgres', '--', exe, ...args], { cwd }) : run(exe, args, { cwd });
}

function toolSync(bin: string, name: string, args: string[], cwd: string): void {
  const exe = join(bin, name);
  if (isRoot()) execFileSync('runuser', ['-u', 'postgres', '--', exe, ...args], { cwd, stdio: 'ignore' });
  else execFileSync(exe, args, { cwd, stdio: 'ignore' });
}

/**
 * Starts a fresh PostgreSQL on 127.0.0.1 (initdb in a temp folder, password authentication,
 * fsync off: it is thrown away, but commits stay synchronous so a
 * server stopped with `down()` keeps every committed transaction). Call `stop()` in the test's `after()`.
 * @example const server = await startPostgres(); const url = await server.createDatabase('t1'); … await server.stop();
 */
export async function startPostgres(): Promise<TestPostgres> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const bin = postgresBinDir()!;
  const dir = mkdtempSync(join(tmpdir(), 'neurite-pg-'));
  const data = join(dir, 'data'), log = join(dir, 'server.log');
  const user = 'neurite', password = randomBytes(12).toString('hex');
  writeFileSync(join(dir, 'pw'), password);
  if (isRoot()) {
    const u = postgresUser()!;
    chownSync(dir, u.uid, u.gid);
    chownSync(join(dir, 'pw'), u.uid, u.gid);
  }
  let port = 0;
  const start = async (): Promise<void> => {
    const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off -c shared_buffers=16MB -c max_connections=200`;
    await tool(bin, 'pg_ctl', ['-D', data, '-l', log, '-o', opts, '-w', '-t', '60', 'start'], dir);
  };
  const cleanupOnExit = (): void => {
    try { toolSync(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], dir); } catch { /* not running */ }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await tool(bin, 'initdb', ['-D', data, '-U', user, `--pwfile=${join(dir, 'pw')}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync'], dir);
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await start();
        break;
      } catch (err) {
        if (attempt >= 3) throw err; // another process took the port between freePort() and start()
      }
    }
  } catch (err) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '(no server log)';
    cleanupOnExit();
    throw new Error(`startPostgres: the server did not start (${(err as Error).message}); log tail:\n${tail}`);
  }
  process.once('exit', cleanupOnExit); // a test that forgets stop() leaves no server behind
  const url = (db = 'postgres'): string => `postgres://${user}:${password}@127.0.0.1:${port}/${db}`;
  return {
    host: '127.0.0.1', port, user, password, dir, url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try { await client.query(`CREATE DATABASE "${name}"`); } finally { await client.end(); }
      return url(name);
    },
    async down() { await tool(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], dir); },
    async up() { await start(); },
    async stop() {
      process.removeListener('exit', cleanupOnExit);
      try { await tool(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'], dir); } catch { /* already down */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What {@link usePostgres} gives a test file: the skip reason, and the server and URL once `before()` ran. */
export interface PostgresFixture {
  readonly skip: string | undefined;
  readonly server: TestPostgres;
  readonly url: string;
}

/**
 * Registers `before`/`after` hooks in the calling test file that start a server with database `db`
 * and stop it (removing its folder); pass `skip` to each test.
 * @example const pg = usePostgres(); test('x', { skip: pg.skip }, async () => { await openPostgresStorage(pg.url); });
 */
export function usePostgres(db = 'tune'): PostgresFixture {
  const skip = postgresMissing();
  let server: TestPostgres | undefined, url = '';
  before(async () => {
    if (skip) return;
    server = await startPostgres();
    url = await server.createDatabase(db);
  });
  after(async () => { await server?.stop(); });
  return {
    skip,
    get server() { if (!server) throw new Error('usePostgres: the server is not started (use it inside a test)'); return server; },
    get url() { return url; },
  };
}
