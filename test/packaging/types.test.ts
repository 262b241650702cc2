// The published type declarations compile in a project with lib es2022, no DOM, no @types/node and skipLibCheck off.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = join(root, 'node_modules/.bin/tsc');
const skip = existsSync(join(root, 'dist/main.d.ts')) ? undefined : 'dist/ is not built: run `npm run build`';
const dir = mkdtempSync(join(tmpdir(), 'neurite-types-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const consumer = `import { nn, data, fit, ready, initWasmBackend, multiclassHead, Optimizer, adam, type BackendStatus, type WasmSource } from 'neurite';
const status: Promise<BackendStatus> = ready();
const source: WasmSource = { url: '/neurite.wasm' };
const model = nn.mlp({ sizes: [2, 8, 3], seed: 1 });
const { x, y } = data.makeSpiral({ n: 30, k: 3, seed: 1 });
fit({ model, head: multiclassHead({ numClasses: 3 }), optimizer: new Optimizer(adam({ lr: 0.01 }), model), x, y, epochs: 1 });
void status; void initWasmBackend(source);
`;

for (const moduleResolution of ['NodeNext', 'Bundler'] as const) {
  test(`the package's .d.ts compile under lib es2022 without DOM, types [], skipLibCheck false (moduleResolution ${moduleResolution})`, { skip }, () => {
    const project = join(dir, moduleResolution);
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(root, join(project, 'node_modules/neurite'), 'dir');
    writeFileSync(join(project, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(project, 'app.ts'), consumer);
    const module = moduleResolution === 'Bundler' ? 'ESNext' : 'NodeNext';
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['ES2022'], types: [], module, moduleResolution, strict: true, skipLibCheck: false, noEmit: true },
      files: ['app.ts'],
    }));
    const r = spawnSync(tsc, ['-p', project], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `tsc reported:\n${r.stdout}${r.stderr}`);
  });
}
