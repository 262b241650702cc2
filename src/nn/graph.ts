// Graph: a model from a DAG of named nodes (modules with named inputs, add/concat/multiply merges).
import { checkOptions } from '../core/options.js';
import { Tensor, zeros } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { previewJson } from '../core/limits.js';
import { noGrad } from '../autograd/graph.js';
import { add, mul } from '../ops/elementwise.js';
import { concat } from '../ops/movement.js';
import { ParamsCache } from './containers.js';
import { type Applied, type ApplyContext, Module, type State, childContext, childParams, joinStates, type ModuleJSON, type Params } from './module.js';

/** How a merge node combines its inputs: elementwise sum/product (equal shapes) or concatenation. */
export type MergeKind = 'add' | 'concat' | 'multiply';

/** A node that runs one module on one named input. */
export interface ModuleNode { name: string; module: Module; inputs: readonly string[] }
/** A node that merges two or more named inputs; `axis` is for concat (default -1, the features). */
export interface MergeNode { name: string; merge: MergeKind; inputs: readonly string[]; axis?: number }
export type GraphNode = ModuleNode | MergeNode;

export interface GraphSpec {
  /** Names of the graph's inputs (one for `apply`; several through `applyInputs`). */
  inputs: readonly string[];
  nodes: readonly GraphNode[];
  /** The node (or input) whose value is the graph's output. */
  output: string;
}

/** One row of `Graph.summaryRows`: a node, what it reads, its output shape and parameter count. */
export interface GraphSummaryRow { node: string; op: string; inputs: string[]; shape: number[]; params: number }

const isModuleNode = (n: GraphNode): n is ModuleNode => 'module' in n;

/** Finds one cycle among `names` (each listing its inputs) by depth-first search; [] if none. */
function findCycle(names: string[], inputsOf: Map<string, readonly string[]>): string[] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] => {
    state.set(n, 1);
    stack.push(n);
    for (const m of inputsOf.get(n) ?? []) {
      if (!inputsOf.has(m)) continue;
      if (state.get(m) === 1) return [...stack.slice(stack.indexOf(m)), m];
      if (state.get(m) === undefined) { const c = visit(m); if (c.length) return c; }
    }
    stack.pop();
    state.set(n, 2);
    return [];
  };
  for (const n of names) if (!state.has(n)) { const c = visit(n); if (c.length) return c.reverse(); }
  return [];
}

/** Checks names and references; returns the nodes in a topological order (Kahn's algorithm). */
function topoSort(spec: GraphSpec): GraphNode[] {
  const seen = new Set<string>();
  for (const name of [...spec.inputs, ...spec.nodes.map((n) => n.name)]) {
    if (typeof name !== 'string' || name === '' || name.includes('.')) throw new ArgumentError('Graph', `node and input names must be non-empty strings without ".", got ${JSON.stringify(name)}`);
    if (seen.has(name)) throw new ArgumentError('Graph', `the name "${name}" is used twice; node and input names must be unique`);
    // Names become parameter-tree keys: one that every object inherits ("__proto__", "constructor") would be misread.
    if (name in Object.prototype) throw new ArgumentError('Graph', `the name "${name}" is reserved (every JavaScript object has it); rename the node`);
    seen.add(name);
  }
  if (spec.inputs.length === 0) throw new ArgumentError('Graph', 'the graph needs at least one input name, e.g. inputs: ["x"]');
  const owners = new Map<Module, string>();
  for (const n of spec.nodes) {
    checkNode(n, seen);
    if (!isModuleNode(n) || (n.module.paramSpec().length === 0 && Object.keys(n.module.buffers()).length === 0)) continue;
    const other = owners.get(n.module);
    if (other !== undefined) throw new ArgumentError('Graph', `nodes "${other}" and "${n.name}" use the same module instance; sharing parameters between nodes is not supported, give each node its own module`);
    owners.set(n.module, n.name);
  }
  if (!seen.has(spec.output)) throw new ArgumentError('Graph', `output "${spec.output}" is not a node or input; known: ${[...seen].join(', ')}`);
  const byName = new Map(spec.nodes.map((n) => [n.name, n]));
  const pending = new Map(spec.nodes.map((n) => [n.name, n.inputs.filter((i) => byName.has(i)).length]));
  const order: GraphNode[] = [];
  const ready = spec.nodes.filter((n) => pending.get(n.name) === 0);
  while (ready.length) {
    const n = ready.shift()!;
    order.push(n);
    for (const m of spec.nodes) {
      if (!m.inputs.includes(n.name)) continue;
      const left = pending.get(m.name)! - m.inputs.filter((i) => i === n.name).length;
      pending.set(m.name, left);
      if (left === 0) ready.push(m);
    }
  }
  if (order.length < spec.nodes.length) {
    const rest = spec.nodes.filter((n) => !order.includes(n)).map((n) => n.name);
    const cycle = findCycle(rest, new Map(spec.nodes.map((n) => [n.name, n.inputs])));
    throw new ArgumentError('Graph', `the nodes form a cycle: ${cycle.join(' → ')}; a graph model must be acyclic`);
  }
  checkReachesOutput(spec, byName);
  return order;
}

