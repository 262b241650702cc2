// Runs the neurite CLI in-process (main with captured stdout/stderr), as the CLI tests do.
import { main } from '../../src/node/cli/main.js';

/** What one in-process CLI run printed and returned. */
export interface CliRun { code: number; out: string; err: string }

/**
 * Runs `neurite <args>` in this process, capturing stdout and stderr (not a terminal).
 * @example const { code, out } = await runCli(['datasets']);
 */
export async function runCli(args: string[]): Promise<CliRun> {
  let out = '', err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false });
  return { code, out, err };
}
