// ONNX elementwise ops: arithmetic with numpy (and opset < 7 legacy) broadcasting, activations, Clip (integer forms via ops/integer.ts).
import { Tensor } from '../../../tensor/tensor.js';
import { abs, add, clamp, cos, div, exp, gt, log, maximum, minimum, mul, neg, pow, relu, sigmoid, sign, sin, softplus, softsign, sqrt, sub, tanh, where, type TensorLike } from '../../../ops/elementwise.js';
import { reshape } from '../../../ops/movement.js';
import { leakyRelu } from '../../../nn/functional.js';
import { fmtShape } from '../../../core/errors.js';
import { IntValue } from '../values.js';
import { type OpCall, type OpSpec, fail, floatIn, floatInputs, scalarIn } from './call.js';
import { integerCapable } from './integer.js';

/** Attributes old opsets carry that change nothing neurite computes (consumed_inputs was a memory hint). */
const legacy = ['consumed_inputs'];

const unary = (f: (x: Tensor) => Tensor): OpSpec => ({ attrs: legacy, run: (c) => [f(floatIn(c, 0))] });

/**
 * B aligned for A op B: numpy broadcasting, or (opset < 7 with broadcast=1 and axis) B's dims placed
 * at `axis` of A's.
 */
function legacyAligned(c: OpCall, a: Tensor, b: Tensor): Tensor {
  if (c.opset >= 7 || c.attrs.int('broadcast', 0) === 0 || !c.attrs.has('axis')) return b;
  const axis = c.attrs.int('axis', 0), at = axis < 0 ? axis + a.rank : axis;
  if (at < 0 || at + b.rank > a.rank) throw c.attrs.error('axis', `${axis} cannot place B ${fmtShape(b.shape)} inside A ${fmtShape(a.shape)}`);
  return reshape(b, [...Array<number>(at).fill(1), ...b.shape, ...Array<number>(a.rank - at - b.rank).fill(1)]);
}

const binary = (f: (a: Tensor, b: Tensor) => Tensor): OpSpec => ({
  attrs: [...legacy, 'broadcast', 'axis'],
  run: (c) => {
    const a = floatIn(c, 0);
    return [f(a, legacyAligned(c, a, floatIn(c, 1)))];
  },
});

const variadic = (f: (a: Tensor, b: Tensor) => Tensor, finish: (t: Tensor, n: number) => Tensor = (t) => t): OpSpec => ({
  attrs: legacy,
  run: (c) => {
    const xs = floatInputs(c);
    if (xs.length === 0) throw fail(c, 'needs at least one input');
    return [finish(xs.slice(1).reduce(f, xs[0]!), xs.length)];
  },
});

/** x for x > 0, else α(e^(x/inner) − 1): Elu and Selu have inner = 1, Celu inner = α. */
function elu(x: Tensor, alpha: number, inner = 1): Tensor {
  // exp never sees the large positives, so backward has no inf·0 = NaN.
  const neg0 = minimum(x, 0);
  return where(gt(x, 0), x, mul(sub(exp(inner === 1 ? neg0 : div(neg0, inner)), 1), alpha));
}

/** Pow's exponent: a float tensor, or an integer one converted to the base's dtype. */
function exponent(c: OpCall, base: Tensor): TensorLike {
  const e = c.inputs[1];
  if (!(e instanceof IntValue)) return floatIn(c, 1);
  return new Tensor(base.dtype === 'float64' ? Float64Array.from(e.data) : Float32Array.from(e.data), e.shape);
}

/** PRelu's slope: numpy-broadcast, except opset < 7's per-channel [C] slope, which applies along dim 1. */
function preluSlope(c: OpCall, x: Tensor): Tensor {
  const s = floatIn(c, 1);
  if (c.opset >= 7 || s.rank !== 1 || s.size === 1 || x.rank < 3 || x.shape[1] !== s.size) return s;
  return reshape(s, [s.size, ...x.shape.slice(2).map(() => 1)]);
}

function clip(c: OpCall): Tensor[] {
  const x = floatIn(c, 0);
  if (c.opset < 11) {
    const lo = c.attrs.float('min', -Infinity), hi = c.attrs.float('max', Infinity);
    return [clamp(x, Number.isFinite(lo) ? lo : undefined, Number.isFinite(hi) ? hi : undefined)];
  }
  return [clamp(x, scalarIn(c, 1), scalarIn(c, 2))];
}

/** Elementwise ops by ONNX name (integer-capable ones wrapped at the end). */
const floatOps: Record<string, OpSpec> = {
  Add: binary(add), Sub: binary(sub), Mul: binary(mul), Div: binary(div),
  Pow: { attrs: [...legacy, 'broadcast', 'axis'], run: (c) => { const x = floatIn(c, 0); return [pow(x, exponent(c, x))]; } },
  Max: variadic(maximum), Min: variadic(minimum), Sum: variadic(add),
  Mean: variadic(add, (t, n) => div(t, n)),
  Neg: unary(neg), Abs: unary(abs), Exp: unary(exp), Log: unary(log), Sqrt: unary(sqrt),
  Relu: unary(relu), Sigmoid: unary(sigmoid), Tanh: unary(tanh), Softplus: unary(softplus), Softsign: unary(softsign),
  LeakyRelu: { attrs: [...legacy, 'alpha'], run: (c) => [leakyRelu(floatIn(c, 0), c.attrs.float('alpha', 0.01))] },
  Elu: { attrs: [...legacy, 'alpha'], run: (c) => [elu(floatIn(c, 0), c.attrs.float('alpha', 1))] },
  Selu: {
    attrs: [...legacy, 'alpha', 'gamma'],
    run: (c) => [mul(elu(floatIn(c, 0), c.attrs.float('alpha', 1.67326319217681884765625)), c.attrs.float('gamma', 1.05070102214813232421875))],
  },
  Celu: { attrs: ['alpha'], run: (c) => { const a = c.attrs.float('alpha', 1); return [elu(floatIn(c, 0), a, a)]; } },
  Sin: unary(sin), Cos: unary(cos), Sign: unary(sign), Reciprocal: unary((x) => div(1, x)),
  HardSwish: { attrs: [], run: (c) => { const x = floatIn(c, 0); return [mul(x, clamp(add(mul(x, 1 / 6), 0.5), 0, 1))]; } },
  HardSigmoid: {
    attrs: [...legacy, 'alpha', 'beta'],
    run: (c) => [clamp(add(mul(floatIn(c, 0), c.attrs.float('alpha', 0.2)), c.attrs.float('beta', 0.5)), 0, 1)],
  },
  PRelu: {
    attrs: legacy,
    run: (c) => { const x = floatIn(c, 0); return [where(gt(x, 0), x, mul(x, preluSlope(c, x)))]; },
  },
  Clip: { attrs: [...legacy, 'min', 'max'], run: clip },
};

const integerOps = ['Add', 'Sub', 'Mul', 'Max', 'Min', 'Sum', 'Neg', 'Abs', 'Sign', 'Clip'];

/** Elementwise ops by ONNX name; arithmetic, Max/Min and Clip also take integer tensors (Div and Pow truncate). */
export const elementwiseOps: Record<string, OpSpec> = {
  ...floatOps,
  ...Object.fromEntries(integerOps.map((op) => [op, integerCapable(floatOps[op]!)])),
  Div: integerCapable(floatOps.Div!, { round: Math.trunc }),
  Pow: integerCapable(floatOps.Pow!, { round: Math.trunc, mixed: true }),
};
