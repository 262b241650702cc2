// No import cycle in src/: between files, and between top-level folders (core, ops, autograd, nn, …).
// Only load-time edges count: `import type` / `{ type X }` clauses are erased by tsc and order nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { findCycles, folderGraph, parseImports, runtimeGraph } from '../helpers/import-graph.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('parseImports: value, type-only, mixed, bare and re-export statements', () => {
  const src = [
    "import { a } from './a.js';", "import type { B } from './b.js';", "import { type C, d } from './cd.js';",
    "import { type E, type F } from './ef.js';", "import './side.js';", "export * as n from './n/index.js';",
    "export type { G } from './g.js';", "import {\n  h,\n  i,\n} from './hi.js';", " * import { x } from './in-a-comment.js'",
  ].join('\n');
  assert.deepEqual(parseImports(src).map((e) => `${e.specifier}:${e.typeOnly}`), [
    './a.js:false', './b.js:true', './cd.js:false', './ef.js:true', './n/index.js:false', './g.js:true', './hi.js:false', './side.js:false',
  ]);
});

test('findCycles lists every cycle group with a concrete path, and nothing for a DAG', () => {
  const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['d']], ['e', ['a']]]);
  assert.deepEqual(findCycles(g), ['a → b → c → a (group of 3: a, b, c)', 'd → d (group of 1: d)']);
  assert.deepEqual(findCycles(new Map([['a', ['b']], ['b', []]])), []);
});

test('src/ has no file-level import cycle and every relative import resolves', () => {
  const { graph, unresolved } = runtimeGraph(root, 'src');
  assert.ok(graph.size > 100, `expected the source files of src/, found ${graph.size}`);
  assert.deepEqual(unresolved, [], 'relative imports that point at no file');
  const cycles = findCycles(graph);
  assert.deepEqual(cycles, [], `file-level import cycles in src/:\n${cycles.join('\n')}`);
});

test('src/ has no folder-level import cycle (core ← ops ← autograd ← tensor ← nn ← heads/losses ← train ← analysis …)', () => {
  const cycles = findCycles(folderGraph(runtimeGraph(root, 'src').graph, 'src'));
  assert.deepEqual(cycles, [], `folder-level import cycles in src/:\n${cycles.join('\n')}`);
});
