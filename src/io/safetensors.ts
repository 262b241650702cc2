// The safetensors format (Hugging Face): encode and strictly validate/decode tensors in memory (browser-safe).
import { Tensor } from '../tensor/tensor.js';
import type { DType, Storage } from '../core/dtype.js';
import { allocate } from '../core/dtype.js';
import { type SafetensorsDType, type SafetensorsHeader, SAFETENSORS_ITEMSIZE, SafetensorsError, checkMetadata, readSafetensorsHeader } from './safetensors-header.js';

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

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const ENC = 'encodeSafetensors';
const DEC = 'decodeSafetensors';

/**
 * Serialises named float32/float64 tensors into the safetensors format: an 8-byte little-endian header
 * length, a JSON header (keys sorted, padded with spaces to 8-byte alignment), then the raw data.
 *
 * @example
 * const bytes = encodeSafetensors({ 'fc.weight': w, 'fc.bias': b }, { format: 'pt' });
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const fields: [string, unknown][] = metadata === undefined ? [] : [['__metadata__', checkMetadata(metadata, ENC)]];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    if (name === '__metadata__' || name.length === 0) throw new SafetensorsError(ENC, `invalid tensor name ${JSON.stringify(name)}; rename it`);
    if (!(t instanceof Tensor)) throw new SafetensorsError(ENC, `value for '${name}' is not a Tensor (got ${typeof t})`);
    const dtype = t.dtype === 'float64' ? 'F64' : 'F32';
    fields.push([name, { dtype, shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] }]);
    offset += t.data.byteLength;
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
  for (const name of names) pos = writeData(out, view, pos, tensors[name]!.data);
  return out;
}

function writeData(out: Uint8Array, view: DataView, pos: number, data: Storage): number {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
  } else if (data instanceof Float64Array) {
    for (let i = 0; i < data.length; i++) view.setFloat64(pos + 8 * i, data[i]!, true);
  } else {
    for (let i = 0; i < data.length; i++) view.setFloat32(pos + 4 * i, data[i]!, true);
  }
  return pos + data.byteLength;
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
    const copy = raw.slice();
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
  F16: (v, i) => halfToFloat(v.getUint16(2 * i, true)),
  BF16: (v, i) => bf16ToFloat(v.getUint16(2 * i, true)),
  I64: (v, i) => Number(v.getBigInt64(8 * i, true)),
  I32: (v, i) => v.getInt32(4 * i, true),
  I16: (v, i) => v.getInt16(2 * i, true),
  I8: (v, i) => v.getInt8(i),
  U8: (v, i) => v.getUint8(i),
  BOOL: (v, i) => (v.getUint8(i) !== 0 ? 1 : 0),
};

/** IEEE 754 half precision bits → number. @example halfToFloat(0x3c00) // 1 */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const bfBuf = new DataView(new ArrayBuffer(4));
/** bfloat16 bits (the top half of a float32) → number. @example bf16ToFloat(0x3f80) // 1 */
export function bf16ToFloat(h: number): number {
  bfBuf.setUint32(0, (h & 0xffff) << 16);
  return bfBuf.getFloat32(0);
}
