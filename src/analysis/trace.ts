// Neuron trace: the lecture's per-neuron quantities (z = Σw·a + b, h(z), δ = ∂L/∂z, ∂L/∂w) for one example.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { backward } from '../autograd/graph.js';
import { reshape } from '../ops/movement.js';
import { map } from '../tree/tree.js';
import { Linear } from '../nn/linear.js';
import { Sequential } from '../nn/containers.js';
import { childParams, type Params } from '../nn/module.js';
import type { Head } from '../heads/heads.js';

/** One neuron of one Linear layer for one example. */
export interface NeuronRow {
  /** Index of the Linear layer among the model's Linear layers (0 = first). */ layer: number;
  neuron: number;
  /** z = Σ_k w_k a_k + b. */ preactivation: number;
  /** h(z): the following activation layer's output (z itself when none follows). */ activation: number;
  /** Name of the activation h ('identity' when none follows). */ activationName: string;
  /** δ = ∂L/∂z. */ delta: number;
  /** ∂L/∂w_k = δ · a_k for each incoming weight. */ weightGrad: number[];
  /** ∂L/∂b = δ. */ biasGrad: number;
}

/**
 * Runs one example x ([F] or [1, F]) with target y through a Sequential of Linear layers and
 * elementwise activations, backpropagates the head's loss, and returns per neuron
 * z = Σ w·a + b, h(z), δ = ∂L/∂z and ∂L/∂w = δ·a (a = the layer's input). The model's own
 * parameters and gradients are left untouched (a detached copy is differentiated).
 *
 * @example
 * const { rows, loss } = traceNeurons(net, multiclassHead({ numClasses: 3 }), x0, tensor([2]));
 * console.log(formatTrace(rows));
 */
export function traceNeurons(model: Sequential, head: Head, x: Tensor, y: Tensor): { rows: NeuronRow[]; loss: number; output: number[] } {
  if (!(model instanceof Sequential)) throw new ArgumentError('traceNeurons', 'model must be a Sequential of Linear layers and activations');
  const feats = x.shape[x.rank - 1]!;
  if (x.rank > 2 || (x.rank === 2 && x.shape[0] !== 1)) throw new ArgumentError('traceNeurons', `x must be one example [F] or [1, F], got [${x.shape.join(', ')}]`);
  const params = map(model.params, (t) => t.detach().requireGrad()) as Params;
  let h = reshape(x, [1, feats]);
  const layers: { index: number; input: Tensor; z: Tensor; out: Tensor; act: string }[] = [];
  model.layers.forEach((m, i) => {
    const out = m.apply(childParams(params, String(i)), h);
    if (m instanceof Linear) {
      out.retainGrad();
      layers.push({ index: i, input: h, z: out, out, act: 'identity' });
    } else {
      const last = layers.at(-1);
      if (!last || last.out !== h) throw new ArgumentError('traceNeurons', `layer ${i} (${m.describe()}) does not follow a Linear layer; only Linear → activation stacks can be traced`);
      if (out.shape.join() !== h.shape.join()) throw new ArgumentError('traceNeurons', `layer ${i} (${m.describe()}) changes the shape; only elementwise activations can be traced`);
      last.out = out;
      last.act = m.describe();
    }
    h = out;
  });
  if (layers.length === 0) throw new ArgumentError('traceNeurons', 'the model has no Linear layer to trace');
  const loss = head.loss(h, y);
  backward(loss);
  const rows: NeuronRow[] = [];
  layers.forEach((l, k) => {
    const z = l.z.toFlat(), a = l.out.toFlat(), d = l.z.grad!.toFlat(), inp = l.input.toFlat();
    const wg = (childParams(params, String(l.index)).weight as Tensor).grad!.toFlat();
    z.forEach((zj, j) => rows.push({
      layer: k, neuron: j, preactivation: zj, activation: a[j]!, activationName: l.act, delta: d[j]!,
      weightGrad: wg.slice(j * inp.length, (j + 1) * inp.length), biasGrad: d[j]!,
    }));
  });
  return { rows, loss: loss.item(), output: h.toFlat() };
}

/**
 * Formats trace rows as a fixed-width text table: layer, neuron, z, h(z), δ, ‖∂L/∂w‖ and the first
 * `maxWeights` entries of ∂L/∂w.
 *
 * @example
 * console.log(formatTrace(traceNeurons(net, head, x0, y0).rows));
 */
export function formatTrace(rows: readonly NeuronRow[], maxWeights = 4): string {
  const f = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(5)).padStart(11);
  const head = `${'layer'.padStart(5)} ${'neuron'.padStart(6)} ${'z=Σw·a+b'.padStart(11)} ${'h(z)'.padStart(11)} ${'δ=∂L/∂z'.padStart(11)} ${'‖∂L/∂w‖'.padStart(11)}  ∂L/∂w (first ${maxWeights})`;
  const lines = rows.map((r) => {
    const norm = Math.sqrt(r.weightGrad.reduce((s, g) => s + g * g, 0));
    const ws = r.weightGrad.slice(0, maxWeights).map((g) => f(g).trim()).join(', ') + (r.weightGrad.length > maxWeights ? ', …' : '');
    return `${String(r.layer).padStart(5)} ${String(r.neuron).padStart(6)} ${f(r.preactivation)} ${f(r.activation)} ${f(r.delta)} ${f(norm)}  [${ws}]  ${r.activationName}`;
  });
  return [head, ...lines].join('\n');
}
