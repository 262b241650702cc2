// The journal storage (the default): an append-only file in the study folder, one JSON op per line
// (src/tune/storage/state.ts), each append fsynced, every step under the folder's lock file, so
// processes on one machine share a study. A study resumes by replaying the file. A torn last line
// (a kill mid-write) is ignored with a warning and cut off by the next write.
import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock } from './lock.js';
import { type Clock, type Transact, opLogStorage } from '../../tune/storage/op-storage.js';
import { type StudiesState, type StudyOp, applyOp } from '../../tune/storage/state.js';
import type { StudyStorage } from '../../tune/storage/types.js';

/** The journal's file name inside the study folder. */
export const JOURNAL_FILE = 'journal.jsonl';
/** The lock file's name inside the study folder. */
export const LOCK_FILE = 'journal.lock';

/** Options of openJournalStorage. */
export interface JournalOptions {
  clock?: Clock;
  /** Where warnings (torn line, lock takeover) go (default stderr). */
  onWarning?: (message: string) => void;
  /** How long to wait for the lock (default 60 s). */
  lockTimeoutMs?: number;
}

/** A journal that cannot be read back (a bad line that is not the last); names the file and line. */
export class JournalError extends Error {
  constructor(message: string) { super(message); this.name = 'JournalError'; }
}

const OPS = new Set(['study', 'create', 'claim', 'report', 'heartbeat', 'finish', 'reap']);

/** Parses one journal line and applies it; a bad line is a JournalError naming the file and line. */
function applyLine(state: StudiesState, text: string, path: string, line: number): void {
  let op: StudyOp;
  try { op = JSON.parse(text) as StudyOp; } catch (e) { throw new JournalError(`${path} line ${line}: not valid JSON (${(e as Error).message}); the journal is damaged — restore it from a copy, or move the study folder aside and start again`); }
  if (op === null || typeof op !== 'object' || !OPS.has(op.op)) throw new JournalError(`${path} line ${line}: not a study record (expected "op" to be one of ${[...OPS].join(', ')})`);
  try { applyOp(state, op); } catch (e) { throw new JournalError(`${path} line ${line}: ${(e as Error).message}`); }
}

/**
 * Reads a study folder's journal without the lock and without writing (for viewers such as the
 * board): the studies as of its complete lines; a torn last line is left out, a damaged line ends the
 * read with a warning.
 * @example const { state, warnings } = readJournal('studies/iris');
 */
export function readJournal(dir: string): { state: StudiesState; warnings: string[] } {
  const path = join(dir, JOURNAL_FILE), state: StudiesState = new Map(), warnings: string[] = [];
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { return { state, warnings: [`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`] }; }
  const lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n').slice(0, -1);
  try { lines.forEach((l, i) => applyLine(state, l, path, i + 1)); } catch (e) { warnings.push((e as Error).message); }
  return { state, warnings };
}

/** Reader state of one handle: the ops applied so far and where the next unread byte is. */
class JournalReader {
  readonly state: StudiesState = new Map();
  offset = 0;
  line = 0;
  torn = 0;
  private warnedAt = -1;
  constructor(readonly path: string, private readonly fd: number, private readonly warn: (m: string) => void) {}

  /** Applies every complete line after `offset`; remembers an unterminated tail (torn) without applying it. */
  catchUp(): void {
    const size = fstatSync(this.fd).size;
    if (size < this.offset) throw new JournalError(`${this.path}: the file shrank from ${this.offset} to ${size} bytes while the study was open; it was edited or replaced — restore it from a copy`);
    if (size === this.offset) { this.torn = 0; return; }
    const buf = Buffer.alloc(size - this.offset);
    readSync(this.fd, buf, 0, buf.length, this.offset);
    const end = buf.lastIndexOf(0x0a) + 1;
    for (const text of buf.subarray(0, end).toString('utf8').split('\n').slice(0, -1)) {
      this.line++;
      this.apply(text);
    }
    this.offset += end;
    this.torn = buf.length - end;
    if (this.torn > 0 && this.warnedAt !== this.offset) {
      this.warnedAt = this.offset;
      this.warn(`warning: ${this.path}: ignoring an incomplete last record (${this.torn} bytes after line ${this.line}; a write cut off by a kill); the next write truncates it`);
    }
  }

  private apply(text: string): void {
    applyLine(this.state, text, this.path, this.line);
  }

  /** Appends ops (one write and one fsync), cutting a torn tail off first. */
  append(ops: StudyOp[]): void {
    if (this.torn > 0) {
      ftruncateSync(this.fd, this.offset);
      this.warn(`warning: ${this.path}: truncated the incomplete last record (${this.torn} bytes)`);
      this.torn = 0;
    }
    const bytes = Buffer.from(ops.map((op) => JSON.stringify(op) + '\n').join(''), 'utf8');
    writeSync(this.fd, bytes, 0, bytes.length, this.offset);
    fsyncSync(this.fd);
    this.offset += bytes.length;
    this.line += ops.length;
    for (const op of ops) applyOp(this.state, op);
  }
}

/**
 * Opens (creating if needed) the journal of the study folder `dir`. Several handles — in one
 * process or many — may share a folder: each step takes the lock, reads what others appended,
 * decides, appends and fsyncs.
 * @example const storage = await openJournalStorage('studies/iris'); // then tune({ space, objective, trials: 20, storage })
 */
export async function openJournalStorage(dir: string, opts: JournalOptions = {}): Promise<StudyStorage> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, JOURNAL_FILE), lockPath = join(dir, LOCK_FILE);
  const warn = opts.onWarning ?? ((m: string) => process.stderr.write(`${m}\n`));
  const fd = openSync(path, 'a+');
  closeSync(fd);
  const rw = openSync(path, 'r+');
  const reader = new JournalReader(path, rw, warn);
  let queue: Promise<unknown> = Promise.resolve(), closed = false;
  const transact: Transact = (decide) => {
    const run = queue.then(async () => {
      if (closed) throw new Error(`${path}: the journal storage is closed`);
      const release = await acquireLock(lockPath, { timeoutMs: opts.lockTimeoutMs ?? 60_000, onWarning: warn });
      try {
        reader.catchUp();
        const { ops, result } = decide(reader.state);
        if (ops.length > 0) reader.append(ops);
        return result;
      } finally { release(); }
    });
    queue = run.catch(() => undefined);
    return run;
  };
  const close = async (): Promise<void> => {
    await queue;
    if (!closed) { closed = true; closeSync(rw); }
  };
  return opLogStorage(transact, close, opts.clock);
}
