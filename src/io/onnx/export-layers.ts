// ONNX export rules of the dense layers: Linear, the activations, softmax/log-softmax with temperature,
// Dropout and Identity (identity at inference), Flatten, Reshape and BatchNorm1d (eval statistics).
import type { Tensor } from '../../tensor/tensor.js';
import { Linear } from '../../nn/linear.js';
import { Identity } from '../../nn/containers.js';
import { BatchNorm1d, Dropout, Flatten, Reshape } from '../../nn/layers.js';
import {
  Hardtanh, IdentityActivation, LeakyReLU, LogSoftmax, PReLU, ReLU, Sigmoid, Softmax, Softplus, Softsign, Tanh,
} from '../../nn/activations.js';
import type { Module } from '../../nn/module.js';
import type { ExportContext, AddRule } from './exporters.js';
import type { Value } from './builder.js';

/** A rule that is one ONNX node with the given attributes on the input. */
function unary<M extends Module>(add: AddRule, ctor: abstract new (...args: never[]) => M, op: string, attrs: (m: M) => Record<string, number | { float: number }> = () => ({})): void {
  add(ctor, (m, _p, x, path, { b }) => b.node(op, [x.name], attrs(m), path)[0]!);
}



// softplus(x; β) = softplus(βx)/β.

// A per-channel slope [C] is reshaped to [C, 1, ...] so it broadcasts along dim 1, as neurite's prelu.

function softmaxRule(m: Softmax, params: Record<string, unknown>, x: Value, path: string, { b, key, param }: ExportContext): string {
  let h = x.name;
  if (m.learnableTemperature) {
    const tau = b.node('Exp', [param(path, 'log_temperature', params.log_temperature as Tensor)], {}, path)[0]!;
    h = b.node('Div', [h, tau], {}, path)[0]!;
  } else if (m.temperature !== 1) {
    h = b.node('Div', [h, b.floats(`${path}/temperature`, [m.temperature], [])], {}, path)[0]!;
  }
  const axis = m.axis < 0 ? m.axis + x.shape.length : m.axis;
  return b.node(m.log ? 'LogSoftmax' : 'Softmax', [h], { axis }, path)[0]!;
}

// Rank 2 is one Gemm (y = x Wᵀ + b); higher ranks (sequences [N, T, in]) MatMul with Wᵀ, then add b.

// neurite's Flatten leaves rank ≤ 2 alone; ONNX Flatten(axis 1) gives [N, ∏ rest].

// Shape [0, ...shape]: 0 copies the (dynamic) batch dimension.

/**
 * BatchNormalization in inference mode over [N, C, ...] with the running statistics; without affine
 * parameters γ = 1 and β = 0 are constants. Also used for BatchNorm2d (export-conv.ts).
 * @example registerOnnxRule(BatchNorm1d, batchNormRule); // what the built-in table does
 */
export function batchNormRule(m: BatchNorm1d, params: Record<string, unknown>, x: Value, path: string, { b, key, param }: ExportContext): string {
  const c = m.numFeatures;
  const scale = params.weight ? param(path, 'weight', params.weight as Tensor) : b.floats(`${path}/ones`, new Array<number>(c).fill(1));
  const shift = params.bias ? param(path, 'bias', params.bias as Tensor) : b.floats(`${path}/zeros`, new Array<number>(c).fill(0));
  const mean = b.weight(key(path, 'running_mean'), m.runningMean), variance = b.weight(key(path, 'running_var'), m.runningVar);
  return b.node('BatchNormalization', [x.name, scale, shift, mean, variance], { epsilon: { float: m.eps } }, path)[0]!;
}

/**
 * Adds the export rules of Linear, the activations, Dropout/Identity, Flatten, Reshape, BatchNorm1d to a rule table (exporters.ts builds the table from these lists, so
 * no import is needed for its side effects).
 * @example addLayerRules((ctor, rule) => table.set(ctor, rule));
 */
export function addLayerRules(add: AddRule): void {
  unary(add, IdentityActivation, 'Identity');
  unary(add, Identity, 'Identity');
  unary(add, Dropout, 'Identity');
  unary(add, Sigmoid, 'Sigmoid');
  unary(add, Tanh, 'Tanh');
  unary(add, ReLU, 'Relu');
  unary(add, Softsign, 'Softsign');
  unary(add, LeakyReLU, 'LeakyRelu', (m) => ({ alpha: { float: m.alpha } }));
  add(Hardtanh, (m, _p, x, path, { b }) => b.node('Clip', [x.name, b.floats(`${path}/min`, [m.min], []), b.floats(`${path}/max`, [m.max], [])], {}, path)[0]!);
  add(Softplus, (m, _p, x, path, { b }) => {
    if (m.beta === 1) return b.node('Softplus', [x.name], {}, path)[0]!;
    const beta = b.floats(`${path}/beta`, [m.beta], []);
    const [scaled] = b.node('Mul', [x.name, beta], {}, path);
    return b.node('Div', [b.node('Softplus', [scaled!], {}, path)[0]!, beta], {}, path)[0]!;
  });
  add(PReLU, (m, params, x, path, { b, key, param }) => {
    let slope = param(path, 'weight', params.weight as Tensor);
    if (m.numParameters !== 1 && x.shape.length > 2) {
      slope = b.node('Reshape', [slope, b.ints(`${path}/slope_shape`, [m.numParameters, ...x.shape.slice(2).map(() => 1)])], {}, path)[0]!;
    }
    return b.node('PRelu', [x.name, slope], {}, path)[0]!;
  });
  add(Softmax, softmaxRule);
  add(LogSoftmax, softmaxRule);
  add(Linear, (_m, params, x, path, { b, key, param }) => {
    const w = param(path, 'weight', params.weight as Tensor);
    const bias = params.bias ? param(path, 'bias', params.bias as Tensor) : null;
    if (x.shape.length === 2) return b.node('Gemm', [x.name, w, ...(bias ? [bias] : [])], { transB: 1 }, path)[0]!;
    const wt = b.node('Transpose', [w], { perm: [1, 0] }, path)[0]!;
    const y = b.node('MatMul', [x.name, wt], {}, path)[0]!;
    return bias ? b.node('Add', [y, bias], {}, path)[0]! : y;
  });
  add(Flatten, (_m, _p, x, path, { b }) => (x.shape.length <= 2 ? b.node('Identity', [x.name], {}, path)[0]! : b.node('Flatten', [x.name], { axis: 1 }, path)[0]!));
  add(Reshape, (m, _p, x, path, { b }) => b.node('Reshape', [x.name, b.ints(`${path}/shape`, [0, ...m.shape])], {}, path)[0]!);
  add(BatchNorm1d, batchNormRule);
}
