// Model files: architecture JSON (module, head, scaler, class/feature names) + safetensors weights
// with PyTorch names. Browser-safe: converts a model to/from bytes; src/node/model.ts does the files.
import type { Tensor } from '../core/tensor.js';
import type { Module, ModuleJSON } from '../nn/module.js';
import { moduleFromJSON } from '../nn/registry.js';
import '../nn/mlp.js';
import '../nn/register-layers.js';
import '../hyper/register.js';
import { type Head, type HeadJSON, headFromJSON } from '../nn/heads.js';
import { type ScalerJSON, scalerFromJSON, type StandardScaler, type MinMaxScaler } from '../data/scalers.js';
import { DataSchema } from '../data/schema.js';
import type { DataSchemaJSON } from '../data/schema-json.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { fmtShape } from '../core/errors.js';

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

/**
 * Raised for a corrupt or mismatched model; names the file and what is wrong.
 * @example
 * try { deserializeModel({ format: 'other' }, new Uint8Array()); }
 * catch (e) { if (e instanceof ModelFileError) console.error(e.message); } // model/model.json: not a neurite model …
 */
export class ModelFileError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ModelFileError';
  }
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

function checkTensors(json: ModelJSON, state: Record<string, Tensor>, loaded: Record<string, Tensor>, file: string): void {
  for (const [name, t] of Object.entries(state)) {
    const got = loaded[name];
    if (!got) throw new ModelFileError(file, `tensor "${name}" (shape ${fmtShape(t.shape)}) is missing from the weights`);
    if (got.shape.join() !== t.shape.join()) throw new ModelFileError(file, `tensor "${name}" has shape ${fmtShape(got.shape)}, the architecture needs ${fmtShape(t.shape)}`);
  }
  const extra = Object.keys(loaded).filter((k) => !(k in state));
  if (extra.length > 0) throw new ModelFileError(file, `weights hold tensors the architecture does not use: ${extra.join(', ')}`);
  for (const [name, meta] of Object.entries(json.tensors ?? {})) {
    if (!loaded[name]) throw new ModelFileError(file, `model.json lists "${name}" but the weights file does not hold it`);
    if (meta.shape.join() !== loaded[name]!.shape.join()) throw new ModelFileError(file, `"${name}" is ${fmtShape(loaded[name]!.shape)} in the weights but ${fmtShape(meta.shape)} in model.json`);
  }
}

/**
 * Rebuilds a model from its JSON and weights bytes, checking format, checksum, names and shapes.
 * @example const bundle = deserializeModel(JSON.parse(text), bytes);
 */
export function deserializeModel(raw: unknown, weights: Uint8Array, file = 'model'): ModelBundle {
  const json = raw as ModelJSON;
  if (typeof raw !== 'object' || raw === null || json.format !== MODEL_FORMAT) {
    throw new ModelFileError(`${file}/model.json`, `not a neurite model (expected "format": "${MODEL_FORMAT}")`);
  }
  if (json.version > MODEL_VERSION) throw new ModelFileError(`${file}/model.json`, `format version ${json.version} is newer than this neurite reads (${MODEL_VERSION}); upgrade neurite`);
  if (json.weightsChecksum && checksum(weights) !== json.weightsChecksum) {
    throw new ModelFileError(`${file}/model.safetensors`, 'checksum does not match model.json: the two files come from different saves or the weights are corrupt');
  }
  const module = moduleFromJSON(json.module);
  const head = headFromJSON(json.head);
  const loaded = decodeSafetensors(weights).tensors;
  checkTensors(json, module.stateDict(), loaded, `${file}/model.safetensors`);
  module.loadStateDict(loaded);
  module.eval();
  return {
    module, head,
    ...(json.scaler ? { scaler: scalerFromJSON(json.scaler) } : {}),
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
