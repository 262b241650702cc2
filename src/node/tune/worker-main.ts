// The entry of a `neurite tune --workers N` worker process: the CLI with the arguments it was given.
import { main } from '../cli/main.js';

// A launcher killed with kill -9 closes the pipes its workers print to; they finish the study anyway.
for (const stream of [process.stdout, process.stderr]) stream.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') throw e; });
process.exitCode = await main(process.argv.slice(2));
