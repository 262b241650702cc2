// Allocation limits of tensor creation: an absurd shape is refused with its byte count before any memory is touched.
import { ArgumentError, fmtShape } from './errors.js';
import { type DType, checkDType } from './dtype.js';
import { type Shape, checkShape } from './shape.js';

/** Default per-tensor limit: 2 GiB (a [1e6, 1e6] float32 tensor would need 4 TB). */
export const DEFAULT_MAX_TENSOR_BYTES = 2 ** 31;
let maxTensorBytes = DEFAULT_MAX_TENSOR_BYTES;

/**
 * Sets the largest tensor (in bytes) that creation functions allocate; returns the previous limit.
 * @example const prev = setMaxTensorBytes(8 * 2 ** 30); ...; setMaxTensorBytes(prev);
 */
export function setMaxTensorBytes(bytes: number): number {
  if (!(Number.isInteger(bytes) && bytes > 0)) throw new ArgumentError('setMaxTensorBytes', `limit must be a positive integer number of bytes, got ${bytes}`);
  const prev = maxTensorBytes;
  maxTensorBytes = bytes;
  return prev;
}

/** The current per-tensor allocation limit in bytes. @example getMaxTensorBytes() // 2147483648 */
export function getMaxTensorBytes(): number {
  return maxTensorBytes;
}

/** A byte count with its binary unit, e.g. `4000000000000 bytes (3.6 TiB)`. */
export function fmtBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes, u = -1;
  while (v >= 1024 && u < units.length - 1) [v, u] = [v / 1024, u + 1];
  const count = Number.isSafeInteger(bytes) ? bytes.toLocaleString('en-US') : bytes.toExponential(3);
  return u < 0 ? `${count} bytes` : `${count} bytes (${v.toFixed(1)} ${units[u]})`;
}

/**
 * Checks a creation request before allocating: the dtype is supported, every dim is a non-negative
 * integer, and the tensor fits the byte limit. Returns the element count and the checked dtype.
 * @example checkAllocation('zeros', [1e6, 1e6], 'float32')   // throws: refusing to allocate 4,000,000,000,000 bytes ...
 */
export function checkAllocation(op: string, shape: Shape, dtype: unknown): { n: number; dtype: DType } {
  const dt = checkDType(dtype, op);
  if (!Array.isArray(shape)) throw new ArgumentError(op, `shape must be an array of dimensions, got ${JSON.stringify(shape)}`);
  checkShape(shape, op);
  let n = 1;
  for (const d of shape) n *= d;
  const bytes = n * (dt === 'float64' ? 8 : 4);
  if (bytes > maxTensorBytes) {
    throw new ArgumentError(op, `refusing to allocate ${fmtBytes(bytes)} for a ${dt} tensor of shape ${fmtShape(shape)}: the limit is ${fmtBytes(maxTensorBytes)} per tensor (raise it with setMaxTensorBytes if you really mean it)`);
  }
  return { n, dtype: dt };
}
