// Every `@example` in src/**/*.ts type-checks: each becomes a module importing the names it uses from
// its own source file, 'neurite' or 'neurite/node', and ONE tsc program checks them all, so an example
// calling a function that does not exist (or with the wrong arguments) fails CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Names examples may use for the values around them (a model, a batch, a run's output stream): declared
 * `any`, so the library calls made on them are still checked by name and argument count.
 */
const PLACEHOLDERS = [
  'options', 'bigJob', 'model', 'module', 'x', 'y', 'xb', 'yb', 'z', 'a', 'b', 'c', 'w', 'h', 'g', 'net', 'head', 'opt', 'optimizer', 'params', 'grads',
  'state', 'bundle', 'io', 'cfg', 'split', 'spec', 'result', 'images', 'logits', 'labels', 'table', 'schema', 'hyper', 'target', 'ctx', 'log',
  'history', 'callbacks', 'bytes', 'file', 'dir', 'text', 'rows', 'res', 'scaler', 'values', 'pred', 'probs', 'plan', 'page', 'board', 'run',
  'loss', 'seq', 'tokens', 'weights', 'inputs', 'batch', 'emb', 'yTrue', 'yPred', 'scores', 'feats', 'layer', 'layers', 'ds', 'loader',
  'trainX', 'trainY', 'testX', 'testY', 'xTrain', 'yTrain', 'xTest', 'yTest', 'xv', 'yv', 'xa', 'x0', 'y0', 'v0', 'm0', 'v', 'm', 'n', 'k', 'l',
  'j', 'p', 'pa', 'pb', 'w2', 'rng', 'shuffleRng', 'saved', 'out', 'json', 'header', 'features', 'cols', 'total', 'tokenizer', 'raw', 'ens',
  'builder', 'geometry', 'tanhNet', 'sigNet', 'xGrid', 'valLoss', 'updates', 'tx', 'trainIdx', 'tpr', 'fpr', 'taskLoss', 'dataLoss', 'step',
  'stat', 'src', 'snap', 'paramsA', 'paramsB', 'otherParams', 'owned', 'outputs', 'opts', 'modelJson', 'metric', 'memory', 'lr', 'logp',
  'labelsPlusMinus1', 'instance', 'index', 'hyperOutput', 'hidden', 'hTest', 'generated', 'decoded', 'csvText', 'config', 'chunk', 'cb',
  'buf', 'bias', 'base', 'arena', 'title', 'classNames', 'source', 'data', 'train', 'metrics', 'test', 'relu', 'lstm', 'conv', 'build',
  'save', 'plateau', 'limits', 'composeInstead', 'Square', 'exports',
];

/** node:fs and node:path names Node-side examples use without importing them. */
const NODE_FS = new Set(['readFileSync', 'writeFileSync', 'mkdirSync', 'existsSync', 'rmSync']);
const NODE_PATH = new Set(['join', 'dirname', 'resolve']);

interface Example { file: string; line: number; code: string }

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []));
}

/** The `@example` blocks of one file: from the tag to the next tag or the end of the comment. */
function examplesOf(file: string): Example[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const at = lines[i]!.indexOf('@example');
    if (at < 0 || !/^\s*(\/\*\*|\*)/.test(lines[i]!)) continue;
    const body: string[] = [];
    let rest = lines[i]!.slice(at + '@example'.length);
    for (let j = i; ; j++) {
      if (j > i) rest = lines[j]!.replace(/^\s*\*( |$)/, '');
      const end = rest.indexOf('*/');
      if (j > i && /^\s*@\w/.test(rest)) break;
      body.push(end >= 0 ? rest.slice(0, end) : rest);
      if (end >= 0 || j + 1 >= lines.length) break;
    }
    out.push({ file, line: i + 1, code: body.join('\n').trim() });
  }
  return out;
}

/** Names an example declares itself (const/let/var/function/class, destructured too): never imported. */
function declaredNames(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/\b(?:const|let|var|function|class)\s+(\{[^}]*\}|\[[^\]]*\]|[A-Za-z_$][\w$]*)/g)) {
    out.push(...(m[1]!.match(/[A-Za-z_$][\w$]*(?=\s*(?:[,}\]=]|$))/g) ?? []));
  }
  for (const m of code.matchAll(/\(([\w$,\s]*)\)\s*=>|\b([A-Za-z_$][\w$]*)\s*=>/g)) out.push(...((m[1] ?? m[2] ?? '').match(/[A-Za-z_$][\w$]*/g) ?? []));
  return out;
}

const exportCache = new Map<string, Set<string>>();

