// Builds the WASM SIMD kernels (src/backend/wasm/assembly/*.as, AssemblyScript; entry index.as) into dist/wasm/*.wasm.
//
// Usage: node scripts/build-wasm.mjs   (part of `npm run build`; needs the assemblyscript devDependency)
// The sources end in `.as` so tsc skips them; asc only reads `.ts`, so its readFile hook maps the names.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src/backend/wasm/assembly');
const outDir = join(root, 'dist/wasm');

/** The builds: a plain one (own memory) and a threaded one (imported shared memory for workers). */
const targets = [
  { out: 'neurite.wasm', flags: [] },
  {
    out: 'neurite-threads.wasm',
    // 65536 pages = 4 GiB: the most wasm32 can address; shared memories must declare a maximum.
    flags: ['--enable', 'threads', '--importMemory', '--sharedMemory', '--initialMemory', '64', '--maximumMemory', '65536'],
  },
];

let asc;
try {
  asc = (await import('assemblyscript/asc')).default;
} catch (err) {
  console.error(`build-wasm: cannot load the AssemblyScript compiler (npm install --save-dev assemblyscript@0.28.20): ${err.message}`);
  process.exit(1);
}

/** Reads `X.ts` requests from the source folder as `X.as`; everything else the usual way. */
async function readSource(filename, baseDir) {
  const path = resolve(baseDir, filename);
  const asPath = path.replace(/\.ts$/, '.as');
  if (asPath.startsWith(srcDir) && existsSync(asPath)) return readFile(asPath, 'utf8');
  return existsSync(path) ? readFile(path, 'utf8') : null;
}

await mkdir(outDir, { recursive: true });
for (const t of targets) {
  const argv = [
    join(srcDir, 'index.ts'), '-O3', '--runtime', 'stub', '--enable', 'simd', '--noAssert',
    '--outFile', join(outDir, t.out), ...t.flags,
  ];
  const stderr = [];
  const { error } = await asc.main(argv, {
    readFile: readSource,
    writeFile: async (name, contents, baseDir) => writeFile(resolve(baseDir, name), contents),
    stderr: { write: (s) => (stderr.push(String(s)), true) },
  });
  if (error) {
    console.error(stderr.join(''));
    console.error(`build-wasm: ${t.out} failed: ${error.message}`);
    process.exit(1);
  }
  console.log(`build-wasm: wrote dist/wasm/${t.out}`);
}
