// ONNX export rules of the containers: Sequential, Residual, Graph with add/concat/multiply merges.
import { Residual, Sequential } from '../../nn/containers.js';
import { Graph, type GraphNode, type MergeNode } from '../../nn/graph.js';
import { childParams } from '../../nn/module.js';
import type { OnnxGraphBuilder, Value } from './builder.js';
import type { AddRule } from './exporters.js';

const join = (path: string, name: string): string => (path ? `${path}.${name}` : name);



/** A merge node: Add/Mul chained left to right (the order neurite sums in), or one Concat. */
function merge(b: OnnxGraphBuilder, n: MergeNode, xs: Value[], path: string): string {
  const stem = join(path, n.name);
  if (n.merge === 'concat') {
    const rank = xs[0]!.shape.length, axis = n.axis ?? -1;
    return b.node('Concat', xs.map((v) => v.name), { axis: axis < 0 ? axis + rank : axis }, stem)[0]!;
  }
  const op = n.merge === 'add' ? 'Add' : 'Mul';
  return xs.slice(1).reduce((acc, v) => b.node(op, [acc, v.name], {}, stem)[0]!, xs[0]!.name);
}

/** The shape a merge gives: its inputs' (add, multiply) or their sizes summed along the axis (concat). */
function mergedShape(n: MergeNode, xs: Value[]): number[] {
  const shape = [...xs[0]!.shape];
  if (n.merge !== 'concat') return shape;
  const axis = (n.axis ?? -1) < 0 ? shape.length + (n.axis ?? -1) : n.axis!;
  shape[axis] = xs.reduce((s, v) => s + v.shape[axis]!, 0);
  return shape;
}

// Single-input graphs only: the shape probe (exporters.ts) already refuses a graph with several inputs.

/**
 * Adds the export rules of Sequential, Residual, Graph to a rule table (exporters.ts builds the table from these lists, so
 * no import is needed for its side effects).
 * @example addContainerRules((ctor, rule) => table.set(ctor, rule));
 */
export function addContainerRules(add: AddRule): void {
  add(Sequential, (m, params, x, path, ctx) => {
    let h = x;
    m.layers.forEach((layer, i) => (h = ctx.emit(layer, childParams(params, String(i)), h, join(path, String(i)))));
    return h.name;
  });
  add(Residual, (m, params, x, path, ctx) => {
    const fx = ctx.emit(m.body, childParams(params, 'body'), x, join(path, 'body'));
    return ctx.b.node('Add', [x.name, fx.name], {}, path)[0]!;
  });
  add(Graph, (m, params, x, path, ctx) => {
    const values = new Map<string, Value>([[m.inputs[0]!, x]]);
    for (const n of m.order as GraphNode[]) {
      const xs = n.inputs.map((i) => values.get(i)!);
      if ('module' in n) values.set(n.name, ctx.emit(n.module, childParams(params, n.name), xs[0]!, join(path, n.name)));
      else values.set(n.name, { name: merge(ctx.b, n, xs, path), shape: mergedShape(n, xs) });
    }
    return values.get(m.output)!.name;
  });
}
