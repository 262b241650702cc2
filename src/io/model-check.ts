// Validation of an untrusted model.json against its weight file's header, done before anything is
// built or allocated: top-level fields, declared tensors (names, shapes, dtypes), and the architecture.
import type { Tensor } from '../tensor/tensor.js';
import { fmtShape } from '../core/errors.js';
import { ALLOCATION_OVERHEAD_BYTES, LimitError, checkFileSize, checkJsonDepth, getLimits, previewJson } from '../core/limits.js';
import type { SafetensorsEntry } from './safetensors-header.js';

/**
 * Raised for a corrupt or mismatched model; names the file and what is wrong.
 * @example
 * try { deserializeModel({ format: 'other' }, new Uint8Array()); }
 * catch (e) { if (e instanceof ModelFileError) console.error(e.message); } // model/model.json: not a neurite model …
 */
export class ModelFileError extends Error {
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'ModelFileError';
  }
}

/**
 * Refuses a model file larger than `limit` bytes before it is read: a ModelFileError naming the
 * file, with the LimitError as its cause.
 * @example checkModelFileSize('https://x/m/model.json', 1e9, getLimits().maxModelJsonBytes) // throws
 */
export function checkModelFileSize(file: string, bytes: number, limit: number): void {
  try {
    checkFileSize(file, bytes, limit);
  } catch (e) {
    if (e instanceof LimitError) throw new ModelFileError(file, e.message.slice(file.length + 2), { cause: e });
    throw e;
  }
}

/**
 * The safetensors dtypes a neurite model holds: the two float types it computes in, the 16-bit
 * storage formats (widened to float32 on load), and I8 (the weights of int8-quantized models).
 */
export const MODEL_DTYPES = ['F32', 'F64', 'F16', 'BF16', 'I8'] as const;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * Checks the shape of model.json's top level (format, version, field types, nesting depth) and
 * returns it as an object; `file` names model.json in every error.
 * @example checkModelTopLevel(JSON.parse(text), 'runs/a/model.json', 'neurite-model', 1)
 */
export function checkModelTopLevel(raw: unknown, file: string, format: string, version: number): Obj {
  if (!isObject(raw) || raw.format !== format) throw new ModelFileError(file, `not a neurite model (expected "format": "${format}")`);
  try { checkJsonDepth(raw); } catch (e) { throw new ModelFileError(file, (e as Error).message); }
  const v = raw.version;
  if (!Number.isInteger(v) || (v as number) < 1) throw new ModelFileError(file, `"version" must be a positive integer, got ${previewJson(v)}`);
  if ((v as number) > version) throw new ModelFileError(file, `format version ${v} is newer than this neurite reads (${version}); upgrade neurite`);
  if (raw.weightsChecksum !== undefined && (typeof raw.weightsChecksum !== 'string' || !/^[0-9a-f]{8}$/.test(raw.weightsChecksum))) {
    throw new ModelFileError(file, `"weightsChecksum" must be 8 hex digits, got ${previewJson(raw.weightsChecksum)}`);
  }
  for (const key of ['classNames', 'featureNames'] as const) {
    if (raw[key] !== undefined && !isStringList(raw[key])) throw new ModelFileError(file, `"${key}" must be a list of strings, got ${previewJson(raw[key])}`);
  }
  if (raw.info !== undefined && !isObject(raw.info)) throw new ModelFileError(file, `"info" must be an object, got ${previewJson(raw.info)}`);
  if (!isObject(raw.module)) throw new ModelFileError(file, `"module" must be the architecture object ({"type": ...}), got ${previewJson(raw.module)}`);
  return raw;
}

/**
 * Checks model.json's `tensors` (name → {shape, dtype}) against the weight file's header: the same
 * names, shapes and dtypes, and only the dtypes neurite computes in ({@link MODEL_DTYPES}).
 * @example checkDeclaredTensors(json.tensors, header.entries, 'a/model.json', 'a/model.safetensors')
 */
export function checkDeclaredTensors(declared: unknown, entries: readonly SafetensorsEntry[], jsonFile: string, weightsFile: string): void {
  if (!isObject(declared)) throw new ModelFileError(jsonFile, `"tensors" must map tensor names to {shape, dtype}, got ${previewJson(declared)}`);
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const [name, meta] of Object.entries(declared)) {
    const where = `tensors[${JSON.stringify(name)}]`;
    if (!isObject(meta)) throw new ModelFileError(jsonFile, `${where} must be {shape, dtype}, got ${previewJson(meta)}`);
    const { shape, dtype } = meta;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      throw new ModelFileError(jsonFile, `${where}.shape must be a list of non-negative integers, got ${previewJson(shape)}`);
    }
    if (typeof dtype !== 'string' || !(MODEL_DTYPES as readonly string[]).includes(dtype)) {
      throw new ModelFileError(jsonFile, `${where}.dtype is ${previewJson(dtype)}; neurite models hold only ${MODEL_DTYPES.slice(0, -1).join(', ')} or ${MODEL_DTYPES.at(-1)} tensors`);
    }
    const entry = byName.get(name);
    if (entry === undefined) throw new ModelFileError(weightsFile, `model.json lists "${name}" but the weights file does not hold it`);
    if (entry.shape.join() !== shape.join()) throw new ModelFileError(weightsFile, `"${name}" is ${fmtShape(entry.shape)} in the weights but ${fmtShape(shape as number[])} in model.json`);
    if (entry.dtype !== dtype) {
      throw new ModelFileError(weightsFile, `"${name}" is stored as ${entry.dtype} but model.json says ${dtype}; the files do not belong together or one was edited`);
    }
  }
  const extra = entries.filter((e) => !Object.hasOwn(declared, e.name));
  if (extra.length > 0) throw new ModelFileError(weightsFile, `holds tensors model.json does not list: ${extra.map((e) => e.name).join(', ')}`);
}

/**
 * The allocation budget for building the architecture: 4× what its tensors need as float64 (with the
 * per-allocation overhead a budget charges) plus the configured slack — an architecture that needs
 * more cannot match its weight file.
 * @example withAllocationBudget(buildBudget(header.entries), 'model.json module', build)
 */
export function buildBudget(entries: readonly SafetensorsEntry[]): number {
  const elements = entries.reduce((s, e) => s + e.shape.reduce((a, b) => a * b, 1), 0);
  return 4 * (8 * elements + ALLOCATION_OVERHEAD_BYTES * entries.length) + getLimits().modelBuildSlackBytes;
}

/**
 * Compares the built module's state dict with the header, by name and shape, before any data is read.
 * @example checkArchitecture(module.stateDict(), header.entries, 'a/model.safetensors')
 */
export function checkArchitecture(state: Record<string, Tensor>, entries: readonly SafetensorsEntry[], file: string): void {
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const [name, t] of Object.entries(state)) {
    const got = byName.get(name);
    if (!got) throw new ModelFileError(file, `tensor "${name}" (shape ${fmtShape(t.shape)}) is missing from the weights`);
    if (got.shape.join() !== t.shape.join()) throw new ModelFileError(file, `tensor "${name}" has shape ${fmtShape(got.shape)}, the architecture needs ${fmtShape(t.shape)}`);
  }
  const extra = entries.filter((e) => !Object.hasOwn(state, e.name)).map((e) => e.name);
  if (extra.length > 0) throw new ModelFileError(file, `weights hold tensors the architecture does not use: ${extra.join(', ')}`);
}
