// Browser-test fixture: neurite bundled for the browser with esbuild into a temp folder, with a page
// and a module Worker (serveTraining) beside it, for the training and persistence tests.
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const pages = fileURLToPath(new URL('./pages/', import.meta.url));

/**
 * Bundles neurite (src/index.ts) as one browser ES module `neurite.js` in a fresh temp folder, plus
 * `index.html` (imports it as `window.neurite` and the page scripts of test/browser/pages/ as
 * `window.pages.<name>`, then sets `window.ready`) and `worker.js` (a module Worker running
 * serveTraining). Page code lives in plain .js files because tsx would rewrite functions passed to
 * page.evaluate. `node:` imports stay external: only the Node-only wasm paths reach them,
 * and none runs in a page. Returns the folder; the caller removes it.
 * @example const dir = await neuritePageFolder(); const server = await serveStatic(dir); // page: server.url
 */
export async function neuritePageFolder(): Promise<string> {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'neurite-page-'));
  await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', outfile: join(dir, 'neurite.js'), external: ['node:*'], logLevel: 'error' });
  const scripts = readdirSync(pages).filter((f) => f.endsWith('.js'));
  for (const f of scripts) copyFileSync(join(pages, f), join(dir, f));
  const imports = scripts.map((f, i) => `import * as p${i} from './${f}';`).join('\n');
  const names = scripts.map((f, i) => `${JSON.stringify(f.replace(/-page\.js$|\.js$/, ''))}: p${i}`).join(', ');
  writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>neurite</title><body><input type="file" id="pick" multiple><script type="module">
import * as neurite from './neurite.js';
${imports}
window.neurite = neurite;
window.pages = { ${names} };
window.ready = true;
</script></body>`);
  writeFileSync(join(dir, 'worker.js'), `import { serveTraining } from './neurite.js';\nserveTraining();\n`);
  return dir;
}
