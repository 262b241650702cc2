// `neurite tune --workers N`: starts N worker processes (`neurite tune ... --worker`) on one study and
// watches them. A worker killed by a signal (kill -9, the OOM killer) has its running trial failed and
// queued again at once, and is replaced; workers that finish (no trials left) are not.
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StudyStorage } from '../../tune/storage/types.js';
import type { Output } from '../cli/run.js';

/** What the launcher needs. */
export interface LaunchOptions {
  workers: number;
  /** The tune command's arguments for a worker (the launcher's own, minus --workers, plus --worker). */
  argv: string[];
  storage: StudyStorage;
  study: string;
  staleMs: number;
  io: Output;
}

/** How the workers ended: restarts made and workers that exited with an error. */
export interface LaunchResult { restarts: number; errors: string[] }

/** The worker command: this module's sibling worker-main (.ts under tsx, .js when built). */
function workerCommand(argv: string[]): { cmd: string; args: string[] } {
  const self = fileURLToPath(import.meta.url), ext = extname(self);
  const entry = fileURLToPath(new URL(`./worker-main${ext}`, import.meta.url));
  return { cmd: process.execPath, args: [...(ext === '.ts' ? ['--import', import.meta.resolve('tsx')] : []), entry, ...argv] };
}

/** Forwards a child stream to `write` line by line (so lines of two workers never interleave mid-line). */
function forwardLines(stream: NodeJS.ReadableStream, write: (s: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (d: string) => {
    pending += d;
    const end = pending.lastIndexOf('\n') + 1;
    if (end > 0) { write(pending.slice(0, end)); pending = pending.slice(end); }
  });
  stream.on('end', () => { if (pending) write(pending + '\n'); });
}

/**
 * Runs the workers until every one has exited without being killed; resolves with what happened.
 * @example await launchWorkers({ workers: 4, argv: ['tune', '--config', 'cfg.json', '--worker'], storage: await openJournalStorage('studies/iris'), study: 'iris', staleMs: 120_000, io });
 */
export function launchWorkers(o: LaunchOptions): Promise<LaunchResult> {
  const { cmd, args } = workerCommand(o.argv);
  const env = { ...process.env, NEURITE_THREADS: process.env.NEURITE_THREADS ?? '1' };
  const maxRestarts = 3 * o.workers;
  const result: LaunchResult = { restarts: 0, errors: [] };
  let running = 0;
  return new Promise((done) => {
    const start = (): void => {
      const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      running++;
      const id = `${hostname()}:${child.pid}`;
      forwardLines(child.stdout!, o.io.out);
      forwardLines(child.stderr!, o.io.err);
      child.on('exit', (code, signal) => { void exited(id, code, signal); });
    };
    const exited = async (id: string, code: number | null, signal: NodeJS.Signals | null): Promise<void> => {
      if (signal !== null) {
        const reaped = await o.storage.reapStale(o.study, o.staleMs, [id]).catch((e: Error) => { o.io.err(`neurite tune: could not reap ${id}'s trials: ${e.message}\n`); return []; });
        o.io.err(`neurite tune: worker ${id} was killed by ${signal}${reaped.length ? `; trial ${reaped.join(', ')} failed and is queued again` : ''}\n`);
        if (result.restarts < maxRestarts) { result.restarts++; o.io.err('neurite tune: starting a replacement worker\n'); start(); }
        else result.errors.push(`workers were killed ${result.restarts + 1} times; not restarting again`);
      } else if (code !== 0) result.errors.push(`worker ${id} exited with status ${code}`);
      if (--running === 0) done(result);
    };
    for (let i = 0; i < o.workers; i++) start();
  });
}
