// Data types: the two float types neurite computes in, and their typed-array storage.
import { allocationNeedsCheck, checkAllocation } from './limits.js';

/** Element type of a tensor: float32 (default, fast) or float64 (gradient checks, precision). */
export type DType = 'float32' | 'float64';

/** Storage of a tensor: a plain garbage-collected typed array. */
export type Storage = Float32Array | Float64Array;

/** Storages up to this many bytes are cut from a shared slab (see {@link allocate}). */
export const SLAB_MAX_BYTES = 1024;
const SLAB_BYTES = 16384;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabOffset = 0;

/**
 * Allocates zero-filled storage of `n` elements for `dtype`.
 *
 * NOTE: V8 gives every typed array over 64 bytes its own off-heap buffer, which costs ~350 ns —
 * more than the whole op on a tiny tensor. Small storages (up to {@link SLAB_MAX_BYTES}) are
 * therefore views into a 16 KiB slab, bump-allocated and never reused (a fresh slab is zero, so
 * nothing is cleared and no live storage is ever handed out twice). A slab is freed once no view
 * into it is alive; code that needs a storage's bytes must honour `byteOffset` (safetensors does).
 * Every allocation is first checked against the tensor size limit and any active allocation budget
 * (core/limits.ts), so an absurd size is a LimitError, never an out-of-memory crash.
 */
export function allocate(dtype: DType, n: number): Storage {
  if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError('allocate', dtype);
  const bytes = dtype === 'float64' ? n * 8 : n * 4;
  if (allocationNeedsCheck(bytes)) checkAllocation(bytes, `a ${dtype} tensor of ${n} elements`);
  if (bytes <= 64 || bytes > SLAB_MAX_BYTES) return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  let at = slabOffset;
  if (dtype === 'float64') at = (at + 7) & ~7;
  if (at + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    at = 0;
  }
  slabOffset = at + bytes;
  return dtype === 'float64' ? new Float64Array(slab, at, n) : new Float32Array(slab, at, n);
}

/** The dtype of a storage array. */
export function dtypeOf(data: Storage): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/** The wider of two dtypes (float32 op float64 computes in float64, as PyTorch promotes). */
export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

/** The dtypes neurite stores and computes in. */
export const SUPPORTED_DTYPES: readonly DType[] = ['float32', 'float64'];

/** Raised for a dtype neurite does not support (float16, int8, ...); the message lists the supported ones. */
export class DTypeError extends TypeError {
  constructor(where: string, dtype: unknown) {
    super(`${where}: unsupported dtype ${JSON.stringify(dtype)}; supported dtypes are ${SUPPORTED_DTYPES.map((d) => `'${d}'`).join(' and ')}${storageHint(dtype)}. Pass dtype 'float32' (the default) or 'float64'`);
    this.name = 'DTypeError';
  }
}

/** Where a low-precision format neurite does have lives, for the DTypeError message. */
function storageHint(dtype: unknown): string {
  if (dtype === 'float16' || dtype === 'bfloat16') {
    return ` (neurite computes in float32/float64; ${dtype} is a storage format for model files: save with { weightsDType: '${dtype}' })`;
  }
  if (dtype === 'int8' || dtype === 'uint8') return ` (${dtype} is not a tensor dtype in neurite)`;
  return '';
}

/**
 * Checks a user-given dtype name: 'float32' or 'float64', anything else (float16, int8, ...) is a DTypeError.
 * @example checkDType('float16', 'zeros')   // throws: zeros: unsupported dtype "float16"; supported dtypes are ...
 */
export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new DTypeError(where, dtype);
}
