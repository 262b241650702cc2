// AssemblyScript source of the WASM SIMD elementwise kernels: common unary ops and row-broadcast binary ops.
//
// Op codes are shared with src/backend/wasm/elementwise.ts. Each op's loop is inlined at a call site
// with a constant op code, so the optimizer removes the per-vector `switch`. Ragged tails run the
// same vector code on a splatted scalar, so every element gets bit-identical treatment.

// Unary op codes.
const NEG = 0, ABS = 1, RELU = 2, SQRT = 3, EXP = 4, SIGMOID = 5, TANH = 6, SOFTSIGN = 7;
// Binary op codes.
const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5, GT = 6, GE = 7, LT = 8, LE = 9, EQ = 10;
const RELU_GRAD = 11, SIGMOID_GRAD = 12, TANH_GRAD = 13, SOFTSIGN_GRAD = 14;
// Parametrised op codes (unaryParam / gradParam).
const HARDTANH = 0, LEAKY_RELU = 1;

import { expv, sigmoidv, tanhv } from './activations';

// @ts-ignore: decorator
@inline
function unaryv(op: i32, x: v128): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case ABS: return f32x4.abs(x);
    case RELU: return f32x4.max(x, f32x4.splat(0)); // NaN stays NaN, -0 becomes +0 (as the JS kernel)
    case SQRT: return f32x4.sqrt(x);
    case EXP: return expv(x);
    case SIGMOID: return sigmoidv(x);
    case SOFTSIGN: return f32x4.div(x, f32x4.add(f32x4.abs(x), f32x4.splat(1.0)));
    default: return tanhv(x);
  }
}

// @ts-ignore: decorator
@inline
function unaryLoop(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), unaryv(op, v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), f32x4.extract_lane(unaryv(op, f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
}

/** out[i] = op(x[i]) for i < n (op: a unary op code above). */
export function unary(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case NEG: unaryLoop(NEG, x, out, n); break;
    case ABS: unaryLoop(ABS, x, out, n); break;
    case RELU: unaryLoop(RELU, x, out, n); break;
    case SQRT: unaryLoop(SQRT, x, out, n); break;
    case EXP: unaryLoop(EXP, x, out, n); break;
    case SIGMOID: unaryLoop(SIGMOID, x, out, n); break;
    case SOFTSIGN: unaryLoop(SOFTSIGN, x, out, n); break;
    default: unaryLoop(TANH, x, out, n);
  }
}

// @ts-ignore: decorator
@inline
function binaryv(op: i32, a: v128, b: v128): v128 {
  const one = f32x4.splat(1.0);
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    case MAXIMUM: return f32x4.max(a, b);
    case MINIMUM: return f32x4.min(a, b);
    case GT: return v128.and(f32x4.gt(a, b), one);
    case GE: return v128.and(f32x4.ge(a, b), one);
    case LT: return v128.and(f32x4.lt(a, b), one);
    case LE: return v128.and(f32x4.le(a, b), one);
    case EQ: return v128.and(f32x4.eq(a, b), one);
    case RELU_GRAD: return v128.and(a, f32x4.gt(b, f32x4.splat(0)));
    case SIGMOID_GRAD: return f32x4.mul(f32x4.mul(a, b), f32x4.sub(one, b));
    case SOFTSIGN_GRAD: { const d = f32x4.add(f32x4.abs(b), one); return f32x4.div(a, f32x4.mul(d, d)); }
    default: return f32x4.mul(a, f32x4.sub(one, f32x4.mul(b, b)));
  }
}

/** A vector of four operand values: consecutive ones (stride 1) or one value repeated (stride 0). */
// @ts-ignore: decorator
@inline
function operand(p: usize, unit: bool): v128 {
  return unit ? v128.load(p) : v128.load32_splat(p);
}

// @ts-ignore: decorator
@inline
function binaryLoop(op: i32, a: usize, aOuter: i32, aInner: i32, b: usize, bOuter: i32, bInner: i32, out: usize, rows: i32, n: i32): void {
  const au = aInner != 0, bu = bInner != 0;
  const aStep: usize = au ? 16 : 0, bStep: usize = bu ? 16 : 0;
  for (let r = 0; r < rows; r++) {
    let pa = a + (<usize>r * <usize>aOuter << 2), pb = b + (<usize>r * <usize>bOuter << 2);
    let po = out + (<usize>r * <usize>n << 2);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      v128.store(po, binaryv(op, operand(pa, au), operand(pb, bu)));
      pa += aStep; pb += bStep; po += 16;
    }
    for (; i < n; i++) {
      const v = binaryv(op, v128.load32_splat(pa), v128.load32_splat(pb));
      store<f32>(po, f32x4.extract_lane(v, 0));
      pa += aStep >> 2; pb += bStep >> 2; po += 4;
    }
  }
}

