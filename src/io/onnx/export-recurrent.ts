// ONNX export rules of RNN/LSTM/GRU (ONNX's own RNN/LSTM/GRU ops, one per layer) and LastStep.
// Gate blocks are reordered in the graph from the state-dict initializers (names unchanged):
// PyTorch's LSTM i,f,g,o → ONNX i,o,f,c; GRU r,z,n → ONNX z,r,h (with linear_before_reset = 1,
// PyTorch's n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))); biases b_ih, b_hh → B = [Wb, Rb].
import type { Tensor } from '../../tensor/tensor.js';
import { GRU, LSTM, LastStep, RNN, type Recurrent } from '../../nn/recurrent.js';
import type { Params } from '../../nn/module.js';
import type { OnnxGraphBuilder } from './builder.js';
import type { ExportContext, AddRule } from './exporters.js';
import type { Value } from './builder.js';

/** PyTorch's gate block k goes to ONNX position i: ONNX block i = PyTorch block ORDER[i]. */
const ORDER: Record<'RNN' | 'LSTM' | 'GRU', number[]> = { RNN: [0], LSTM: [0, 3, 1, 2], GRU: [1, 0, 2] };

/** `t` [G·H, ...] with its gate blocks in ONNX order, as nodes over the initializer `name`. */
function reordered(b: OnnxGraphBuilder, name: string, order: number[], h: number, stem: string): string {
  if (order.length === 1) return name;
  const parts = b.node('Split', [name, b.ints(`${stem}/split`, order.map(() => h))], { axis: 0 }, stem, order.length);
  return b.node('Concat', order.map((k) => parts[k]!), { axis: 0 }, stem)[0]!;
}

const unsqueeze0 = (b: OnnxGraphBuilder, name: string, stem: string): string => b.node('Unsqueeze', [name, b.ints(`${stem}/axis0`, [0])], {}, stem)[0]!;

/** One layer l: W [1, G·H, in], R [1, G·H, H] and B [1, 2·G·H] (or no B without biases). */
function layerInputs(m: Recurrent, params: Params, l: number, path: string, { b, key, param }: ExportContext, order: number[]): string[] {
  const h = m.hiddenSize, stem = `${path}/l${l}`;
  const weight = (n: string): string => param(path, `${n}_l${l}`, params[`${n}_l${l}`] as Tensor);
  const w = unsqueeze0(b, reordered(b, weight('weight_ih'), order, h, `${stem}/W`), `${stem}/W`);
  const r = unsqueeze0(b, reordered(b, weight('weight_hh'), order, h, `${stem}/R`), `${stem}/R`);
  if (!params[`bias_ih_l${l}`]) return [w, r];
  const wb = reordered(b, weight('bias_ih'), order, h, `${stem}/Wb`), rb = reordered(b, weight('bias_hh'), order, h, `${stem}/Rb`);
  return [w, r, unsqueeze0(b, b.node('Concat', [wb, rb], { axis: 0 }, `${stem}/B`)[0]!, `${stem}/B`)];
}

function recurrentRule(m: Recurrent, params: Params, x: Value, path: string, ctx: ExportContext): string {
  const { b } = ctx;
  const kind = m.toJSON().type as 'RNN' | 'LSTM' | 'GRU';
  const attrs: Record<string, number | string[]> = { hidden_size: m.hiddenSize };
  if (kind === 'GRU') attrs.linear_before_reset = 1;
  if (kind === 'RNN' && m.opts.nonlinearity === 'relu') attrs.activations = ['Relu'];
  let seq = m.batchFirst ? b.node('Transpose', [x.name], { perm: [1, 0, 2] }, path)[0]! : x.name; // [T, N, in]
  for (let l = 0; l < m.numLayers; l++) {
    const [y] = b.node(kind, [seq, ...layerInputs(m, params, l, path, ctx, ORDER[kind])], attrs, `${path}/l${l}`); // Y [T, 1, N, H]
    seq = b.node('Squeeze', [y!, b.ints(`${path}/l${l}/axis1`, [1])], {}, `${path}/l${l}`)[0]!;
  }
  return m.batchFirst ? b.node('Transpose', [seq], { perm: [1, 0, 2] }, path)[0]! : seq;
}

// [N, T, H] → [N, H]: the slice of the last step, its time axis squeezed.

/**
 * Adds the export rules of RNN, LSTM, GRU, LastStep to a rule table (exporters.ts builds the table from these lists, so
 * no import is needed for its side effects).
 * @example addRecurrentRules((ctor, rule) => table.set(ctor, rule));
 */
export function addRecurrentRules(add: AddRule): void {
  add(RNN, recurrentRule);
  add(LSTM, recurrentRule);
  add(GRU, recurrentRule);
  add(LastStep, (_m, _p, x, path, { b }) => {
    const [last] = b.node('Slice', [x.name, b.ints(`${path}/start`, [-1]), b.ints(`${path}/end`, [x.shape[1]!]), b.ints(`${path}/axis`, [1])], {}, path);
    return b.node('Squeeze', [last!, b.ints(`${path}/squeeze`, [1])], {}, path)[0]!;
  });
}
