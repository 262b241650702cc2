// The runtime import graph of src/: parses TypeScript import/export statements with relative specifiers
// and finds cycles between files and between top-level folders (used by test/architecture/import-cycles).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** One static import or re-export: the specifier and whether only types cross it (erased by tsc). */
export interface ImportEdge { specifier: string; typeOnly: boolean }

// `import x from '…'`, `import { a, type B } from '…'`, `export * as n from '…'`, `export { a } from '…'`
// at the start of a line; the clause holds no quote or semicolon, so a match never spans two statements.
const FROM = /^[ \t]*(import|export)\s+([^;'"]*?)\s*from\s*['"]([^'"]+)['"]/gm;
const BARE = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;

/** True when the clause brings in types only (`type X`, `{ type A, type B }`): no load-time dependency. */
function typeOnlyClause(clause: string): boolean {
  if (/^type\s/.test(clause)) return true;
  const braces = /^\{([^}]*)\}$/.exec(clause.trim());
  if (!braces) return false;
  const items = braces[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.length > 0 && items.every((s) => /^type\s/.test(s));
}

/**
 * The static imports and re-exports of one TypeScript source text.
 * @example parseImports("import type { T } from './t.js';\nimport './side.js';") // [{ './t.js', typeOnly: true }, { './side.js', typeOnly: false }]
 */
export function parseImports(source: string): ImportEdge[] {
  const out: ImportEdge[] = [];
  for (const m of source.matchAll(FROM)) out.push({ specifier: m[3]!, typeOnly: typeOnlyClause(m[2]!) });
  for (const m of source.matchAll(BARE)) out.push({ specifier: m[1]!, typeOnly: false });
  return out;
}

/** Every .ts file under `dir`, as paths relative to `root` with forward slashes. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...sourceFiles(root, p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

/** File → files it needs at load time (relative specifiers only; type-only edges dropped). Unresolvable specifiers are reported. */
export function runtimeGraph(root: string, dir: string): { graph: Map<string, string[]>; unresolved: string[] } {
  const graph = new Map<string, string[]>(), unresolved: string[] = [];
  for (const file of sourceFiles(root, dir)) {
    const deps: string[] = [];
    for (const e of parseImports(readFileSync(join(root, file), 'utf8'))) {
      if (!e.specifier.startsWith('.') || e.typeOnly) continue;
      const target = relative(root, join(root, dirname(file), e.specifier.replace(/\.js$/, '.ts'))).split(sep).join('/');
      if (!existsSync(join(root, target))) unresolved.push(`${file}: ${e.specifier}`);
      else deps.push(target);
    }
    graph.set(file, deps);
  }
  return { graph, unresolved };
}

/** The graph with each file replaced by its top-level folder under `dir` (`src/nn/x.ts` → `nn`, `src/index.ts` → `(root)`). */
export function folderGraph(graph: Map<string, string[]>, dir: string): Map<string, string[]> {
  const folder = (f: string): string => { const parts = f.slice(dir.length + 1).split('/'); return parts.length > 1 ? parts[0]! : '(root)'; };
  const out = new Map<string, Set<string>>();
  for (const [f, deps] of graph) {
    const set = out.get(folder(f)) ?? new Set<string>();
    for (const d of deps) if (folder(d) !== folder(f)) set.add(folder(d));
    out.set(folder(f), set);
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

/**
 * Every cycle group (strongly connected set of 2+ nodes, or a node importing itself), each written as one
 * concrete cycle `a → b → … → a` through all of its members' shortest links.
 * @example findCycles(new Map([['a', ['b']], ['b', ['a']]])) // ['a → b → a']
 */
export function findCycles(graph: Map<string, readonly string[]>): string[] {
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
  const groups: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++; stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do { w = stack.pop()!; on.delete(w); group.push(w); } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return groups.map((g) => cycleThrough(graph, g));
}

/** A shortest cycle from the group's first member back to itself, staying inside the group. */
function cycleThrough(graph: Map<string, readonly string[]>, group: string[]): string {
  const inside = new Set(group), start = group[0]!, prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0]!)!);
        return `${[...path, start].join(' → ')} (group of ${group.length}: ${group.join(', ')})`;
      }
      if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return group.join(', ');
}