/**
 * out[r,i] = a[r·aOuter + i·aInner] op b[r·bOuter + i·bInner] for r < rows, i < n: inner strides are
 * 0 (broadcast) or 1, which covers same-shape, scalar, row- and column-broadcast operands.
 */
export function binary(op: i32, a: usize, aOuter: i32, aInner: i32, b: usize, bOuter: i32, bInner: i32, out: usize, rows: i32, n: i32): void {
  switch (op) {
    case ADD: binaryLoop(ADD, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case SUB: binaryLoop(SUB, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case MUL: binaryLoop(MUL, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case DIV: binaryLoop(DIV, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case MAXIMUM: binaryLoop(MAXIMUM, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case MINIMUM: binaryLoop(MINIMUM, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case GT: binaryLoop(GT, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case GE: binaryLoop(GE, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case LT: binaryLoop(LT, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case LE: binaryLoop(LE, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case EQ: binaryLoop(EQ, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case RELU_GRAD: binaryLoop(RELU_GRAD, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case SIGMOID_GRAD: binaryLoop(SIGMOID_GRAD, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    case SOFTSIGN_GRAD: binaryLoop(SOFTSIGN_GRAD, a, aOuter, aInner, b, bOuter, bInner, out, rows, n); break;
    default: binaryLoop(TANH_GRAD, a, aOuter, aInner, b, bOuter, bInner, out, rows, n);
  }
}

/** hardtanh = clamp(x, p, q) (f32x4.max/min keep NaN); leakyRelu = x for x > 0, else p·x. */
// @ts-ignore: decorator
@inline
function paramv(op: i32, x: v128, p: v128, q: v128): v128 {
  if (op == HARDTANH) return f32x4.min(f32x4.max(x, p), q);
  return v128.bitselect(x, f32x4.mul(x, p), f32x4.gt(x, f32x4.splat(0)));
}

/** hardtanhGrad = 0 where x ≤ p or x ≥ q, else g (NaN x passes g); leakyReluGrad = g for x > 0, else p·g. */
// @ts-ignore: decorator
@inline
function gradv(op: i32, g: v128, x: v128, p: v128, q: v128): v128 {
  if (op == HARDTANH) return v128.andnot(g, v128.or(f32x4.le(x, p), f32x4.ge(x, q)));
  return v128.bitselect(g, f32x4.mul(g, p), f32x4.gt(x, f32x4.splat(0)));
}

// @ts-ignore: decorator
@inline
function paramLoop(op: i32, x: usize, out: usize, n: i32, p: f32, q: f32): void {
  const pv = f32x4.splat(p), qv = f32x4.splat(q);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), paramv(op, v128.load(x + (<usize>i << 2)), pv, qv));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), f32x4.extract_lane(paramv(op, f32x4.splat(load<f32>(x + (<usize>i << 2))), pv, qv), 0));
}

// @ts-ignore: decorator
@inline
function gradLoop(op: i32, g: usize, x: usize, out: usize, n: i32, p: f32, q: f32): void {
  const pv = f32x4.splat(p), qv = f32x4.splat(q);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, gradv(op, v128.load(g + o), v128.load(x + o), pv, qv));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(gradv(op, f32x4.splat(load<f32>(g + o)), f32x4.splat(load<f32>(x + o)), pv, qv), 0));
  }
}

/** out[i] = op(x[i]; p, q) for i < n (op: HARDTANH or LEAKY_RELU). */
export function unaryParam(op: i32, x: usize, out: usize, n: i32, p: f32, q: f32): void {
  if (op == HARDTANH) paramLoop(HARDTANH, x, out, n, p, q);
  else paramLoop(LEAKY_RELU, x, out, n, p, q);
}

/** out[i] = op'(g[i], x[i]; p, q) for i < n: the backward steps of unaryParam's ops. */
export function gradParam(op: i32, g: usize, x: usize, out: usize, n: i32, p: f32, q: f32): void {
  if (op == HARDTANH) gradLoop(HARDTANH, g, x, out, n, p, q);
  else gradLoop(LEAKY_RELU, g, x, out, n, p, q);
}
