// Browser-safe serialisation formats and model persistence: safetensors encode/decode, ONNX export,
// model files over fetch, IndexedDB, downloads and picked files.
export { encodeSafetensors, decodeSafetensors, readSafetensorsHeader, SafetensorsError, SAFETENSORS_ITEMSIZE, halfToFloat, bf16ToFloat } from './safetensors.js';
export type { SafetensorsDType, SafetensorsEntry, SafetensorsHeader, DecodedSafetensors, DecodeSafetensorsOptions } from './safetensors.js';
export { modelFiles, parseModelFiles } from './model.js';
export type { ModelFiles } from './model.js';
export { loadModelFromUrl } from './fetch-model.js';
export type { LoadModelFromUrlOptions, FetchLike, FetchResponseLike } from './fetch-model.js';
export { saveModelToIndexedDB, loadModelFromIndexedDB, listModelsInIndexedDB, deleteModelFromIndexedDB } from './indexeddb.js';
export type { IndexedDBModelOptions } from './indexeddb.js';
export { downloadModel, loadModelFromFiles } from './download.js';
export type { DownloadModelOptions, FileLike } from './download.js';
export { exportOnnx, DEFAULT_ONNX_OPSET, MIN_ONNX_OPSET } from './onnx/export.js';
export type { OnnxExportOptions } from './onnx/export.js';
export type { FeatureMap } from './onnx/export-affine.js';
export { importOnnx, maxOnnxOpset } from './onnx/import.js';
export type { ImportOnnxOptions } from './onnx/import.js';
export { OnnxGraph } from './onnx/graph-module.js';
export type { OnnxInputInfo } from './onnx/graph-module.js';
export { OnnxImportError } from './onnx/errors.js';
export { IntValue } from './onnx/values.js';
export type { Value as OnnxValue, IntDType } from './onnx/values.js';
export { supportedOnnxOps } from './onnx/ops/index.js';
