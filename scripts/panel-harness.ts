// Builds the lecture-panel harness page (playground/panel-harness.html + its entry) into a folder with
// esbuild, as a user's bundler would: `import … from 'neurite'` resolves to this package's dist/.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Writes index.html, harness.js, panels.css and neurite.wasm (fetched next to the ESM bundle) to `outDir`.
 * @example await buildPanelHarness('/tmp/harness'); // then serve it and open index.html?panel=symmetry
 */
export async function buildPanelHarness(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(root, 'playground/src/harness/main.ts')],
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: join(outDir, 'harness.js'),
    logLevel: 'warning', sourcemap: false,
  });
  copyFileSync(join(root, 'playground/panel-harness.html'), join(outDir, 'index.html'));
  copyFileSync(join(root, 'playground/src/panels/panels.css'), join(outDir, 'panels.css'));
  copyFileSync(join(root, 'dist/wasm/neurite.wasm'), join(outDir, 'neurite.wasm'));
}
