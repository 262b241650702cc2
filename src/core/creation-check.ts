// The check every tensor creation path runs first: supported dtype, a valid shape, and a size within
// the per-tensor limit — an absurd shape is refused with its byte count before any memory is touched.
import { ArgumentError, fmtShape } from './errors.js';
import { type DType, checkDType } from './dtype.js';
import { type Shape, checkShape } from './shape.js';
import { LimitError, fmtBytes, getMaxTensorBytes } from './limits.js';

/**
 * Checks a creation request before allocating: the dtype is supported, every dim is a non-negative
 * integer, and the tensor fits the byte limit. Returns the element count and the checked dtype.
 * @example checkTensorRequest('zeros', [1e6, 1e6], 'float32')   // throws: zeros: refusing to allocate 4,000,000,000,000 bytes ...
 */
export function checkTensorRequest(op: string, shape: Shape, dtype: unknown): { n: number; dtype: DType } {
  const dt = checkDType(dtype, op);
  if (!Array.isArray(shape)) throw new ArgumentError(op, `shape must be an array of dimensions, got ${JSON.stringify(shape)}`);
  checkShape(shape, op);
  let n = 1;
  for (const d of shape) n *= d;
  const bytes = n * (dt === 'float64' ? 8 : 4), limit = getMaxTensorBytes();
  if (bytes > limit) {
    throw new LimitError(`${op}: refusing to allocate ${fmtBytes(bytes)} for a ${dt} tensor of shape ${fmtShape(shape)}: the limit is ${fmtBytes(limit)} per tensor (raise it with setMaxTensorBytes if you really mean it)`);
  }
  return { n, dtype: dt };
}