function checkNode(n: GraphNode, known: Set<string>): void {
  if (!Array.isArray(n.inputs) || n.inputs.length === 0) throw new ArgumentError('Graph', `node "${n.name}" needs a non-empty list of inputs`);
  for (const i of n.inputs) {
    if (!known.has(i)) throw new ArgumentError('Graph', `node "${n.name}" reads "${i}", which is not a node or input; known: ${[...known].join(', ')}`);
  }
  if (isModuleNode(n)) {
    if (!(n.module instanceof Module)) throw new ArgumentError('Graph', `node "${n.name}": module must be a Module instance`);
    if (n.inputs.length !== 1) throw new ArgumentError('Graph', `module node "${n.name}" takes exactly one input, got ${n.inputs.length} (${n.inputs.join(', ')}); merge them first with an add/concat/multiply node`);
  } else {
    if (!['add', 'concat', 'multiply'].includes(n.merge)) throw new ArgumentError('Graph', `node "${n.name}": merge must be add, concat or multiply, got ${JSON.stringify(n.merge)}`);
    if (n.inputs.length < 2) throw new ArgumentError('Graph', `merge node "${n.name}" needs at least two inputs, got ${n.inputs.join(', ')}`);
  }
}

/** Every node must feed the output (an unused node would silently get no gradient). */
function checkReachesOutput(spec: GraphSpec, byName: Map<string, GraphNode>): void {
  const used = new Set<string>();
  const walk = (name: string): void => {
    if (used.has(name)) return;
    used.add(name);
    for (const i of byName.get(name)?.inputs ?? []) walk(i);
  };
  walk(spec.output);
  const dead = [...spec.inputs, ...byName.keys()].filter((n) => !used.has(n));
  if (dead.length) throw new ArgumentError('Graph', `${dead.map((d) => `"${d}"`).join(', ')} do not feed the output "${spec.output}"; connect or remove them`);
}

/** Runs a merge node with shape checks that name the node and its inputs. */
function runMerge(n: MergeNode, xs: Tensor[]): Tensor {
  const shapes = n.inputs.map((name, i) => `"${name}" ${fmtShape(xs[i]!.shape)}`).join(', ');
  if (n.merge === 'concat') {
    const rank = xs[0]!.rank, axis = (n.axis ?? -1) < 0 ? rank + (n.axis ?? -1) : n.axis!;
    const ok = axis >= 0 && axis < rank && xs.every((x) => x.rank === rank && x.shape.every((d, k) => k === axis || d === xs[0]!.shape[k]));
    if (!ok) throw new ShapeError('Graph', `concat node "${n.name}" (axis ${n.axis ?? -1}) needs inputs equal except along that axis, got ${shapes}`);
    return concat(xs, axis);
  }
  if (xs.some((x) => x.shape.join() !== xs[0]!.shape.join())) {
    throw new ShapeError('Graph', `${n.merge} node "${n.name}" needs inputs of equal shape, got ${shapes}`);
  }
  return xs.slice(1).reduce((acc, x) => (n.merge === 'add' ? add(acc, x) : mul(acc, x)), xs[0]!);
}

/**
 * A model whose layers form a directed acyclic graph: skip connections, parallel branches and
 * the lecture's "arbitrary topology" networks. Each node is a module applied to one named value,
 * or a merge of several: add (Σ xᵢ), multiply (∏ xᵢ, elementwise) or concat along an axis.
 * Parameters are keyed by node name (state-dict names `h1.weight`). Nodes are sorted
 * topologically at construction; cycles, unknown names and unused nodes are rejected there, and
 * shape mismatches when the graph runs, with errors naming the nodes. A parameter-free module
 * (ReLU, ...) may serve several nodes; a module with parameters belongs to one node.
 *
 * @example
 * const g = new Graph({ inputs: ['x'], output: 'out', nodes: [
 *   { name: 'h1', module: new Linear(4, 4), inputs: ['x'] },
 *   { name: 'a1', module: new ReLU(), inputs: ['h1'] },
 *   { name: 'skip', merge: 'add', inputs: ['a1', 'x'] },
 *   { name: 'out', module: new Linear(4, 1), inputs: ['skip'] }] });
 * g.forward(x);   // [N, 4] → [N, 1]
 */
