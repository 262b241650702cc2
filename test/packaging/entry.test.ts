// The published package's shape: no node: import reachable from the browser entry, sideEffects that cover every module with side effects, package.json fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>; imports: Record<string, Record<string, string>>; sideEffects: string[];
  scripts: Record<string, string>; files: string[]; main: string; types: string; repository?: unknown; keywords?: string[]; license: string;
};
const builtins = new Set(builtinModules);

/** Every import specifier of a compiled ES module: static imports/exports, side-effect imports, import('…'), require('…'). */
function specifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [/^\s*(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1]!);
  return out;
}

/** `#name` through package.json `imports`, taking the first key among `conditions` as Node and bundlers do. */
function resolveHash(spec: string, conditions: string[]): string {
  const entry = pkg.imports[spec];
  assert.ok(entry, `${spec} is not in package.json imports`);
  const key = Object.keys(entry).find((k) => conditions.includes(k));
  assert.ok(key, `${spec}: no condition among ${conditions.join(', ')}`);
  return join(root, entry[key]!);
}

/** Walks the import graph from `entry`; returns the files reached and every import of a Node builtin (with the importing file). */
function walk(entry: string, conditions: string[]): { files: Set<string>; nodeImports: string[] } {
  const files = new Set<string>();
  const nodeImports: string[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('node:') || builtins.has(spec.split('/')[0]!)) nodeImports.push(`${relative(root, file)} imports ${spec}`);
      else if (spec.startsWith('#')) queue.push(resolveHash(spec, conditions));
      else if (spec.startsWith('.')) queue.push(join(dirname(file), spec));
    }
  }
  return { files, nodeImports };
}

const mainJs = join(root, 'dist/main.js');
const built = existsSync(mainJs) ? undefined : 'dist/ is not built: run `npm run build`';

test('no node: import is reachable from the browser entry (dist/main.js under the browser condition)', { skip: built }, () => {
  const browser = walk(mainJs, ['browser', 'import', 'default']);
  assert.deepEqual(browser.nodeImports, []);
  assert.ok(browser.files.has(join(root, 'dist/backend/wasm/platform-browser.js')), 'the browser platform module is reached');
  assert.ok(browser.files.size > 100, `only ${browser.files.size} files reached: is the walker reading the imports?`);
  // The same walk under the node condition reaches the Node platform: the walker does see node: imports.
  const node = walk(mainJs, ['node', 'import', 'default']);
  assert.ok(node.nodeImports.some((s) => s.startsWith('dist/node/wasm-platform.js imports node:')), node.nodeImports.join('\n'));
  // And the default condition (Deno, workers, unknown hosts) is browser-safe too.
  assert.deepEqual(walk(mainJs, ['import', 'default']).nodeImports, []);
});

/** Source files whose evaluation changes shared state: a top-level call, loop or assignment. */
function sideEffectFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...sideEffectFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
      const statement = /^(?:for|if|while|[A-Za-z_$][\w$.]*\s*(?:\(|=[^=>]|\[))/m;
      const lines = readFileSync(path, 'utf8').split('\n').filter((l) => !/^(?:export|import|const|let|var|function|class|interface|type|async|enum|declare)\b/.test(l));
      if (lines.some((l) => statement.test(l))) found.push(relative(root, path));
    }
  }
  return found;
}

const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/^\.\//, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);

test('package.json sideEffects lists every module with top-level side effects (the entry choosing the default backend), in dist and src', () => {
  const patterns = pkg.sideEffects.map(globToRegExp);
  // Both the published files and the sources (which this repository's own bundles — tests, benchmarks — read).
  const sources = sideEffectFiles(join(root, 'src'));
  const files = [...sources, ...sources.map((f) => f.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'))];
  assert.ok(files.includes('src/main.ts'), files.join(', '));
  const missing = files.filter((f) => !patterns.some((p) => p.test(f)));
  assert.deepEqual(missing, [], 'add these to package.json sideEffects (or move the side effect out of them)');
  // Nothing listed that no longer exists or has no side effect (a stale list keeps dead code in bundles).
  const stale = pkg.sideEffects.filter((g) => !g.includes('*') && !files.includes(g.replace(/^\.\//, '')));
  assert.deepEqual(stale, []);
});

test('package.json: exports (entry, node, wasm files, package.json), LICENSE, repository, no install-time script', () => {
  assert.deepEqual(Object.keys(pkg.exports), ['.', './node', './wasm', './wasm/threads', './wasm/relaxed', './package.json']);
  assert.equal(pkg.exports['./wasm/relaxed'], './dist/wasm/neurite-relaxed.wasm');
  assert.equal(pkg.exports['./wasm'], './dist/wasm/neurite.wasm');
  assert.equal(pkg.exports['./wasm/threads'], './dist/wasm/neurite-threads.wasm');
  assert.equal(pkg.exports['./package.json'], './package.json');
  assert.deepEqual(pkg.exports['.'], { types: './dist/main.d.ts', default: './dist/main.js' });
  assert.equal(pkg.main, './dist/main.js');
  for (const s of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish']) assert.equal(pkg.scripts[s], undefined, `scripts.${s}`);
  assert.match(pkg.scripts.build!, /build-wasm\.mjs && tsc -b/);
  assert.equal(pkg.license, 'MIT');
  assert.match(readFileSync(join(root, 'LICENSE'), 'utf8'), /^MIT License\n[\s\S]*Permission is hereby granted, free of charge/);
  assert.ok(pkg.repository && (pkg.keywords?.length ?? 0) > 0);
  assert.ok(pkg.files.includes('LICENSE'), JSON.stringify(pkg.files));
});

/** Every file under `dir` whose name ends with `suffix`. */
function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix)).map((f) => join(dir, f));
}

test('every shipped source map carries its sources (sourcesContent), so it never points at files the package lacks', { skip: built }, () => {
  const maps = filesUnder(join(root, 'dist'), '.js.map');
  assert.ok(maps.length > 100, `${maps.length} maps`);
  const bad = maps.filter((m) => {
    const map = JSON.parse(readFileSync(m, 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
    return map.sourcesContent?.length !== map.sources.length || map.sourcesContent.some((c) => typeof c !== 'string' || c.length === 0);
  });
  assert.deepEqual(bad.map((m) => relative(root, m)), [], 'run `npm run build` (tsconfig inlineSources)');
});
