// The head's output activation as ONNX nodes after the network: what `head.activate(raw)` computes.
import type { Head } from '../../heads/heads.js';
import type { OnnxGraphBuilder } from './builder.js';

/**
 * Appends `head.activate` to the raw output `raw`: Softmax (multiclass cross-entropy), Sigmoid
 * (binary BCE), Relu / Softplus / a + (b − a)(tanh(raw) + 1)/2 (regression heads); identity for
 * hinge, multi-margin and vector-regression heads. Returns the output name and the ONNX op used.
 * @example headActivation(b, multiclassHead({ numClasses: 10 }), 'logits')   // { name: 'head/Softmax', op: 'Softmax' }
 */
export function headActivation(b: OnnxGraphBuilder, head: Head, raw: string): { name: string; op: string } {
  const j = head.toJSON();
  const one = (op: string, attrs: Record<string, number> = {}): { name: string; op: string } => ({ name: b.node(op, [raw], attrs, 'head')[0]!, op });
  if (j.kind === 'multiclass') return j.loss === 'cross_entropy' ? one('Softmax', { axis: -1 }) : one('Identity');
  if (j.kind === 'binary') return j.loss === 'bce' ? one('Sigmoid') : one('Identity');
  if (j.kind === 'vector_regression' || j.activation === 'identity') return one('Identity');
  if (j.activation === 'relu') return one('Relu');
  if (j.activation === 'softplus') return one('Softplus');
  const [lo, hi] = j.range ?? [-1, 1];
  const [t] = b.node('Tanh', [raw], {}, 'head');
  const [shifted] = b.node('Add', [t!, b.floats('head/one', [1], [])], {}, 'head');
  const [scaled] = b.node('Mul', [shifted!, b.floats('head/half_range', [(hi - lo) / 2], [])], {}, 'head');
  return { name: b.node('Add', [scaled!, b.floats('head/low', [lo], [])], {}, 'head')[0]!, op: 'Tanh' };
}