export class Graph extends Module {
  readonly inputs: readonly string[];
  readonly output: string;
  /** The nodes in topological (execution) order. */
  readonly order: readonly GraphNode[];

  constructor(spec: GraphSpec) {
    super();
    this.order = topoSort(spec);
    this.inputs = [...spec.inputs];
    this.output = spec.output;
  }

  override children(): [string, Module][] {
    return this.order.filter(isModuleNode).map((n) => [n.name, n.module]);
  }
  private readonly cache = new ParamsCache();
  /** The module nodes' trees by node name (cached: see ParamsCache). */
  override get params(): Params {
    return this.cache.read(this.children());
  }
  override set params(p: Params) {
    for (const [name, c] of this.children()) if (name in p) c.params = childParams(p, name);
  }

  run(params: Params, x: Tensor, ctx: ApplyContext): Applied {
    if (this.inputs.length !== 1) throw new ArgumentError('Graph', `this graph has ${this.inputs.length} inputs (${this.inputs.join(', ')}); call applyInputs(params, { name: tensor, ... })`);
    const states: [string, State][] = [];
    const y = this.runAll(params, { [this.inputs[0]!]: x }, { ctx, states }).get(this.output)!;
    return { y, state: joinStates(ctx, states) };
  }

  /** Runs the graph on named inputs. @example g.applyInputs(g.params, { a: xa, b: xb }) */
  applyInputs(params: Params, feeds: Record<string, Tensor>): Tensor {
    return this.runAll(params, feeds).get(this.output)!;
  }

  /**
   * Every node's output, in execution order (gradient-flow and representation analysis); with `ctx`, the
   * pure form (nothing written back), else the stateful one.
   * @example const { activations } = g.applyWithIntermediates(g.params, x);
   */
  applyWithIntermediates(params: Params, x: Tensor | Record<string, Tensor>, ctx?: ApplyContext): { output: Tensor; activations: [string, Tensor][] } {
    const feeds = x instanceof Tensor ? { [this.inputs[0]!]: x } : x;
    const values = this.runAll(params, feeds, ctx === undefined ? undefined : { ctx, states: [] });
    return { output: values.get(this.output)!, activations: this.order.map((n) => [n.name, values.get(n.name)!]) };
  }

  /** Runs every node; with `pure`, each module purely under its child context, its new state collected. */
  private runAll(params: Params, feeds: Record<string, Tensor>, pure?: { ctx: ApplyContext; states: [string, State][] }): Map<string, Tensor> {
    const values = new Map<string, Tensor>();
    for (const name of this.inputs) {
      const t = feeds[name];
      if (!(t instanceof Tensor)) throw new ArgumentError('Graph', `input "${name}" was not given; pass { ${this.inputs.map((i) => `${i}: tensor`).join(', ')} }`);
      values.set(name, t);
    }
    for (const n of this.order) {
      const xs = n.inputs.map((i) => values.get(i)!);
      if (!isModuleNode(n)) { values.set(n.name, runMerge(n, xs)); continue; }
      try {
        if (pure === undefined) values.set(n.name, n.module.apply(childParams(params, n.name), xs[0]!));
        else {
          const r = n.module.apply(childParams(params, n.name), xs[0]!, childContext(pure.ctx, n.name));
          values.set(n.name, r.y);
          pure.states.push([n.name, r.state]);
        }
      } catch (e) {
        if (!(e instanceof ShapeError || e instanceof ArgumentError)) throw e;
        const E = e instanceof ShapeError ? ShapeError : ArgumentError;
        throw new E('Graph', `node "${n.name}" (${n.module.describe()}) on "${n.inputs[0]}" ${fmtShape(xs[0]!.shape)}: ${e.message}`);
      }
    }
    return values;
  }

