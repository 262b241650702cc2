#!/usr/bin/env node
// The `neurite` command: runs the compiled CLI from dist/ (the published package ships it; a source checkout builds it on first use).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/node/cli/main.js', import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(fileURLToPath(cli))) {
  // A git checkout after `npm ci` has sources but no dist/ (no install-time script builds it): build once.
  if (!existsSync(fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url)))) {
    console.error('neurite: the compiled CLI is missing (dist/) and this is no source checkout; reinstall the package.');
    process.exit(1);
  }
  console.error('neurite: first run in a source checkout: building dist/ (npm run build) ...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0 || !existsSync(fileURLToPath(cli))) {
    console.error(`neurite: the build failed (exit ${r.status ?? r.signal}); run \`npm run build\` in ${root} and read its errors.`);
    process.exit(1);
  }
}
// A closed pipe (`neurite explain ... | head`) ends the command quietly instead of crashing.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
