// Data types: the two float types neurite computes in, and their typed-array storage.

/** Element type of a tensor: float32 (default, fast) or float64 (gradient checks, precision). */
export type DType = 'float32' | 'float64';

/** Storage of a tensor: a plain garbage-collected typed array. */
export type Storage = Float32Array | Float64Array;

/** Allocates zero-filled storage of `n` elements for `dtype`. */
export function allocate(dtype: DType, n: number): Storage {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

/** The dtype of a storage array. */
export function dtypeOf(data: Storage): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/** The wider of two dtypes (float32 op float64 computes in float64, as PyTorch promotes). */
export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

/** Checks a user-given dtype name. */
export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new TypeError(`${where}: unknown dtype ${JSON.stringify(dtype)}; use 'float32' or 'float64'`);
}
