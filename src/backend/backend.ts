// The narrow Backend interface: the compute kernels a backend (JS reference, later WASM SIMD) provides.
import type { Storage } from '../core/dtype.js';

/** Elementwise one-input kernels. */
export type UnaryOp = 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'relu' | 'sigmoid' | 'tanh' | 'softplus' | 'sin' | 'cos';

/**
 * Elementwise two-input kernels with broadcasting. The `*Grad` kernels are fused backward steps
 * (`reluGrad(g, x) = g·[x>0]`, `sigmoidGrad(g, y) = g·y(1-y)`, `tanhGrad(g, y) = g(1-y²)`).
 */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'gt' | 'ge' | 'lt' | 'le' | 'eq'
  | 'reluGrad' | 'sigmoidGrad' | 'tanhGrad';

/** How two broadcast operands walk the (coalesced) output: strides are 0 along broadcast dims. */
export interface BroadcastPlan {
  readonly shape: readonly number[];
  readonly aStrides: readonly number[];
  readonly bStrides: readonly number[];
}

/** How a contiguous input reduces: `outStrides` is 0 along reduced dims (shape coalesced). */
export interface ReducePlan {
  readonly shape: readonly number[];
  readonly outStrides: readonly number[];
}

/**
 * One (batched) matrix product `C[b] = op(A[b]) @ op(B[b])`, op = transpose when the flag is set.
 * A is stored `[m,k]` (or `[k,m]` when transA), B `[k,n]` (or `[n,k]`), C `[m,n]`; batch strides in
 * elements, 0 when that operand is shared by every batch entry.
 */
export interface MatmulParams {
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly aBatchStride: number;
  readonly bBatchStride: number;
}

/** What a backend must implement. Movement ops (reshape, slice, gather...) live in the engine. */
export interface Backend {
  readonly name: string;
  unary(op: UnaryOp, x: Storage, out: Storage): void;
  binary(op: BinaryOp, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void;
  /** Sums (or maxes) into `out`, which the kernel initialises. */
  reduce(op: 'sum' | 'max', x: Storage, out: Storage, plan: ReducePlan): void;
  matmul(a: Storage, b: Storage, out: Storage, p: MatmulParams): void;
  /** Log-softmax over the middle axis of a contiguous `[outer, n, inner]` view. */
  logSoftmax(x: Storage, out: Storage, outer: number, n: number, inner: number): void;
}
