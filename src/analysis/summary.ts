// summary(model, inputShape): the table of layers, output shapes and parameter counts that
// `neurite summary` prints (one implementation for the library and the CLI).
import type { Module } from '../nn/module.js';
import { Graph, formatGraphSummary } from '../nn/graph.js';
import { HyperNetwork } from '../hyper/index.js';
import { zeros } from '../tensor/tensor.js';
import { hyperSummary } from './hyper-summary.js';
import { layerRows } from './layer-rows.js';

const fmtN = (n: number): string => n.toLocaleString('en-US');

/**
 * A text table of `model` run on a batch of zeros of shape [2, ...inputShape]: per layer (or graph
 * node) its description, output shape (batch shown as N) and parameter count, then the total. A
 * Sequential lists its layers, a Graph its nodes, a HyperNetwork its generator (trained) and target
 * (generated) with the compression ratio; any other module is one row. Ends with a newline.
 *
 * @example
 * import { nn, summary } from 'neurite';
 * console.log(summary(nn.mlp({ sizes: [4, 8, 3] }), [4]));   // Linear(4→8) [N, 8] 40 … total parameters: 67
 */
export function summary(model: Module, inputShape: readonly number[]): string {
  const width = inputShape[0] ?? 0;
  const total = `total parameters: ${fmtN(model.numParams())} (trainable ${fmtN(model.numParams())})\n`;
  if (model instanceof HyperNetwork) return hyperSummary(model, width);
  if (model instanceof Graph) {
    return `input ${model.inputs.join(', ')}: [N, ${inputShape.join(', ')}]\n${formatGraphSummary(model.summaryRows(inputShape))}\n${total}`;
  }
  const rows = layerRows(model, inputShape.length === 1 ? width : zeros([2, ...inputShape]));
  const line = '─'.repeat(64);
  let out = `${'layer'.padEnd(30)}${'output shape'.padEnd(20)}${'params'.padStart(14)}\n${line}\n`;
  out += `${'input'.padEnd(30)}${`[N, ${inputShape.join(', ')}]`.padEnd(20)}${'0'.padStart(14)}\n`;
  for (const [name, shape, p] of rows) out += `${name.padEnd(30)}${shape.padEnd(20)}${fmtN(p).padStart(14)}\n`;
  return `${out}${line}\n${total}`;
}
