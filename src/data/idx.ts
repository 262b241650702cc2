// The IDX format (MNIST, Fashion-MNIST): parse big-endian n-d arrays from bytes, with size checks (browser-safe).
import { Tensor, getDefaultDType } from '../tensor/tensor.js';
import { allocate, type DType } from '../core/dtype.js';
import { ArgumentError } from '../core/errors.js';

/** Element types of IDX files, by their type byte: 0x08 uint8 … 0x0E float64. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A parsed IDX array: its element type, shape and row-major values. */
export interface IdxArray {
  dtype: IdxDType;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { dtype: IdxDType; size: number }> = {
  0x08: { dtype: 'uint8', size: 1 },
  0x09: { dtype: 'int8', size: 1 },
  0x0b: { dtype: 'int16', size: 2 },
  0x0c: { dtype: 'int32', size: 4 },
  0x0d: { dtype: 'float32', size: 4 },
  0x0e: { dtype: 'float64', size: 8 },
};

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/** True when the bytes start with the gzip magic number 1f 8b. @example isGzip(bytes) */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses an uncompressed IDX file: magic `00 00 type ndims`, ndims big-endian u32 sizes, then the
 * big-endian values. `source` (a file name) is quoted in errors. Gzip input is rejected with a hint.
 *
 * @example
 * const { shape, data } = parseIdx(bytes, 'train-images-idx3-ubyte');   // shape [60000, 28, 28]
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  const op = `parseIdx: ${source}`;
  if (isGzip(bytes)) {
    throw new ArgumentError(op, 'is gzip-compressed (starts with 1f 8b); gunzip it first (in Node, readIdxFile does this for you)');
  }
  if (bytes.length < 4) throw new ArgumentError(op, `truncated: ${bytes.length} bytes, fewer than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new ArgumentError(op, `not an IDX file: the magic number must start with 0x00 0x00, got ${hex(bytes[0]!)} ${hex(bytes[1]!)}`);
  }
  const type = TYPES[bytes[2]!];
  if (type === undefined) {
    throw new ArgumentError(op, `unknown element type ${hex(bytes[2]!)} in the magic number; IDX types are 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e`);
  }
  const ndims = bytes[3]!;
  if (ndims === 0) throw new ArgumentError(op, 'the magic number declares 0 dimensions; an IDX array needs at least 1');
  const headerLen = 4 + 4 * ndims;
  if (bytes.length < headerLen) {
    throw new ArgumentError(op, `truncated header: ${ndims} dimensions need ${headerLen} header bytes, the data has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * type.size, have = bytes.length - headerLen;
  if (have < need) {
    throw new ArgumentError(op, `truncated: shape [${shape.join(',')}] of ${type.dtype} needs ${need} data bytes, found ${have}; the file is incomplete`);
  }
  if (have > need) {
    throw new ArgumentError(op, `${have - need} unexpected bytes after the ${need} data bytes of shape [${shape.join(',')}]; the file is corrupt or its header is wrong`);
  }
  return { dtype: type.dtype, shape, data: readValues(view, headerLen, count, type.dtype) };
}

function readValues(view: DataView, start: number, n: number, dtype: IdxDType): IdxArray['data'] {
  const bytes = new Uint8Array(view.buffer, view.byteOffset + start, n * TYPE_SIZE[dtype]);
  if (dtype === 'uint8') return bytes.slice();
  if (dtype === 'int8') return new Int8Array(bytes.slice().buffer);
  const out = dtype === 'int16' ? new Int16Array(n) : dtype === 'int32' ? new Int32Array(n) : dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const size = TYPE_SIZE[dtype];
  const get = dtype === 'int16' ? (o: number) => view.getInt16(o, false)
    : dtype === 'int32' ? (o: number) => view.getInt32(o, false)
      : dtype === 'float32' ? (o: number) => view.getFloat32(o, false)
        : (o: number) => view.getFloat64(o, false);
  for (let i = 0; i < n; i++) out[i] = get(start + i * size);
  return out;
}

const TYPE_SIZE: Record<IdxDType, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

export interface IdxToTensorOptions {
  /** Multiply every value by this (e.g. 1/255 for pixels in [0, 1]); default 1. */
  scale?: number;
  /** Tensor shape (default: the IDX shape); must have the same number of elements. */
  shape?: readonly number[];
  dtype?: DType;
}

/**
 * Converts a parsed IDX array to a float tensor, optionally scaled and reshaped.
 *
 * @example
 * const x = idxToTensor(images, { scale: 1 / 255, shape: [-1, 784] });
 */
export function idxToTensor(arr: IdxArray, opts: IdxToTensorOptions = {}): Tensor {
  const n = arr.data.length, scale = opts.scale ?? 1;
  let shape = opts.shape !== undefined ? [...opts.shape] : arr.shape;
  const unknown = shape.indexOf(-1);
  if (unknown >= 0) {
    const known = shape.reduce((a, d, i) => (i === unknown ? a : a * d), 1);
    shape = shape.map((d, i) => (i === unknown ? (known === 0 ? 0 : n / known) : d));
  }
  if (shape.some((d) => !Number.isInteger(d) || d < 0) || shape.reduce((a, b) => a * b, 1) !== n) {
    throw new ArgumentError('idxToTensor', `shape [${(opts.shape ?? []).join(',')}] does not hold the ${n} values of IDX shape [${arr.shape.join(',')}]`);
  }
  const out = allocate(opts.dtype ?? getDefaultDType(), n);
  if (scale === 1) out.set(arr.data);
  else for (let i = 0; i < n; i++) out[i] = arr.data[i]! * scale;
  return new Tensor(out, shape);
}
