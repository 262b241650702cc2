// HyperNetwork export: by default its target with the weights generated for one condition (a plain
// model); with `hypernet: 'graph'` the whole hypernetwork — task embedding (or z = 0), chunk embeddings,
// generator, hyperfan scales and the cut into the target's parameters — as ONNX nodes over the
// hypernet's own state-dict initializers, feeding the target's nodes.
import { type Tensor, zeros } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/graph.js';
import { childParams, type Params } from '../../nn/module.js';
import { HyperNetwork } from '../../hyper/hypernet.js';
import type { OnnxGraphBuilder } from './builder.js';
import type { ExportContext, AddRule } from './exporters.js';

const join = (path: string, name: string): string => (path ? `${path}.${name}` : name);

/** The generated vector w = s ⊙ g(c) as a value [1, P]. */
function generatedVector(m: HyperNetwork, params: Params, path: string, task: number, ctx: ExportContext): string {
  const { b } = ctx, c = m.opts.condition, stem = join(path, 'hyper');
  const cond = c.kind === 'task'
    ? b.node('Gather', [ctx.param(path, 'taskEmbeddings', params.taskEmbeddings as Tensor), b.ints(`${stem}/task`, [task])], { axis: 0 }, stem)[0]!
    : b.floats(`${stem}/z`, new Array<number>(c.dim).fill(0), [1, c.dim]);
  let input = cond, shape = [1, c.dim];
  if (m.plan) {
    const ce = params.chunkEmbeddings as Tensor, [chunks, e] = ce.shape as [number, number];
    const rep = b.node('Expand', [cond, b.ints(`${stem}/chunks`, [chunks, c.dim])], {}, stem)[0]!;
    input = b.node('Concat', [rep, ctx.param(path, 'chunkEmbeddings', ce)], { axis: 1 }, stem)[0]!;
    shape = [chunks, c.dim + e];
  }
  let w = ctx.emit(m.generator, childParams(params, 'generator'), { name: input, shape }, join(path, 'generator')).name;
  if (m.plan) {
    w = b.node('Reshape', [w, b.ints(`${stem}/flat`, [1, m.plan.chunks * m.plan.size])], {}, stem)[0]!;
    if (m.plan.padding > 0) w = b.node('Slice', [w, b.ints(`${stem}/from`, [0]), b.ints(`${stem}/to`, [m.plan.total]), b.ints(`${stem}/axis`, [1])], {}, stem)[0]!;
  }
  return b.node('Mul', [w, b.floats(`${stem}/scale`, m.scale.data)], {}, stem)[0]!;
}

/** Each target parameter as a slice of w reshaped to its shape, by its path in the target. */
function targetLeaves(b: OnnxGraphBuilder, m: HyperNetwork, w: string, stem: string): Map<string, string> {
  const leaves = new Map<string, string>();
  let offset = 0;
  for (const leaf of m.targetSpec) {
    const n = leaf.shape.reduce((a, d) => a * d, 1), s = `${stem}/${leaf.path}`;
    const slice = b.node('Slice', [w, b.ints(`${s}/from`, [offset]), b.ints(`${s}/to`, [offset + n]), b.ints(`${s}/axis`, [1])], {}, s)[0]!;
    leaves.set(leaf.path, b.node('Reshape', [slice, b.ints(`${s}/shape`, [...leaf.shape])], {}, s)[0]!);
    offset += n;
  }
  return leaves;
}

/**
 * A hypernetwork exports as its target network with the weights generated for one condition: task
 * `ctx.task` (default: the hypernet's current `task`) under 'task' conditioning, z = 0 under 'noise'
 * (the deterministic net eval mode runs). By default ('target') the generated weights are
 * initializers with the target's own state-dict names (at the root: `0.weight`, ...), so the file is
 * the plain model; with `hypernetGraph` the generator runs in the graph from the hypernet's
 * parameters (`generator.0.weight`, `taskEmbeddings`, ...; target buffers as `target.*`).
 * 'input' conditioning makes one network per example and has no single target: an unsupported module.
 */

/**
 * Adds the export rules of HyperNetwork to a rule table (exporters.ts builds the table from these lists, so
 * no import is needed for its side effects).
 * @example addHypernetRules((ctor, rule) => table.set(ctor, rule));
 */
export function addHypernetRules(add: AddRule): void {
  add(HyperNetwork, (m, params, x, path, ctx) => {
    const c = m.opts.condition;
    if (c.kind === 'input') {
      ctx.b.reject(path, 'HyperNetwork', "'input' conditioning generates one network per example; there is no single target network to export");
      return x.name;
    }
    if (c.kind === 'task') ctx.b.taskUsed = true;
    const task = ctx.task ?? m.task;
    const tree: Params = noGrad(() => (c.kind === 'task' ? m.targetParams(params, { task }) : m.targetParams(params, { z: zeros([1, c.dim]) })));
    if (!ctx.hypernetGraph) return ctx.emit(m.target, tree, x, path ? join(path, 'target') : '').name;
    const targetPath = join(path, 'target');
    const leaves = targetLeaves(ctx.b, m, generatedVector(m, params, path, task, ctx), join(path, 'hyper'));
    const inner = ctx.withParams((p, k) => {
      const full = ctx.key(p, k);
      return full.startsWith(`${targetPath}.`) ? leaves.get(full.slice(targetPath.length + 1)) : undefined;
    });
    return inner.emit(m.target, tree, x, targetPath).name;
  });
}
