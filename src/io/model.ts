// Model files: architecture JSON (module, head, scaler, class/feature names) + safetensors weights
// with PyTorch names. Browser-safe: converts a model to/from bytes; src/node/model.ts does the files.
import type { Module, ModuleJSON } from '../nn/module.js';
import { moduleFromJSON } from './modules.js';
import { type Head, type HeadJSON, headFromJSON } from '../heads/heads.js';
import { QuantizedSequential } from '../quant/quantized-model.js';
import { keepHalfModel } from '../quant/half-model.js';
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

/** How a model's weights are stored on disk. */
export interface SerializeModelOptions {
  /**
   * Storage of the weights file: 'float32' (default: each tensor's own float32/float64), or the
   * 16-bit 'float16' / 'bfloat16' (rounded to nearest even; half the bytes). Loading widens them to
   * float32, which neurite computes in, so predictions differ from the float32 model by the rounding.
   */
  weightsDType?: 'float32' | 'float16' | 'bfloat16';
}

const STORAGE_DTYPES = { float32: undefined, float16: 'F16', bfloat16: 'BF16' } as const;

/**
 * Serialises a model: `{ json, weights }` where weights are safetensors bytes with PyTorch names.
 * @example const { json, weights } = serializeModel({ module, head });
 * @example const half = serializeModel({ module, head }, { weightsDType: 'float16' }); // F16 weights, half the size
 */
export function serializeModel(bundle: ModelBundle, options: SerializeModelOptions = {}): { json: ModelJSON; weights: Uint8Array } {
  const weightsDType = options.weightsDType ?? 'float32';
  if (!Object.hasOwn(STORAGE_DTYPES, weightsDType)) {
    throw new ArgumentError('serializeModel', `weightsDType ${JSON.stringify(weightsDType)} is not a storage format; use 'float32', 'float16' or 'bfloat16'`);
  }
  const storeAs = STORAGE_DTYPES[weightsDType];
  const state = bundle.module.stateDict();
  const perTensor: Record<string, 'I8'> = bundle.module instanceof QuantizedSequential ? bundle.module.storageDTypes() : {};
  const weights = encodeSafetensors(state, { format: 'pt', producer: 'neurite' }, { ...(storeAs ? { dtype: storeAs } : {}), dtypes: perTensor });
  const tensors = Object.fromEntries(Object.entries(state).map(([k, t]) => [k, { shape: [...t.shape], dtype: perTensor[k] ?? storeAs ?? (t.dtype === 'float64' ? 'F64' : 'F32') }]));
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

/** The two files of a model folder, named as on disk. */
export interface ModelFiles {
  'model.json': string;
  'model.safetensors': Uint8Array;
}

/**
 * model.json's text: one top-level field per line and one `tensors` entry per line, each value as compact
 * JSON (readable line by line, without the indentation that tripled the size of number lists), plus a newline.
 * @example modelJsonText(json) // '{\n  "format": "neurite-model",\n  "version": 1,\n  "module": {"type":"Sequential",…},\n …}\n'
 */
export function modelJsonText(json: ModelJSON): string {
  const line = ([k, v]: [string, unknown]): string => {
    if (k !== 'tensors') return `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
    const entries = Object.entries(v as ModelJSON['tensors']).map(([name, t]) => `    ${JSON.stringify(name)}: ${JSON.stringify(t)}`);
    return entries.length === 0 ? '  "tensors": {}' : `  "tensors": {\n${entries.join(',\n')}\n  }`;
  };
  return `{\n${Object.entries(json).filter(([, v]) => v !== undefined).map(line).join(',\n')}\n}\n`;
}

/**
 * A model's two files, byte for byte as the CLI and saveModel write them (model.json as
 * {@link modelJsonText}), so a model saved anywhere loads everywhere.
 * @example const files = modelFiles({ module, head }); // { 'model.json': '{\n  "format": …', 'model.safetensors': Uint8Array }
 */
export function modelFiles(bundle: ModelBundle, options: SerializeModelOptions = {}): ModelFiles {
  const { json, weights } = serializeModel(bundle, options);
  return { 'model.json': modelJsonText(json), 'model.safetensors': weights };
}

/**
 * Parses model.json's text (or UTF-8 bytes) and rebuilds the model with {@link deserializeModel};
 * `folder` names the files in errors (`<folder>/model.json: not valid JSON (…)`).
 * @example const bundle = parseModelFiles(await res.text(), weights, 'https://x/models/a');
 */
export function parseModelFiles(jsonText: string | Uint8Array, weights: Uint8Array, folder: string, options: LoadModelOptions = {}): ModelBundle {
  const text = typeof jsonText === 'string' ? jsonText : new TextDecoder().decode(jsonText);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const hint = /^\s*</.test(text) ? ' — it looks like an HTML page, not model.json: check the address' : '';
    throw new ModelFileError(`${folder}/model.json`, `not valid JSON (${(e as Error).message})${hint}`);
  }
  return deserializeModel(json, weights, folder, options);
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

/** How a model file is loaded. */
export interface LoadModelOptions {
  /**
   * Keep a float16/bfloat16 file's parameters 16-bit in memory: the module is then a HalfModel (src/quant/half-model.ts)
   * that widens one layer (or block of a large Linear's rows) at a time while it runs. Only for a Sequential whose
   * parameters are all F16 or all BF16; any other file loads widened to float32 as without it. Default false.
   */
  keepHalf?: boolean;
}

/**
 * Rebuilds a model from its JSON and weights bytes. Everything is checked before it is used: format,
 * version and field types; the weights' checksum; the safetensors header; that model.json's declared
 * tensors match the header in names, shapes and dtypes (F32/F64 only); then the architecture is built
 * under an allocation budget derived from the header (an edited size is a LimitError, not an
 * out-of-memory crash) and its names and shapes are compared with the header before any data is read.
 * Every failure is a ModelFileError naming the file. `options.keepHalf` keeps a 16-bit file 16-bit in memory.
 * @example const bundle = deserializeModel(JSON.parse(text), bytes);
 * @example const half = deserializeModel(JSON.parse(text), bytes, 'models/a', { keepHalf: true }); // a HalfModel for an F16 Sequential
 */
export function deserializeModel(raw: unknown, weights: Uint8Array, file = 'model', options: LoadModelOptions = {}): ModelBundle {
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
    module: (options.keepHalf ? keepHalfModel(module, weights, header) : null) ?? module, head,
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
