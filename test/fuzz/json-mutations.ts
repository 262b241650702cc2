// Seeded structural mutations of a valid JSON document, as text (what a buggy tool, a hand edit or an
// attacker makes of model.json or a config): deletions, type swaps, huge numbers, prototype keys,
// duplicated list items, hostile values and deep nesting (built as text, so no stack is needed).
import fc from 'fast-check';

export type MutationKind = 'delete' | 'replace' | 'swapType' | 'huge' | 'protoKey' | 'duplicate' | 'deepNest';

export interface Mutation {
  kind: MutationKind;
  /** Which node (index into the document's nodes, modulo their count). */
  at: number;
  value: unknown;
  protoKey: string;
  depth: number;
}

const HOSTILE = [1e9, 1e12, 2 ** 31, 2 ** 53, 1e308, -1, -1e9, 0, 0.5, -0, '', 'x', null, true, false, [], {}, [1e9, 1e9],
  'constructor', '__proto__', 'toString', 'hasOwnProperty', 'Linear', 'Sequential', 'F32', 'I32', 'F16', 'relu', 'multiclass'];
const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

/** One mutation. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<MutationKind>('delete', 'replace', 'replace', 'swapType', 'huge', 'protoKey', 'duplicate', 'deepNest'),
  at: fc.nat(),
  value: fc.oneof(fc.constantFrom(...HOSTILE), fc.jsonValue({ maxDepth: 2 })),
  protoKey: fc.constantFrom(...PROTO_KEYS),
  depth: fc.constantFrom(70, 1000, 100000),
});

/** One to three mutations. */
export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 3 });

type Container = Record<string, unknown> | unknown[];
const DEEP = '\u0000DEEP';

function nodes(root: unknown): [Container, string | number][] {
  const out: [Container, string | number][] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) v.forEach((c, i) => { out.push([v, i]); stack.push(c); });
    else for (const [k, c] of Object.entries(v)) { out.push([v as Record<string, unknown>, k]); stack.push(c); }
  }
  return out;
}

function swapType(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return Number.isNaN(Number(v)) ? [v] : Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v)) return Object.fromEntries(Array.from(v, (x, i) => [String(i), x]));
  if (v !== null && typeof v === 'object') return Object.values(v);
  return {};
}

function setOwn(obj: Container, key: string | number, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function apply(root: unknown, m: Mutation, deep: Map<string, number>): void {
  const all = nodes(root);
  if (all.length === 0) return;
  const [parent, key] = all[m.at % all.length]!;
  const node = (parent as Record<string | number, unknown>)[key];
  switch (m.kind) {
    case 'delete': if (Array.isArray(parent)) parent.splice(key as number, 1); else delete parent[key as string]; return;
    case 'replace': return setOwn(parent, key, m.value);
    case 'swapType': return setOwn(parent, key, swapType(node));
    case 'huge': return setOwn(parent, key, typeof node === 'number' ? [1e9, 1e12, 2 ** 31, 1e308, -1e9, 1.5][m.at % 6] : m.value);
    case 'protoKey': {
      const target = typeof node === 'object' && node !== null && !Array.isArray(node) ? node as Container : parent;
      return Array.isArray(target) ? setOwn(parent, key, { [m.protoKey]: m.value }) : setOwn(target, m.protoKey, m.value); // JSON arrays hold no keys
    }
    case 'duplicate': if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(node)); else setOwn(parent, key, [node, node]); return;
    case 'deepNest': {
      const mark = `${DEEP}${deep.size}`;
      deep.set(mark, m.depth);
      return setOwn(parent, key, mark);
    }
  }
}

/** The JSON text of `base` after the mutations (deep nesting is spliced in as text). */
export function mutateJson(base: unknown, mutations: readonly Mutation[]): string {
  const doc = structuredClone(base);
  const deep = new Map<string, number>();
  for (const m of mutations) apply(doc, m, deep);
  let text = JSON.stringify(doc);
  for (const [mark, depth] of deep) text = text.replace(JSON.stringify(mark), '['.repeat(depth) + ']'.repeat(depth));
  return text;
}
