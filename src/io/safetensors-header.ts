// The safetensors header, read and validated strictly without touching the tensor data (browser-safe):
// length, UTF-8, JSON, duplicate keys, nesting, each entry's dtype/shape/offsets, and exact tiling.
import { fmtShape } from '../core/errors.js';
import { checkJsonDepth, LimitError, previewJson } from '../core/limits.js';

/** The element types safetensors files may hold that neurite reads. */
export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** Bytes per element of each readable safetensors dtype. @example io.SAFETENSORS_ITEMSIZE.BF16 // 2 */
export const SAFETENSORS_ITEMSIZE: Readonly<Record<SafetensorsDType, number>> = Object.freeze({
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
});

/** The largest header the reader accepts (the Rust reference implementation's limit). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

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

/** One tensor's header entry; `begin`/`end` are byte offsets into the data section. */
export interface SafetensorsEntry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

/** A validated header: the entries in file order, the string metadata, and where the data section starts. */
export interface SafetensorsHeader {
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
  dataStart: number;
}

/**
 * Reads and validates the header of a safetensors file held in memory, without copying any tensor data,
 * so a caller can compare names, dtypes and shapes before allocating anything.
 * @example
 * const { entries } = readSafetensorsHeader(bytes);
 * entries.map((e) => `${e.name} ${e.dtype} [${e.shape}]`);
 */
export function readSafetensorsHeader(bytes: Uint8Array, op = 'decodeSafetensors'): SafetensorsHeader {
  const { header, dataStart } = readHeaderJson(bytes, op);
  const dataLen = bytes.length - dataStart;
  const metadata = Object.hasOwn(header, '__metadata__') ? checkMetadata(header.__metadata__, op) : {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name !== '__metadata__') entries.push(parseEntry(name, info, dataLen, op));
  }
  checkTiling(entries, dataLen, op);
  return { entries, metadata, dataStart };
}

/** Checks `__metadata__` is an object of string values; returns a copy. */
export function checkMetadata(metadata: unknown, op: string): Record<string, string> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new SafetensorsError(op, `__metadata__ must be an object of string values, got ${previewJson(metadata)}`);
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') {
      throw new SafetensorsError(op, `__metadata__ value for '${k}' must be a string, got ${previewJson(v)}; stringify it (e.g. JSON.stringify)`);
    }
  }
  return Object.fromEntries(Object.entries(metadata as Record<string, string>));
}

function readHeaderJson(bytes: Uint8Array, op: string): { header: Record<string, unknown>; dataStart: number } {
  if (!(bytes instanceof Uint8Array)) throw new SafetensorsError(op, 'expected the file contents as a Uint8Array');
  if (bytes.length < 8) {
    throw new SafetensorsError(op, `truncated file: ${bytes.length} bytes, fewer than the 8-byte header length; the file is not safetensors or was cut off`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(4, true) * 4294967296 + view.getUint32(0, true);
  if (n > SAFETENSORS_MAX_HEADER_BYTES) throw new SafetensorsError(op, `header length ${n} bytes is over the limit of ${SAFETENSORS_MAX_HEADER_BYTES}; the file is corrupt or not safetensors`);
  if (n > bytes.length - 8) {
    throw new SafetensorsError(op, `header length ${n} bytes is beyond the end of the file (${bytes.length - 8} bytes after the length field); the file is truncated or not safetensors`);
  }
  if (n < 2) throw new SafetensorsError(op, `header length ${n} is too small to hold a JSON object`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new SafetensorsError(op, 'header is not valid UTF-8; the file is corrupt or not safetensors');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    throw new SafetensorsError(op, `header is not valid JSON (${(err as Error).message}); the file is corrupt or not safetensors`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError(op, 'header JSON must be an object mapping tensor names to {dtype, shape, data_offsets}');
  }
  try { checkJsonDepth(header, 'header', 4); } catch (e) { if (e instanceof LimitError) throw new SafetensorsError(op, e.message); throw e; }
  const dup = firstDuplicateKey(text);
  if (dup !== null) throw new SafetensorsError(op, `header names ${JSON.stringify(dup)} twice; the file is corrupt (JSON keeps only the last entry)`);
  return { header: header as Record<string, unknown>, dataStart: 8 + n };
}

/**
 * The first key that occurs twice in one object of valid JSON text, or null (JSON.parse silently keeps the last).
 * @example firstDuplicateKey('{"a":1,"a":2}') // 'a'
 */
export function firstDuplicateKey(text: string): string | null {
  const stack: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') stack.push(new Set());
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const keys = stack[stack.length - 1];
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k]!)) k++;
      if (keys && text[k] === ':') {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      i = j;
    }
  }
  return null;
}

function parseEntry(name: string, info: unknown, dataLen: number, op: string): SafetensorsEntry {
  const where = `tensor '${name}'`;
  if (name.length === 0) throw new SafetensorsError(op, 'a tensor has an empty name; the file is corrupt');
  if (typeof info !== 'object' || info === null || Array.isArray(info)) {
    throw new SafetensorsError(op, `${where}: header entry must be an object {dtype, shape, data_offsets}, got ${previewJson(info)}`);
  }
  const { dtype, shape, data_offsets: offs } = info as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.hasOwn(SAFETENSORS_ITEMSIZE, dtype)) {
    throw new SafetensorsError(op, `${where}: unknown or unsupported dtype ${previewJson(dtype)}; readable: ${Object.keys(SAFETENSORS_ITEMSIZE).join(', ')}`);
  }
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
    throw new SafetensorsError(op, `${where}: shape must be a list of non-negative integers, got ${previewJson(shape)}`);
  }
  if (!Array.isArray(offs) || offs.length !== 2 || offs.some((o) => !Number.isSafeInteger(o) || (o as number) < 0)) {
    throw new SafetensorsError(op, `${where}: data_offsets must be [begin, end] non-negative integers, got ${previewJson(offs)}`);
  }
  const [begin, end] = offs as [number, number];
  if (end < begin) throw new SafetensorsError(op, `${where}: data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataLen) {
    throw new SafetensorsError(op, `${where}: data_offsets [${begin}, ${end}] are out of range: the data section has ${dataLen} bytes (file truncated?)`);
  }
  const itemsize = SAFETENSORS_ITEMSIZE[dtype as SafetensorsDType];
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (count * itemsize !== end - begin) {
    throw new SafetensorsError(op, `${where}: shape ${fmtShape(shape as number[])} of ${dtype} needs ${count} × ${itemsize} = ${count * itemsize} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { name, dtype: dtype as SafetensorsDType, shape: shape as number[], begin, end };
}

function checkTiling(entries: SafetensorsEntry[], dataLen: number, op: string): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: SafetensorsEntry | null = null;
  for (const e of sorted) {
    if (e.begin < pos && prev !== null) {
      throw new SafetensorsError(op, `tensor '${e.name}' bytes [${e.begin}, ${e.end}) overlap tensor '${prev.name}' bytes [${prev.begin}, ${prev.end})`);
    }
    if (e.begin > pos) {
      throw new SafetensorsError(op, `data bytes [${pos}, ${e.begin}) before tensor '${e.name}' are not covered by any tensor; the offsets do not tile the data section`);
    }
    pos = e.end;
    prev = e;
  }
  if (pos !== dataLen) {
    throw new SafetensorsError(op, `data bytes [${pos}, ${dataLen}) after the last tensor${prev ? ` '${prev.name}'` : ''} are not covered by any tensor; the offsets do not tile the data section`);
  }
}
