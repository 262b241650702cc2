// The vector-Jacobian product of every primitive: one rule each, in a table typed over OpName, so a
// primitive without a rule does not compile. Rules may return gradients of a broadcast shape; the
// engine (graph.ts → reduceToShape) sums them back to each input's shape in one place.
import type { Tensor } from '../tensor/tensor.js';
import type { OpArgs, OpName } from '../ops/spec.js';
import { run } from '../ops/dispatch.js';
import {
  abs, add, cos, div, eq, exp, ge, gt, log, lt, mul, neg, pow, reluGrad, sigmoid, sigmoidGrad, sign, sin, softsignGrad, sub, tanhGrad, where,
} from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { reshape, slice, permute, broadcastTo } from '../ops/movement.js';
import { RegionGrad } from './accumulate.js';
import { isGradEnabled } from '../ops/grad-mode.js';
import { reducedShape } from '../core/shape.js';
import { cast } from '../ops/elementwise.js';
import { batchNormReluPoolVjp, batchNormReluVjp, batchNormVjp } from '../ops/batchnorm.js';
import { conv2dVjp, maxPool2dVjp } from '../ops/conv-fused.js';
import { lstmCellVjp } from '../ops/lstm-cell.js';

/** Given the upstream gradient g, the inputs, the output and the op's args: one gradient per input. */
export type VjpRule<K extends OpName> = (g: Tensor, inputs: readonly Tensor[], out: Tensor, args: OpArgs[K]) => (Tensor | RegionGrad | null)[];

const none: VjpRule<OpName> = (_g, inputs) => inputs.map(() => null);

/** Only computes a gradient for inputs that want one. */
function wants(t: Tensor | undefined, f: () => Tensor): Tensor | null {
  return t?.requiresGrad ? f() : null;
}

function mm(x: Tensor, y: Tensor, tA: boolean, tB: boolean): Tensor {
  return run('matmul', [x, y], { transA: tA, transB: tB });
}

function matmulVjp(g: Tensor, [a, b]: readonly Tensor[], _out: Tensor, { transA, transB }: OpArgs['matmul']): (Tensor | null)[] {
  // C = op(A) op(B); each case below reads the derivation dA = g op(B)ᵀ, dB = op(A)ᵀ g, undone per op.
  if (!transA && !transB) return [wants(a, () => mm(g, b!, false, true)), wants(b, () => mm(a!, g, true, false))];
  if (!transA && transB) return [wants(a, () => mm(g, b!, false, false)), wants(b, () => mm(g, a!, true, false))];
  if (transA && !transB) return [wants(a, () => mm(b!, g, false, true)), wants(b, () => mm(a!, g, false, false))];
  return [wants(a, () => mm(b!, g, true, true)), wants(b, () => mm(g, a!, true, true))];
}

function maxVjp(g: Tensor, [x]: readonly Tensor[], out: Tensor, { axes }: OpArgs['max']): (Tensor | null)[] {
  // Ties share the gradient equally (torch.amax): mask / count.
  const keep = reducedShape(x!.shape, axes, true);
  const mask = eq(x!, reshape(out, keep));
  const count = sum(mask, axes, true);
  return [mul(div(reshape(g, keep), count), mask)];
}

function powVjp(g: Tensor, [a, b]: readonly Tensor[], out: Tensor): (Tensor | null)[] {
  return [
    wants(a, () => mul(g, mul(b!, run('pow', [a!, sub(b!, 1)], {})))),
    // d/db a^b = a^b ln a; PyTorch sets it to 0 where a = 0 and b ≥ 0.
    wants(b, () => where(mul(eq(a!, 0), ge(b!, 0)), 0, mul(g, mul(out, log(a!))))),
  ];
}

function logSoftmaxVjp(g: Tensor, _x: readonly Tensor[], out: Tensor, { axis }: OpArgs['logSoftmax']): (Tensor | null)[] {
  // y = x - logsumexp(x): dx = g - softmax(x) Σ g.
  return [sub(g, mul(exp(out), sum(g, axis, true)))];
}

function concatVjp(g: Tensor, inputs: readonly Tensor[], _o: Tensor, { axis }: OpArgs['concat']): (Tensor | null)[] {
  let start = 0;
  return inputs.map((t) => {
    const begin = g.shape.map((_, i) => (i === axis ? start : 0));
    const end = g.shape.map((d, i) => (i === axis ? start + t.shape[axis]! : d));
    start += t.shape[axis]!;
    return t.requiresGrad ? slice(g, begin, end) : null;
  });
}

