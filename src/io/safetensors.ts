// The safetensors format (Hugging Face): encode and strictly validate/decode tensors in memory (browser-safe).
import { Tensor } from '../tensor/tensor.js';
import type { DType, Storage } from '../core/dtype.js';
import { allocate } from '../core/dtype.js';
import { type SafetensorsDType, type SafetensorsHeader, SAFETENSORS_ITEMSIZE, SafetensorsError, checkMetadata, readSafetensorsHeader } from './safetensors-header.js';
import { bf16BitsToFloat, floatToBf16Bits, floatToHalfBits, halfBitsToFloat } from '../core/half.js';

export { type SafetensorsDType, type SafetensorsEntry, type SafetensorsHeader, SAFETENSORS_ITEMSIZE, SafetensorsError, readSafetensorsHeader } from './safetensors-header.js';

/** What `decodeSafetensors` returns: the tensors by name and the string metadata (`__metadata__`). */
export interface DecodedSafetensors {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
  /** The dtype each tensor had in the file (F16/BF16/integers are widened to a float dtype on load). */
  storedDTypes: Record<string, SafetensorsDType>;
}

export interface DecodeSafetensorsOptions {
  /** Convert every tensor to this dtype. Default: F64 → float64, everything else → float32. */
  dtype?: DType;
}

/** How `encodeSafetensors` stores the values. */
export interface EncodeSafetensorsOptions {
  /**
   * Storage dtype of every tensor: 'F32'/'F64' (default: each tensor's own dtype) or the 16-bit
   * 'F16'/'BF16' (rounded to nearest even, as PyTorch's `.half()`/`.bfloat16()`; half the bytes of
   * F32). A value beyond float16's range (±65504) becomes ±Infinity there, as in PyTorch; such a
   * tensor is an error here, so a model is never silently broken by the conversion.
   */
  dtype?: 'F32' | 'F64' | 'F16' | 'BF16';
  /**
   * Per-tensor storage dtypes overriding `dtype`, including 'I8' for tensors holding int8 integers
   * (the weights of quantized models); a value that is not an integer in [-128, 127] is an error.
   */
  dtypes?: Readonly<Record<string, 'F32' | 'F64' | 'F16' | 'BF16' | 'I8'>>;
}

type WrittenDType = 'F32' | 'F64' | 'F16' | 'BF16' | 'I8';
const WRITTEN: readonly string[] = ['F32', 'F64', 'F16', 'BF16', 'I8'];

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const ENC = 'encodeSafetensors';
const DEC = 'decodeSafetensors';

