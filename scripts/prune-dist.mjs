// Deletes compiled files in dist/ whose source in src/ is gone, so a rename never ships a stale module (tsc -b only adds),
// and forgets tsc's incremental state when a compiled file is missing (a deleted dist/), so tsc -b rebuilds it.
//
// Usage: node scripts/prune-dist.mjs   (the first step of `npm run build`; dist/wasm/ is build-wasm.mjs's and is kept)
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outputs = /(\.d\.ts|\.js\.map|\.js)$/;

let pruned = 0;
if (existsSync(dist)) {
  for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
    const m = outputs.exec(file);
    if (!m || file.startsWith('wasm/')) continue;
    const source = join(root, 'src', file.slice(0, -m[1].length));
    if (existsSync(`${source}.ts`) || existsSync(`${source}.d.ts`)) continue;
    rmSync(join(dist, file));
    pruned++;
    console.log(`prune-dist: removed dist/${relative(dist, join(dist, file))} (no src/${file.slice(0, -m[1].length)}.ts)`);
  }
}
if (pruned === 0) console.log('prune-dist: nothing stale');

// tsc -b trusts tsconfig.tsbuildinfo: with dist/ (or part of it) deleted it would emit nothing.
const buildInfo = join(root, 'tsconfig.tsbuildinfo');
if (existsSync(buildInfo)) {
  const missing = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .find((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !existsSync(join(dist, f.replace(/\.ts$/, '.js'))));
  if (missing !== undefined) {
    rmSync(buildInfo);
    console.log(`prune-dist: dist/${missing.replace(/\.ts$/, '.js')} is missing; removed tsconfig.tsbuildinfo so tsc -b rebuilds`);
  }
}