export const vjpRules: { [K in OpName]: VjpRule<K> } = {
  neg: (g) => [neg(g)],
  exp: (g, _x, out) => [mul(g, out)],
  log: (g, [x]) => [div(g, x!)],
  sqrt: (g, _x, out) => [div(g, mul(out, 2))],
  abs: (g, [x]) => [mul(g, sign(x!))],
  sign: none,
  relu: (g, [x]) => [reluGrad(g, x!)],
  sigmoid: (g, _x, out) => [sigmoidGrad(g, out)],
  tanh: (g, _x, out) => [tanhGrad(g, out)],
  softplus: (g, [x]) => [mul(g, sigmoid(x!))],
  sin: (g, [x]) => [mul(g, cos(x!))],
  cos: (g, [x]) => [neg(mul(g, sin(x!)))],
  softsign: (g, [x]) => [softsignGrad(g, x!)],
  // Piecewise constant in x: only g gets a gradient (itself through the same mask/slope).
  hardtanh: (g, [x], _o, args) => [run('hardtanhGrad', [g, x!], args)],
  leakyRelu: (g, [x], _o, args) => [run('leakyReluGrad', [g, x!], args)],
  hardtanhGrad: (g, [a, x], _o, args) => [wants(a, () => run('hardtanhGrad', [g, x!], args)), null],
  leakyReluGrad: (g, [a, x], _o, args) => [wants(a, () => run('leakyReluGrad', [g, x!], args)), null],
  add: (g, [a, b]) => [wants(a, () => g), wants(b, () => g)],
  sub: (g, [a, b]) => [wants(a, () => g), wants(b, () => neg(g))],
  mul: (g, [a, b]) => {
    // square(x) = mul(x, x): both gradients are g·x, computed once (the engine adds the two).
    if (a === b && a!.requiresGrad) { const ga = mul(g, a!); return [ga, ga]; }
    return [wants(a, () => mul(g, b!)), wants(b, () => mul(g, a!))];
  },
  div: (g, [a, b], out) => [wants(a, () => div(g, b!)), wants(b, () => neg(div(mul(g, out), b!)))],
  pow: powVjp,
  maximum: (g, [a, b]) => {
    const ma = add(gt(a!, b!), mul(eq(a!, b!), 0.5));
    return [wants(a, () => mul(g, ma)), wants(b, () => mul(g, sub(1, ma)))];
  },
  minimum: (g, [a, b]) => {
    const ma = add(lt(a!, b!), mul(eq(a!, b!), 0.5));
    return [wants(a, () => mul(g, ma)), wants(b, () => mul(g, sub(1, ma)))];
  },
  gt: none, ge: none, lt: none, le: none, eq: none,
  reluGrad: (g, [, x]) => [reluGrad(g, x!), null],
  sigmoidGrad: (g, [a, y]) => [wants(a, () => sigmoidGrad(g, y!)), wants(y, () => mul(mul(g, a!), sub(1, mul(y!, 2))))],
  // d/dx a(1+|x|)⁻² = −2a·sign(x)(1+|x|)⁻³.
  softsignGrad: (g, [a, x]) => [
    wants(a, () => softsignGrad(g, x!)), wants(x, () => mul(mul(g, a!), div(mul(sign(x!), -2), pow(add(abs(x!), 1), 3)))),
  ],
  tanhGrad: (g, [a, y]) => [wants(a, () => tanhGrad(g, y!)), wants(y, () => mul(mul(g, a!), mul(y!, -2)))],
  where: (g, [c, a, b]) => [null, wants(a, () => where(c!, g, 0)), wants(b, () => where(c!, 0, g))],
  // A scalar g (every axis reduced) or a keepdims g broadcasts as it is; otherwise the reduced dims come back as 1s.
  sum: (g, [x], _o, { axes, keepdims }) => [broadcastTo(g.rank === 0 || keepdims ? g : reshape(g, reducedShape(x!.shape, axes, true)), x!.shape)],
  max: maxVjp,
  argmax: none,
  matmul: matmulVjp,
  // y = x wᵀ + b: the two matmul gradients of !transA/transB, and the bias gradient summed over rows.
  linear: (g, [x, w, b]) => [wants(x, () => mm(g, w!, false, false)), wants(w, () => mm(g, x!, true, false)), wants(b, () => sum(g, [0]))],
  logSoftmax: logSoftmaxVjp,
  reshape: (g, [x]) => [reshape(g, x!.shape)],
  permute: (g, _x, _o, { perm }) => {
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [permute(g, inverse)];
  },
  broadcastTo: (g) => [g],
  // Unrecorded, a slice hands back its region (the sweep adds it in place, see accumulate.ts); under
  // createGraph the zero-padded full-size tensor, so the backward pass itself can be differentiated.
  slice: (g, [x], _o, { begin }) => {
    const r = new RegionGrad(g, begin, x!.shape);
    return [isGradEnabled() ? r.toDense() : r];
  },
  pad: (g, [x], _o, { before }) => [slice(g, before, before.map((b, i) => b + x!.shape[i]!))],
  concat: concatVjp,
  indexSelect: (g, [x], _o, { axis, indices }) => [run('indexAdd', [g], { axis, indices, size: x!.shape[axis]! })],
  indexAdd: (g, _x, _o, { axis, indices }) => [run('indexSelect', [g], { axis, indices })],
  cast: (g, [x]) => [cast(g, x!.dtype)],
  // im2col and col2im are each other's adjoints (padded taps are constants: no gradient).
  im2col: (g, [x], _o, { kernel, stride, padding, dilation }) => [
    run('col2im', [g], { kernel, stride, padding, dilation, size: [x!.shape[2]!, x!.shape[3]!] }),
  ],
  col2im: (g, _x, _o, { kernel, stride, padding, dilation }) => [run('im2col', [g], { kernel, stride, padding, dilation, padValue: 0 })],
  conv2d: (g, inputs, _o, geometry) => conv2dVjp(g, inputs, geometry),
  maxPool2d: (g, [x], _o, args) => [maxPool2dVjp(g, x!, args)],
  lstmCell: (g, inputs) => lstmCellVjp(g, inputs),
  batchNorm: (g, inputs, _o, { eps }) => batchNormVjp(g, inputs, eps),
  batchNormRelu: (g, inputs, out, { eps }) => batchNormReluVjp(g, inputs, out, eps),
  batchNormReluPool: (g, inputs, _o, args) => batchNormReluPoolVjp(g, inputs, args),
};
