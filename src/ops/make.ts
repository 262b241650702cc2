// How ops build their results without importing the Tensor class (which sits above ops and owns their fluent methods).
import type { Tensor } from '../tensor/tensor.js';
import type { Storage } from '../core/dtype.js';

/** The Tensor constructor's shape, as ops see it (a type only: ops never import the class). */
export type TensorClass = new (data: Storage, shape: readonly number[]) => Tensor;

/**
 * A new tensor over `data` with `shape`, made by the class of `like` (an input of the op). Ops and the
 * autograd engine construct results this way, so `tensor/` (the class with `x.add(y)`-style methods,
 * which import the ops) and `ops/` do not import each other.
 * @example const out = tensorOf(x, new Float32Array(x.size), x.shape);   // a Tensor like x
 */
export function tensorOf(like: Tensor, data: Storage, shape: readonly number[]): Tensor {
  return new (like.constructor as TensorClass)(data, shape);
}
