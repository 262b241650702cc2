// Runs the neurite CLI from the TypeScript sources (node --import tsx scripts/neurite-src.ts train …), for tests and scripts.
import { main } from '../src/node/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
