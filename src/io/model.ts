// Model files: architecture JSON (module, head, scaler, class/feature names) + safetensors weights
// with PyTorch names. Browser-safe: converts a model to/from bytes; src/node/model.ts does the files.
import type { Module, ModuleJSON } from '../nn/module.js';
import { moduleFromJSON } from './modules.js';
import { type Head, type HeadJSON, headFromJSON } from '../heads/heads.js';
import { type ScalerJSON, scalerFromJSON, type StandardScaler, type MinMaxScaler } from '../data/scalers.js';
import { DataSchema } from '../data/schema.js';
import type { DataSchemaJSON } from '../data/schema-json.js';
import { type SafetensorsHeader, SafetensorsError, decodeEntries, encodeSafetensors, readSafetensorsHeader } from './safetensors.js';
import { ArgumentError, ShapeError } from '../core/errors.js';
import { LimitError, withAllocationBudget } from '../core/limits.js';
import { ModelFileError, buildBudget, checkArchitecture, checkDeclaredTensors, checkModelTopLevel } from './model-check.js';

export { ModelFileError, MODEL_DTYPES } from './model-check.js';

/** The `format` field every model.json carries. */
export const MODEL_FORMAT = 'neurite-model';
/** The newest model.json format version this build reads and writes. */
export const MODEL_VERSION = 1;

/** Everything needed to use a trained network on new raw data. */
export interface ModelBundle {
  module: Module;
  head: Head;
  /** Feature scaler fitted on the training data, applied before the module. */
  scaler?: StandardScaler | MinMaxScaler;
  classNames?: string[];
  featureNames?: string[];
  /** The data schema fitted at training time: columns, types, label encoder, imputation, target scaler. */
  schema?: DataSchema;
  /** Free-form facts (data set, config) kept in model.json. */
  info?: Record<string, unknown>;
}

/** The architecture JSON stored as model.json. */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: number;
  module: ModuleJSON;
  head: HeadJSON;
  scaler?: ScalerJSON;
  classNames?: string[];
  featureNames?: string[];
  schema?: DataSchemaJSON;
  info?: Record<string, unknown>;
  /** Tensor names, shapes and dtypes in the weights file, checked on load. */
  tensors: Record<string, { shape: number[]; dtype: string }>;
  /** FNV-1a 32-bit checksum of the weights file, so a mismatched pair of files is detected. */
  weightsChecksum: string;
}

/** FNV-1a over bytes, as 8 hex digits. */
export function checksum(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * Serialises a model: `{ json, weights }` where weights are safetensors bytes with PyTorch names.
 * @example const { json, weights } = serializeModel({ module, head });
 */
export function serializeModel(bundle: ModelBundle): { json: ModelJSON; weights: Uint8Array } {
  const state = bundle.module.stateDict();
  const weights = encodeSafetensors(state, { format: 'pt', producer: 'neurite' });
  const tensors = Object.fromEntries(Object.entries(state).map(([k, t]) => [k, { shape: [...t.shape], dtype: t.dtype === 'float64' ? 'F64' : 'F32' }]));
  const json: ModelJSON = {
    format: MODEL_FORMAT, version: MODEL_VERSION, module: bundle.module.toJSON(), head: bundle.head.toJSON(), tensors, weightsChecksum: checksum(weights),
    ...(bundle.scaler ? { scaler: bundle.scaler.toJSON() } : {}),
    ...(bundle.classNames ? { classNames: bundle.classNames } : {}),
    ...(bundle.featureNames ? { featureNames: bundle.featureNames } : {}),
    ...(bundle.schema ? { schema: bundle.schema.toJSON() } : {}),
    ...(bundle.info ? { info: bundle.info } : {}),
  };
  return { json, weights };
}

/**
 * Runs a builder of untrusted JSON (module, head, scaler) and reports any failure as a ModelFileError
 * naming the file and the field; the original error is kept as `cause`.
 */
function building<T>(file: string, field: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    const err = e as Error;
    const typed = e instanceof ArgumentError || e instanceof ShapeError || e instanceof LimitError;
    const message = typed ? err.message : `cannot be built (${err?.name}: ${err?.message})`;
    throw new ModelFileError(file, `${field}: ${message}`, { cause: e });
  }
}

function readHeader(weights: Uint8Array, file: string): SafetensorsHeader {
  try {
    return readSafetensorsHeader(weights);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new ModelFileError(file, e.message, { cause: e });
    throw e;
  }
}

/**
 * Rebuilds a model from its JSON and weights bytes. Everything is checked before it is used: format,
 * version and field types; the weights' checksum; the safetensors header; that model.json's declared
 * tensors match the header in names, shapes and dtypes (F32/F64 only); then the architecture is built
 * under an allocation budget derived from the header (an edited size is a LimitError, not an
 * out-of-memory crash) and its names and shapes are compared with the header before any data is read.
 * Every failure is a ModelFileError naming the file.
 * @example const bundle = deserializeModel(JSON.parse(text), bytes);
 */
export function deserializeModel(raw: unknown, weights: Uint8Array, file = 'model'): ModelBundle {
  const jsonFile = `${file}/model.json`, weightsFile = `${file}/model.safetensors`;
  const json = checkModelTopLevel(raw, jsonFile, MODEL_FORMAT, MODEL_VERSION) as unknown as ModelJSON;
  if (!(weights instanceof Uint8Array)) throw new ModelFileError(weightsFile, 'expected the file contents as a Uint8Array');
  if (json.weightsChecksum && checksum(weights) !== json.weightsChecksum) {
    throw new ModelFileError(weightsFile, 'checksum does not match model.json: the two files come from different saves or the weights are corrupt');
  }
  const header = readHeader(weights, weightsFile);
  checkDeclaredTensors(json.tensors, header.entries, jsonFile, weightsFile);
  const module = building(jsonFile, 'module', () => withAllocationBudget(buildBudget(header.entries), 'building the model.json architecture', () => moduleFromJSON(json.module)));
  const head = building(jsonFile, 'head', () => headFromJSON(json.head));
  const scaler = json.scaler === undefined ? undefined : building(jsonFile, 'scaler', () => scalerFromJSON(json.scaler!));
  checkArchitecture(module.stateDict(), header.entries, weightsFile);
  module.loadStateDict(decodeEntries(weights, header).tensors);
  module.eval();
  return {
    module, head,
    ...(scaler ? { scaler } : {}),
    ...(json.classNames ? { classNames: json.classNames } : {}),
    ...(json.featureNames ? { featureNames: json.featureNames } : {}),
    ...(json.schema !== undefined ? { schema: schemaOf(json.schema, file) } : {}),
    ...(json.info ? { info: json.info } : {}),
  };
}

function schemaOf(raw: unknown, file: string): DataSchema {
  try {
    return DataSchema.fromJSON(raw);
  } catch (e) {
    throw new ModelFileError(`${file}/model.json`, (e as Error).message);
  }
}
