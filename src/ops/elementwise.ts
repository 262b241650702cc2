// Elementwise ops (unary, binary with broadcasting, comparisons, where) as public functions.
import type { Tensor } from '../tensor/tensor.js';
import { allocate, checkDType, promote } from '../core/dtype.js';
import { tensorOf } from './make.js';
import { ArgumentError } from '../core/errors.js';
import type { BinaryOp, UnaryOp } from '../backend/backend.js';
import { run } from './dispatch.js';

/** A tensor or a plain number (broadcast as a scalar of the other operand's dtype). */
export type TensorLike = Tensor | number;

function castTo(t: Tensor, dtype: Tensor['dtype']): Tensor {
  return t.dtype === dtype ? t : run('cast', [t], { dtype });
}

/** A shape-[] tensor holding `value` (a number operand lifted to a tensor). */
function scalarLike(like: Tensor, value: number, dtype: Tensor['dtype']): Tensor {
  const data = allocate(dtype, 1);
  data[0] = value;
  return tensorOf(like, data, []);
}

/** Lifts numbers to scalar tensors and promotes both operands to a common dtype. */
export function align(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (typeof a === 'number' && typeof b === 'number') throw new ArgumentError(op, 'at least one operand must be a Tensor');
  const dtype = typeof a === 'number' ? (b as Tensor).dtype : typeof b === 'number' ? a.dtype : promote(a.dtype, b.dtype);
  const like = typeof a === 'number' ? (b as Tensor) : a;
  const ta = typeof a === 'number' ? scalarLike(like, a, dtype) : castTo(a, dtype);
  const tb = typeof b === 'number' ? scalarLike(like, b, dtype) : castTo(b, dtype);
  return [ta, tb];
}

const binary = (op: BinaryOp) => (a: TensorLike, b: TensorLike): Tensor => run(op, align(op, a, b), {});
const unary = (op: UnaryOp) => (x: Tensor): Tensor => run(op, [x], {});

/** a + b with broadcasting. @example add(tensor([1, 2]), 1) // [2, 3] */
export const add = binary('add');
/** a - b with broadcasting. @example sub(tensor([3]), tensor([1])) // [2] */
export const sub = binary('sub');
/** a · b elementwise with broadcasting. @example mul(tensor([2, 3]), 2) // [4, 6] */
export const mul = binary('mul');
/** a / b with broadcasting. @example div(tensor([1]), 4) // [0.25] */
export const div = binary('div');
/** a^b elementwise. @example pow(tensor([2, 3]), 2) // [4, 9] */
export const pow = binary('pow');
/** Elementwise maximum (NaN propagates; ties split the gradient). @example maximum(tensor([1, 5]), 3) */
export const maximum = binary('maximum');
/** Elementwise minimum. @example minimum(tensor([1, 5]), 3) // [1, 3] */
export const minimum = binary('minimum');
/** 1 where a > b else 0 (no gradient). @example gt(tensor([1, 5]), 3) // [0, 1] */
export const gt = binary('gt');
/** 1 where a ≥ b else 0. */
export const ge = binary('ge');
/** 1 where a < b else 0. */
export const lt = binary('lt');
/** 1 where a ≤ b else 0. */
export const le = binary('le');
/** 1 where a = b else 0. */
export const eq = binary('eq');
/** @internal Fused relu backward: g·[x>0]. */
export const reluGrad = binary('reluGrad');
/** @internal Fused sigmoid backward: g·y(1-y). */
export const sigmoidGrad = binary('sigmoidGrad');
/** @internal Fused tanh backward: g(1-y²). */
export const tanhGrad = binary('tanhGrad');
/** @internal Fused softsign backward: g/(1+|x|)². */
export const softsignGrad = binary('softsignGrad');

/** -x. */
export const neg = unary('neg');
/** e^x. @example exp(tensor([0])) // [1] */
export const exp = unary('exp');
/** Natural logarithm. */
export const log = unary('log');
/** Square root. */
export const sqrt = unary('sqrt');
/** |x|. */
export const abs = unary('abs');
/** sign(x) ∈ {-1, 0, 1} (no gradient). */
export const sign = unary('sign');
/** max(x, 0); derivative 0 at x ≤ 0 (as PyTorch). */
export const relu = unary('relu');
/** 1/(1+e^-x), computed without overflow. */
export const sigmoid = unary('sigmoid');
/** Hyperbolic tangent. */
export const tanh = unary('tanh');
/** log(1+e^x), stable for large |x|. */
export const softplus = unary('softplus');
/** x/(1+|x|) in one kernel (derivative 1/(1+|x|)²). @example softsign(tensor([1])) // [0.5] */
export const softsign = unary('softsign');
/** sin(x). */
export const sin = unary('sin');
/** cos(x). */
export const cos = unary('cos');

/** x². @example square(tensor([3])) // [9] */
export function square(x: Tensor): Tensor {
  return mul(x, x);
}

/** Clamps into [lo, hi] (either bound may be omitted). @example clamp(x, -1, 1) */
export function clamp(x: Tensor, lo?: number, hi?: number): Tensor {
  let y = x;
  if (lo !== undefined) y = maximum(y, lo);
  if (hi !== undefined) y = minimum(y, hi);
  return y;
}

/**
 * Picks `a` where `cond` is non-zero, else `b` (all three broadcast). Gradient flows to a and b.
 * @example where(gt(x, 0), x, 0)   // relu
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = align('where', a, b);
  return run('where', [cond.detach(), ta, tb], {});
}

/** Changes the dtype (gradient flows back in the source dtype). @example cast(x, 'float64') */
export function cast(x: Tensor, dtype: Tensor['dtype']): Tensor {
  return castTo(x, checkDType(dtype, 'cast'));
}
