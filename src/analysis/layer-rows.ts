// Rows of a `neurite summary` table: each layer of a Sequential-like module, its output shape and parameter count.
import { tensor, type Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/graph.js';
import type { Module } from '../nn/module.js';

/**
 * Runs `module` (its `layers` in turn, or the module itself; the pure form in eval mode) on zeros of `width` features (or on a
 * given input batch) and returns [description, output shape with `rows` as the batch label, parameter count] per layer.
 * @example layerRows(nn.mlp({ sizes: [4, 8, 3] }), 4)   // [['Linear(4→8)', '[N, 8]', 40], ...]
 */
export function layerRows(module: Module, width: number | Tensor, rows = 'N'): [string, string, number][] {
  const layers = 'layers' in module ? (module as unknown as { layers: Module[] }).layers : [module];
  let h: Tensor = typeof width === 'number' ? tensor(new Array(2 * width).fill(0), { shape: [2, width] }) : width;
  return noGrad(() => layers.map((l) => {
    h = l.apply(l.params, h, { mode: 'eval', state: l.state }).y; // pure: a summary moves no statistics or streams
    return [l.describe(), `[${rows}, ${h.shape.slice(1).join(', ')}]`, l.numParams()] as [string, string, number];
  }));
}
