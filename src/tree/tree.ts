// Parameter trees: nested records/arrays of tensors, walked in a fixed order with PyTorch-style
// dotted paths ("0.weight"). Flatten/unflatten, map, leaves, replaceAt, counts and specs.
import { Tensor } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { sizeOf } from '../core/shape.js';
import { concat, narrow, reshape } from '../ops/movement.js';

/**
 * A module's parameters: a record of tensors and child records (PyTorch-style dotted names). Modules
 * narrow it (`Linear`'s is `{ weight: Tensor; bias?: Tensor }`), so `layer.params.weight` is a Tensor.
 */
export type Params = { [key: string]: Tensor | Params };

/** A tensor, or a record or array of trees. */
export type ParamTree = Tensor | { readonly [key: string]: ParamTree } | readonly ParamTree[];

/** Name and shape of one leaf; a list of these is a module's `paramSpec()`. */
export interface LeafSpec {
  readonly path: string;
  readonly shape: readonly number[];
}

/**
 * Leaves with their dotted paths, in insertion order (depth first).
 * @example entries({ weight: w, bias: b })   // [['weight', w], ['bias', b]]
 */
export function entries(tree: ParamTree, prefix = ''): [string, Tensor][] {
  if (tree instanceof Tensor) return [[prefix, tree]];
  const out: [string, Tensor][] = [];
  const keys = Array.isArray(tree) ? tree.map((_, i) => String(i)) : Object.keys(tree);
  for (const k of keys) {
    const child = (tree as Record<string, ParamTree>)[k]!;
    out.push(...entries(child, prefix === '' ? k : `${prefix}.${k}`));
  }
  return out;
}

/** The tensors of a tree in order (appended to `out` when given). @example leaves(model.params).length */
export function leaves(tree: ParamTree, out: Tensor[] = []): Tensor[] {
  // The same depth-first order as `entries`, without building the dotted paths.
  if (tree instanceof Tensor) {
    out.push(tree);
    return out;
  }
  if (Array.isArray(tree)) for (const c of tree as readonly ParamTree[]) leaves(c, out);
  else for (const k of Object.keys(tree)) leaves((tree as Record<string, ParamTree>)[k]!, out);
  return out;
}

/** Names and shapes of the leaves. @example spec(model.params) */
export function spec(tree: ParamTree): LeafSpec[] {
  return entries(tree).map(([path, t]) => ({ path, shape: t.shape }));
}

/** Total number of scalars in the tree (or in a spec list). @example count(model.params) // 79510 */
export function count(tree: ParamTree | readonly LeafSpec[]): number {
  const specs = Array.isArray(tree) && (tree.length === 0 || !(tree[0] instanceof Tensor)) && !(tree as ParamTree[]).some((t) => t instanceof Tensor)
    ? (tree as LeafSpec[])
    : spec(tree as ParamTree);
  return specs.reduce((n, s) => n + sizeOf(s.shape), 0);
}

/**
 * A tree of the same structure with every leaf mapped.
 * @example map(params, (t) => t.mul(0.5))
 */
export function map<T extends ParamTree>(tree: T, fn: (t: Tensor, path: string) => Tensor, prefix = ''): T {
  if (tree instanceof Tensor) return fn(tree, prefix) as T;
  const sub = (k: string): string => (prefix === '' ? k : `${prefix}.${k}`);
  if (Array.isArray(tree)) return tree.map((c, i) => map(c as ParamTree, fn, sub(String(i)))) as unknown as T;
  // Object.fromEntries defines own keys, so a "__proto__" key (e.g. from a file) stays a key.
  return Object.fromEntries(Object.entries(tree).map(([k, c]) => [k, map(c as ParamTree, fn, sub(k))])) as T;
}

/** Maps two trees of the same structure leaf by leaf. @example map2(params, grads, (p, g) => p.sub(g.mul(lr))) */
export function map2<T extends ParamTree>(a: T, b: ParamTree, fn: (x: Tensor, y: Tensor, path: string) => Tensor): T {
  const bl = new Map(entries(b));
  return map(a, (x, path) => {
    const y = bl.get(path);
    if (y === undefined) throw new ArgumentError('tree.map2', `second tree has no leaf at "${path}"`);
    return fn(x, y, path);
  });
}

/** A copy of the tree with the leaf at `path` replaced. @example replaceAt(params, '0.weight', w2) */
export function replaceAt<T extends ParamTree>(tree: T, path: string, value: Tensor): T {
  let found = false;
  const out = map(tree, (t, p) => {
    if (p !== path) return t;
    found = true;
    if (t.shape.join() !== value.shape.join()) throw new ShapeError('tree.replaceAt', `"${path}" has shape ${fmtShape(t.shape)}, replacement has ${fmtShape(value.shape)}`);
    return value;
  });
  if (!found) throw new ArgumentError('tree.replaceAt', `no leaf at "${path}"; leaves are ${entries(tree).map(([p]) => p).join(', ')}`);
  return out;
}

/**
 * Concatenates all leaves into one 1-D tensor (differentiable), in `entries` order.
 * @example const v = flatten(params); v.shape  // [count(params)]
 */
export function flatten(tree: ParamTree): Tensor {
  const ls = leaves(tree);
  if (ls.length === 0) throw new ArgumentError('tree.flatten', 'the tree has no leaves');
  return concat(ls.map((t) => reshape(t, [t.size])), 0);
}

/**
 * Cuts a 1-D vector into a tree of `specs` (inverse of `flatten`). The pieces are views of the
 * vector's storage (no copy), and gradients flow back into the vector — this is how a
 * hypernetwork's output becomes a target network's parameters.
 * @example const params = unflatten(model.paramSpec(), hyperOutput);
 */
export function unflatten(specs: readonly LeafSpec[], vector: Tensor): Params {
  const total = count(specs);
  if (vector.rank !== 1 || vector.size !== total) {
    throw new ShapeError('tree.unflatten', `vector of shape ${fmtShape(vector.shape)} does not hold the ${total} values the spec needs`);
  }
  const root: Params = {};
  let offset = 0;
  for (const s of specs) {
    const n = sizeOf(s.shape);
    setPath(root, s.path, reshape(narrow(vector, 0, offset, n), s.shape));
    offset += n;
  }
  return root;
}

/**
 * Sets `root[a][b]… = value` along a dotted path, creating records on the way. Own properties only,
 * defined (not assigned): a name such as "__proto__" or "constructor" from a file is an ordinary key
 * and can never reach Object.prototype.
 * @example const root = {}; setPath(root, '0.weight', w); // { '0': { weight: w } }
 */
export function setPath(root: Params, path: string, value: Tensor): void {
  const parts = path.split('.');
  let node = root;
  for (const p of parts.slice(0, -1)) {
    if (!Object.hasOwn(node, p)) Object.defineProperty(node, p, { value: {}, enumerable: true, writable: true, configurable: true });
    const next = node[p];
    if (next instanceof Tensor) throw new ArgumentError('tree.setPath', `"${path}" goes through "${p}", which is a tensor, not a record`);
    node = next!;
  }
  Object.defineProperty(node, parts[parts.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

/** Builds a tree from dotted-path entries (e.g. a state dict). @example fromEntries([['0.weight', w]]) */
export function fromEntries(items: Iterable<[string, Tensor]>): Params {
  const root: Params = {};
  for (const [p, t] of items) setPath(root, p, t);
  return root;
}
