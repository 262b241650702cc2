// `neurite board [--dir DIR] [--port N]`: starts the board server, prints its URL, runs until SIGINT/SIGTERM.
import { existsSync, statSync } from 'node:fs';
import { formatHelp, parseCommand } from './argv.js';
import { boardSpec } from './command-specs.js';
import { startBoard } from '../board/server.js';
import type { Output } from './run.js';

/** Resolves at the first SIGINT or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * `neurite board`: serves the runs in --dir on 127.0.0.1:--port until `stop` resolves (default: Ctrl-C).
 * @example await boardCommand(['--dir', 'runs', '--port', '0'], io);
 */
export async function boardCommand(argv: string[], io: Output, stop: () => Promise<void> = untilSignal): Promise<number> {
  const values = parseCommand(boardSpec, argv) as { help?: boolean; dir?: string; port?: string };
  if (values.help) { io.out(formatHelp(boardSpec)); return 0; }
  const dir = values.dir ?? 'runs';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`board: --dir ${dir} is not a folder; pass the folder neurite train writes runs into (default runs/)`);
  const port = Number(values.port ?? '6006');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`board: --port ${values.port}: expected a port number 0..65535 (0: a free port)`);
  const board = await startBoard({ dir, port });
  const stopped = stop();
  io.out(`${board.url}\n`);
  io.err(`neurite board: serving the runs in ${dir} at ${board.url} (Ctrl-C stops it)\n`);
  await stopped;
  await board.close();
  return 0;
}