/**
 * Serialises named float32/float64 tensors into the safetensors format: an 8-byte little-endian header
 * length, a JSON header (keys sorted, padded with spaces to 8-byte alignment), then the raw data.
 * `options.dtype` stores them as F16 or BF16 instead (see {@link EncodeSafetensorsOptions}).
 *
 * @example
 * const bytes = encodeSafetensors({ 'fc.weight': w, 'fc.bias': b }, { format: 'pt' });
 * const half = encodeSafetensors({ 'fc.weight': w }, undefined, { dtype: 'F16' }); // 2 bytes per value
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>, options: EncodeSafetensorsOptions = {}): Uint8Array {
  const storeAs = options.dtype;
  if (storeAs !== undefined && (storeAs as string === 'I8' || !WRITTEN.includes(storeAs))) {
    throw new SafetensorsError(ENC, `options.dtype ${JSON.stringify(storeAs)} is not a storage dtype neurite writes; use 'F32', 'F64', 'F16' or 'BF16'`);
  }
  for (const [name, d] of Object.entries(options.dtypes ?? {})) {
    if (!WRITTEN.includes(d)) throw new SafetensorsError(ENC, `options.dtypes["${name}"] ${JSON.stringify(d)} is not a storage dtype neurite writes; use 'F32', 'F64', 'F16', 'BF16' or 'I8'`);
    if (!Object.hasOwn(tensors, name)) throw new SafetensorsError(ENC, `options.dtypes names "${name}", which is not among the tensors`);
  }
  const names = Object.keys(tensors).sort();
  const stored = new Map<string, Uint8Array>();
  const fields: [string, unknown][] = metadata === undefined ? [] : [['__metadata__', checkMetadata(metadata, ENC)]];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    if (name === '__metadata__' || name.length === 0) throw new SafetensorsError(ENC, `invalid tensor name ${JSON.stringify(name)}; rename it`);
    if (!(t instanceof Tensor)) throw new SafetensorsError(ENC, `value for '${name}' is not a Tensor (got ${typeof t})`);
    const dtype = options.dtypes?.[name] ?? storeAs ?? (t.dtype === 'float64' ? 'F64' : 'F32');
    const bytes = storageBytes(name, t.data, dtype);
    stored.set(name, bytes);
    fields.push([name, { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] }]);
    offset += bytes.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(Object.fromEntries(fields)));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  let pos = 8 + padded;
  for (const name of names) {
    const bytes = stored.get(name)!;
    out.set(bytes, pos);
    pos += bytes.byteLength;
  }
  return out;
}

/** A tensor's values as little-endian bytes of the storage dtype. */
function storageBytes(name: string, data: Storage, dtype: WrittenDType): Uint8Array {
  const native = (dtype === 'F64' && data instanceof Float64Array) || (dtype === 'F32' && data instanceof Float32Array);
  if (native && LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const size = SAFETENSORS_ITEMSIZE[dtype];
  const out = new Uint8Array(data.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (dtype === 'I8') {
      if (!Number.isInteger(x) || x < -128 || x > 127) throw new SafetensorsError(ENC, `'${name}'[${i}] = ${x} is not an int8 value (an integer in [-128, 127]); it cannot be stored as I8`);
      view.setInt8(i, x);
    } else if (dtype === 'F64') view.setFloat64(8 * i, x, true);
    else if (dtype === 'F32') view.setFloat32(4 * i, x, true);
    else {
      const bits = dtype === 'F16' ? floatToHalfBits(x) : floatToBf16Bits(x);
      if (Number.isFinite(x) && (bits & 0x7fff) === (dtype === 'F16' ? 0x7c00 : 0x7f80)) {
        throw new SafetensorsError(ENC, `'${name}'[${i}] = ${x} is beyond ${dtype}'s range (largest finite ${dtype === 'F16' ? '65504' : '3.39e38'}); store this tensor as F32`);
      }
      view.setUint16(2 * i, bits, true);
    }
  }
  return out;
}

/**
 * Parses a safetensors file held in memory, validating the header strictly (see
 * {@link readSafetensorsHeader}): the header length, the JSON, each tensor's dtype, shape and offsets,
 * and that the tensors tile the data section exactly. F32 and F64 load as they are; F16, BF16 and
 * integer/bool tensors are converted to float32 (`storedDTypes` says what the file held).
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(bytes);
 * tensors['0.weight'].shape;   // [5, 4]
 */
export function decodeSafetensors(bytes: Uint8Array, opts: DecodeSafetensorsOptions = {}): DecodedSafetensors {
  return decodeEntries(bytes, readSafetensorsHeader(bytes, DEC), opts);
}

/**
 * Converts the entries of an already validated header into tensors (no second header parse).
 * @example const h = readSafetensorsHeader(bytes); const { tensors } = decodeEntries(bytes, h);
 */
export function decodeEntries(bytes: Uint8Array, header: SafetensorsHeader, opts: DecodeSafetensorsOptions = {}): DecodedSafetensors {
  const tensors: [string, Tensor][] = [];
  const stored: [string, SafetensorsDType][] = [];
  for (const e of header.entries) {
    const raw = bytes.subarray(header.dataStart + e.begin, header.dataStart + e.end);
    const target: DType = opts.dtype ?? (e.dtype === 'F64' ? 'float64' : 'float32');
    tensors.push([e.name, new Tensor(convert(raw, e.dtype, target), e.shape)]);
    stored.push([e.name, e.dtype]);
  }
  // Object.fromEntries defines own properties, so even a tensor named "__proto__" stays a plain entry.
  return { tensors: Object.fromEntries(tensors), metadata: header.metadata, storedDTypes: Object.fromEntries(stored) };
}

function convert(raw: Uint8Array, dtype: SafetensorsDType, target: DType): Storage {
  const n = raw.length / SAFETENSORS_ITEMSIZE[dtype];
  if (LITTLE_ENDIAN && ((dtype === 'F32' && target === 'float32') || (dtype === 'F64' && target === 'float64'))) {
    // new Uint8Array(raw) copies; raw.slice() would not when raw is a Node Buffer (Buffer#slice is a view).
    const copy = new Uint8Array(raw);
    return dtype === 'F32' ? new Float32Array(copy.buffer, 0, n) : new Float64Array(copy.buffer, 0, n);
  }
  const out = allocate(target, n);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const read = READERS[dtype];
  for (let i = 0; i < n; i++) out[i] = read(v, i);
  return out;
}

const READERS: Record<SafetensorsDType, (v: DataView, i: number) => number> = {
  F64: (v, i) => v.getFloat64(8 * i, true),
  F32: (v, i) => v.getFloat32(4 * i, true),
  F16: (v, i) => halfBitsToFloat(v.getUint16(2 * i, true)),
  BF16: (v, i) => bf16BitsToFloat(v.getUint16(2 * i, true)),
  I64: (v, i) => Number(v.getBigInt64(8 * i, true)),
  I32: (v, i) => v.getInt32(4 * i, true),
  I16: (v, i) => v.getInt16(2 * i, true),
  I8: (v, i) => v.getInt8(i),
  U8: (v, i) => v.getUint8(i),
  BOOL: (v, i) => (v.getUint8(i) !== 0 ? 1 : 0),
};

/** IEEE 754 half precision bits → number (kept for compatibility; see core/half.ts). @example halfToFloat(0x3c00) // 1 */
export const halfToFloat = halfBitsToFloat;

/** bfloat16 bits (the top half of a float32) → number. @example bf16ToFloat(0x3f80) // 1 */
export const bf16ToFloat = bf16BitsToFloat;
