// The entry of a `neurite tune --workers N` worker process: the CLI with the arguments it was given.
import { main } from '../cli/main.js';

process.exitCode = await main(process.argv.slice(2));
