// A lock file for processes on one machine (and NFS-free shared folders): created with O_EXCL,
// holding {pid, host, at}. A lock left by a dead process on this host is taken over with a warning
// (through a second ".break" lock, so two processes never both take it over); a lock from another
// host, or from a live process, is waited for up to a timeout, then an error names its holder.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/** Options of acquireLock. */
export interface LockOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** Where takeover warnings go (default stderr). */
  onWarning?: (message: string) => void;
}

interface Holder { pid: number; host: string; at: string }

/**
 * True when process `pid` runs on this machine (EPERM: it exists but belongs to another user). A
 * zombie (killed, not yet reaped — common in containers whose init does not reap orphans) is dead.
 */
export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch { return true; }
}

function readHolder(path: string): { holder: Holder | null; text: string; ageMs: number } | null {
  try {
    const text = readFileSync(path, 'utf8'), ageMs = Date.now() - statSync(path).mtimeMs;
    try {
      const h = JSON.parse(text) as Holder;
      return { holder: typeof h.pid === 'number' && typeof h.host === 'string' ? h : null, text, ageMs };
    } catch { return { holder: null, text, ageMs }; }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try { fd = openSync(path, 'wx'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new Error(`cannot create the lock file ${path} (${(e as Error).message}); check the folder exists and is writable`);
  }
  try { writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() })); } finally { closeSync(fd); }
  return true;
}

/** A lock is stale when its holder is a dead process on this host, or it stayed unreadable (holder died creating it) for 10 s. */
function isStale(seen: NonNullable<ReturnType<typeof readHolder>>): boolean {
  if (seen.holder === null) return seen.ageMs > 10_000;
  return seen.holder.host === hostname() && seen.holder.pid !== process.pid && !pidAlive(seen.holder.pid);
}

/** Removes a stale lock if it is still the one seen, under the ".break" lock; true when removed. */
function breakStale(path: string, seen: NonNullable<ReturnType<typeof readHolder>>, warn: (m: string) => void): boolean {
  const brk = `${path}.break`;
  if (!tryCreate(brk)) {
    const b = readHolder(brk);
    if (b && (isStale(b) || b.ageMs > 10_000)) { try { unlinkSync(brk); } catch { /* another process removed it */ } }
    return false;
  }
  try {
    const now = readHolder(path);
    if (now === null || now.text !== seen.text) return false;
    unlinkSync(path);
    warn(`warning: ${path}: took over the lock of ${seen.holder ? `process ${seen.holder.pid} on ${seen.holder.host}, which is no longer running` : 'a process that died while creating it'}`);
    return true;
  } finally { try { unlinkSync(brk); } catch { /* already gone */ } }
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/**
 * Takes the lock at `path`; resolves to its release function.
 * @example const release = await acquireLock('study/journal.lock'); release();
 */
export async function acquireLock(path: string, opts: LockOptions = {}): Promise<() => void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const warn = opts.onWarning ?? ((m: string) => process.stderr.write(`${m}\n`));
  for (let wait = 1; ; wait = Math.min(50, wait * 2)) {
    if (tryCreate(path)) return () => { try { unlinkSync(path); } catch { /* removed by a takeover after a long stall */ } };
    const seen = readHolder(path);
    if (seen !== null && isStale(seen) && breakStale(path, seen, warn)) continue;
    if (Date.now() > deadline) {
      const who = seen?.holder ? `process ${seen.holder.pid} on host ${seen.holder.host} since ${seen.holder.at}` : 'an unknown process';
      throw new Error(`${path}: still locked by ${who} after ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s; if that process is gone (another machine, or a reused pid), delete the lock file and retry`);
    }
    await sleep(wait * (0.5 + Math.random()));
  }
}
