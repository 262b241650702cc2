// The safetensors format (Hugging Face): encode and strictly validate/decode tensors in memory (browser-safe).
import { Tensor } from '../core/tensor.js';
import type { DType, Storage } from '../core/dtype.js';
import { allocate } from '../core/dtype.js';
import { fmtShape } from '../core/errors.js';

/** The element types safetensors files may hold that neurite reads. */
export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** Bytes per element of each readable safetensors dtype. @example io.SAFETENSORS_ITEMSIZE.BF16 // 2 */
export const SAFETENSORS_ITEMSIZE: Readonly<Record<SafetensorsDType, number>> = Object.freeze({
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
});

/**
 * Raised for a malformed or unsupported safetensors file; the message names the problem and the tensor.
 * @example
 * try { decodeSafetensors(bytes); } catch (e) { if (e instanceof SafetensorsError) console.error(e.message); }
 */
export class SafetensorsError extends Error {
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'SafetensorsError';
  }
}

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
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header.__metadata__ = checkMetadata(metadata, ENC);
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    if (name === '__metadata__' || name.length === 0) throw new SafetensorsError(ENC, `invalid tensor name ${JSON.stringify(name)}; rename it`);
    if (!(t instanceof Tensor)) throw new SafetensorsError(ENC, `value for '${name}' is not a Tensor (got ${typeof t})`);
    const dtype = t.dtype === 'float64' ? 'F64' : 'F32';
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
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

function checkMetadata(metadata: unknown, op: string): Record<string, string> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new SafetensorsError(op, `__metadata__ must be an object of string values, got ${JSON.stringify(metadata)}`);
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') {
      throw new SafetensorsError(op, `__metadata__ value for '${k}' must be a string, got ${JSON.stringify(v)}; stringify it (e.g. JSON.stringify)`);
    }
  }
  return { ...(metadata as Record<string, string>) };
}

interface Entry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Parses a safetensors file held in memory, validating the header strictly: the header length, the
 * JSON, each tensor's dtype, shape and offsets, and that the tensors tile the data section exactly.
 * F32 and F64 load as they are; F16, BF16 and integer/bool tensors are converted to float32.
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(bytes);
 * tensors['0.weight'].shape;   // [5, 4]
 */
export function decodeSafetensors(bytes: Uint8Array, opts: DecodeSafetensorsOptions = {}): DecodedSafetensors {
  const { header, dataStart } = readHeader(bytes);
  const dataLen = bytes.length - dataStart;
  const metadata = header.__metadata__ === undefined ? {} : checkMetadata(header.__metadata__, DEC);
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name !== '__metadata__') entries.push(parseEntry(name, info, dataLen));
  }
  checkTiling(entries, dataLen);
  const tensors: Record<string, Tensor> = {};
  const storedDTypes: Record<string, SafetensorsDType> = {};
  for (const e of entries) {
    const raw = bytes.subarray(dataStart + e.begin, dataStart + e.end);
    const target: DType = opts.dtype ?? (e.dtype === 'F64' ? 'float64' : 'float32');
    tensors[e.name] = new Tensor(convert(raw, e.dtype, target), e.shape);
    storedDTypes[e.name] = e.dtype;
  }
  return { tensors, metadata, storedDTypes };
}

function readHeader(bytes: Uint8Array): { header: Record<string, unknown>; dataStart: number } {
  if (!(bytes instanceof Uint8Array)) throw new SafetensorsError(DEC, 'expected the file contents as a Uint8Array');
  if (bytes.length < 8) {
    throw new SafetensorsError(DEC, `truncated file: ${bytes.length} bytes, fewer than the 8-byte header length; the file is not safetensors or was cut off`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true), hi = view.getUint32(4, true);
  const n = hi * 4294967296 + lo;
  if (n > bytes.length - 8) {
    throw new SafetensorsError(DEC, `header length ${n} bytes is beyond the end of the file (${bytes.length - 8} bytes after the length field); the file is truncated or not safetensors`);
  }
  if (n < 2) throw new SafetensorsError(DEC, `header length ${n} is too small to hold a JSON object`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new SafetensorsError(DEC, 'header is not valid UTF-8; the file is corrupt or not safetensors');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    throw new SafetensorsError(DEC, `header is not valid JSON (${(err as Error).message}); the file is corrupt or not safetensors`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError(DEC, 'header JSON must be an object mapping tensor names to {dtype, shape, data_offsets}');
  }
  return { header: header as Record<string, unknown>, dataStart: 8 + n };
}

function parseEntry(name: string, info: unknown, dataLen: number): Entry {
  const where = `tensor '${name}'`;
  if (typeof info !== 'object' || info === null || Array.isArray(info)) {
    throw new SafetensorsError(DEC, `${where}: header entry must be an object {dtype, shape, data_offsets}, got ${JSON.stringify(info)}`);
  }
  const { dtype, shape, data_offsets: offs } = info as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in SAFETENSORS_ITEMSIZE)) {
    throw new SafetensorsError(DEC, `${where}: unknown or unsupported dtype ${JSON.stringify(dtype)}; readable: ${Object.keys(SAFETENSORS_ITEMSIZE).join(', ')}`);
  }
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
    throw new SafetensorsError(DEC, `${where}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offs) || offs.length !== 2 || offs.some((o) => !Number.isSafeInteger(o) || (o as number) < 0)) {
    throw new SafetensorsError(DEC, `${where}: data_offsets must be [begin, end] non-negative integers, got ${JSON.stringify(offs)}`);
  }
  const [begin, end] = offs as [number, number];
  if (end < begin) throw new SafetensorsError(DEC, `${where}: data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataLen) {
    throw new SafetensorsError(DEC, `${where}: data_offsets [${begin}, ${end}] are out of range: the data section has ${dataLen} bytes (file truncated?)`);
  }
  const itemsize = SAFETENSORS_ITEMSIZE[dtype as SafetensorsDType];
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (count * itemsize !== end - begin) {
    throw new SafetensorsError(DEC, `${where}: shape ${fmtShape(shape as number[])} of ${dtype} needs ${count} × ${itemsize} = ${count * itemsize} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { name, dtype: dtype as SafetensorsDType, shape: shape as number[], begin, end };
}

function checkTiling(entries: Entry[], dataLen: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: Entry | null = null;
  for (const e of sorted) {
    if (e.begin < pos && prev !== null) {
      throw new SafetensorsError(DEC, `tensor '${e.name}' bytes [${e.begin}, ${e.end}) overlap tensor '${prev.name}' bytes [${prev.begin}, ${prev.end})`);
    }
    if (e.begin > pos) {
      throw new SafetensorsError(DEC, `data bytes [${pos}, ${e.begin}) before tensor '${e.name}' are not covered by any tensor; the offsets do not tile the data section`);
    }
    pos = e.end;
    prev = e;
  }
  if (pos !== dataLen) {
    throw new SafetensorsError(DEC, `data bytes [${pos}, ${dataLen}) after the last tensor${prev ? ` '${prev.name}'` : ''} are not covered by any tensor; the offsets do not tile the data section`);
  }
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