/** Runtime export names of a module (values); types come from `export interface|type` lines. */
async function exportNames(file: string): Promise<Set<string>> {
  const cached = exportCache.get(file);
  if (cached) return cached;
  const names = new Set(Object.keys(await import(file) as object));
  for (const m of readFileSync(file, 'utf8').matchAll(/^export (?:declare )?(?:interface|type|class|enum|abstract class) (\w+)/gm)) names.add(m[1]!);
  exportCache.set(file, names);
  return names;
}

test('every JSDoc @example in src/ type-checks (one tsc program over all of them)', async () => {
  const files = sourceFiles(join(root, 'src')).filter((f) => !f.includes('/assembly/'));
  const examples = files.flatMap(examplesOf).filter((e) => e.code !== '');
  // Any other name exported somewhere in src/ comes from the first module that exports it.
  const anywhere = new Map<string, Set<string>>();
  for (const f of files.filter((f) => !f.includes('/assembly/'))) {
    for (const n of await exportNames(f)) if (!anywhere.has(n)) anywhere.set(n, new Set([f]));
  }
  assert.ok(examples.length > 300, `found ${examples.length} examples`);
  const publicApi = await exportNames(join(root, 'src/index.ts'));
  const nodeApi = await exportNames(join(root, 'src/node/index.ts'));
  const tmp = mkdtempSync(join(tmpdir(), 'neurite-examples-'));
  try {
    writeFileSync(join(tmp, 'package.json'), '{"type":"module"}');
    writeFileSync(join(tmp, 'placeholders.d.ts'), PLACEHOLDERS.map((p) => `declare var ${p}: any;`).join('\n') + '\n');
    const byFile = new Map<string, Example>();
    for (const [k, e] of examples.entries()) {
      const own = await exportNames(e.file);
      const folderIndex = join(dirname(e.file), 'index.ts');
      const sibling = folderIndex !== e.file && existsSync(folderIndex) ? await exportNames(folderIndex) : new Set<string>();
      // One left-to-right pass, so a `//` inside a string ('https://…') is not taken for a comment.
      const code = e.code.replace(/'[^'\n]*'|"[^"\n]*"|\/\/.*$/gm, (m) => (m.startsWith('//') ? '' : "''"));
      const used = new Set(code.match(/[A-Za-z_$][\w$]*/g) ?? []);
      for (const n of [...declaredNames(code), ...PLACEHOLDERS]) used.delete(n);
      const imports: string[] = [];
      if (!/^\s*import /m.test(e.code)) {
        // Each name from the first source that has it: the example's own module, its folder, the public API, node.
        const sources: [Set<string>, string][] = [[own, e.file.replace(/\.ts$/, '.js')], [sibling, folderIndex.replace(/\.ts$/, '.js')], [publicApi, 'neurite'], [nodeApi, 'neurite/node'], [NODE_FS, 'node:fs'], [NODE_PATH, 'node:path']];
        const taken = new Set<string>();
        for (const [names, from] of sources) {
          const pick = [...used].filter((n) => names.has(n) && !taken.has(n));
          pick.forEach((n) => taken.add(n));
          if (pick.length) imports.push(`import { ${pick.join(', ')} } from '${from}';`);
        }
        for (const n of [...used].filter((n) => !taken.has(n) && anywhere.has(n))) imports.push(`import { ${n} } from '${[...anywhere.get(n)!][0]!.replace(/\.ts$/, '.js')}';`);
      }
      const name = `ex${k}.ts`;
      writeFileSync(join(tmp, name), `${imports.join('\n')}\nexport {};\n${e.code}\n`);
      byFile.set(name, e);
    }
    writeFileSync(join(tmp, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, skipLibCheck: true,
        types: ['node'], typeRoots: [join(root, 'node_modules/@types')],
        paths: { neurite: [join(root, 'src/index.ts')], 'neurite/node': [join(root, 'src/node/index.ts')] },
      },
      include: ['*.ts'],
    }));
    let output = '';
    try {
      execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', tmp], { cwd: tmp, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? '') + String((e as { stderr?: string }).stderr ?? '');
    }
    const failures = output.split('\n').map((l) => /^(ex\d+\.ts)\((\d+),\d+\): error (TS\d+: .*)$/.exec(l)).filter((m) => m !== null).map((m) => {
      const e = byFile.get(m[1]!)!;
      return `${relative(root, e.file)}:${e.line}: ${m[3]}\n    ${e.code.split('\n').join('\n    ')}`;
    });
    const other = output.split('\n').filter((l) => l.trim() !== '' && !/^ex\d+\.ts\(/.test(l) && !/^\s/.test(l));
    assert.deepEqual(other, [], 'tsc reported errors outside the examples');
    assert.equal(failures.length, 0, `${failures.length} @example blocks do not type-check:\n${failures.join('\n')}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