  /**
   * A table for `neurite summary`: each node with its op, inputs, output shape (from a dummy
   * batch of two rows of `inputShape`, in eval mode) and parameter count.
   * @example g.summaryRows([4])   // [{ node: 'h1', op: 'Linear(4→4)', inputs: ['x'], shape: [2, 4], params: 20 }, ...]
   */
  summaryRows(inputShape: readonly number[]): GraphSummaryRow[] {
    const feeds = Object.fromEntries(this.inputs.map((i) => [i, zeros([2, ...inputShape])]));
    const values = noGrad(() => this.runAll(this.params, feeds, { ctx: { mode: 'eval', state: this.state }, states: [] }));
    return this.order.map((n) => ({
      node: n.name,
      op: isModuleNode(n) ? n.module.describe() : n.merge === 'concat' ? `concat(axis ${n.axis ?? -1})` : n.merge,
      inputs: [...n.inputs],
      shape: [...values.get(n.name)!.shape],
      params: isModuleNode(n) ? n.module.numParams() : 0,
    }));
  }

  describe(): string {
    return `Graph(${this.order.length} nodes, ${this.inputs.join(',')} → ${this.output})`;
  }

  toJSON(): ModuleJSON {
    return {
      type: 'Graph', inputs: [...this.inputs], output: this.output,
      nodes: this.order.map((n) => (isModuleNode(n)
        ? { name: n.name, inputs: [...n.inputs], module: n.module.toJSON() }
        : { name: n.name, inputs: [...n.inputs], merge: n.merge, ...(n.axis !== undefined ? { axis: n.axis } : {}) })),
    };
  }
}

/**
 * Formats summary rows as a fixed-width text table (node, op, inputs, output shape, params).
 * @example console.log(formatGraphSummary(g.summaryRows([4])))
 */
export function formatGraphSummary(rows: readonly GraphSummaryRow[]): string {
  const line = '─'.repeat(86);
  const head = `${'node'.padEnd(14)}${'op'.padEnd(24)}${'inputs'.padEnd(20)}${'output shape'.padEnd(16)}${'params'.padStart(12)}`;
  const body = rows.map((r) => `${r.node.padEnd(14)}${r.op.padEnd(24)}${r.inputs.join(', ').padEnd(20)}${`[N, ${r.shape.slice(1).join(', ')}]`.padEnd(16)}${r.params.toLocaleString('en-US').padStart(12)}`);
  return [head, line, ...body].join('\n');
}

/** Rebuilds a Graph from its toJSON() (nested modules through `build`). @example graphFromJSON(g.toJSON(), moduleFromJSON) */
export function graphFromJSON(j: ModuleJSON, build: (j: ModuleJSON) => Module): Graph {
  const where = (f: string): string => `Graph.${f}`;
  checkOptions('moduleFromJSON: Graph', j, ['type', 'inputs', 'nodes', 'output']);
  if (!Array.isArray(j.inputs) || !j.inputs.every((i) => typeof i === 'string')) throw new ArgumentError('moduleFromJSON', `${where('inputs')}: expected a list of names, got ${previewJson(j.inputs)}`);
  if (typeof j.output !== 'string') throw new ArgumentError('moduleFromJSON', `${where('output')}: expected a node name, got ${previewJson(j.output)}`);
  if (!Array.isArray(j.nodes)) throw new ArgumentError('moduleFromJSON', `${where('nodes')}: expected a list of nodes, got ${previewJson(j.nodes)}`);
  const nodes = (j.nodes as Record<string, unknown>[]).map((n, k): GraphNode => {
    if (typeof n !== 'object' || n === null || typeof n.name !== 'string' || !Array.isArray(n.inputs) || !n.inputs.every((i) => typeof i === 'string')) {
      throw new ArgumentError('moduleFromJSON', `${where(`nodes[${k}]`)}: expected { name, inputs: [names], module | merge }, got ${previewJson(n)}`);
    }
    checkOptions(`moduleFromJSON: ${where(`nodes[${k}]`)} ("${n.name}")`, n, n.module !== undefined ? ['name', 'inputs', 'module'] : ['name', 'inputs', 'merge', 'axis']);
    const inputs = n.inputs as string[];
    if (n.module !== undefined) return { name: n.name, inputs, module: build(n.module as ModuleJSON) };
    if (n.merge !== undefined) return { name: n.name, inputs, merge: n.merge as MergeKind, ...(typeof n.axis === 'number' ? { axis: n.axis } : {}) };
    throw new ArgumentError('moduleFromJSON', `${where(`nodes[${k}]`)} ("${n.name}"): needs a "module" or a "merge" field`);
  });
  return new Graph({ inputs: j.inputs as string[], nodes, output: j.output });
}

