#!/usr/bin/env node
// The `neurite` command: runs the compiled CLI from dist/ (built by `npm run build`; the published package ships it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/node/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('neurite: the compiled CLI is missing (dist/). Run `npm run build` in the neurite package first.');
  process.exit(1);
}
// A closed pipe (`neurite explain ... | head`) ends the command quietly instead of crashing.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
