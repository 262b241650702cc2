// Browser-safe serialisation formats: safetensors encode/decode.
export { encodeSafetensors, decodeSafetensors, readSafetensorsHeader, SafetensorsError, SAFETENSORS_ITEMSIZE, halfToFloat, bf16ToFloat } from './safetensors.js';
export type { SafetensorsDType, SafetensorsEntry, SafetensorsHeader, DecodedSafetensors, DecodeSafetensorsOptions } from './safetensors.js';
export { importOnnx, maxOnnxOpset } from './onnx/import.js';
export type { ImportOnnxOptions } from './onnx/import.js';
export { OnnxGraph } from './onnx/graph-module.js';
export type { OnnxInputInfo } from './onnx/graph-module.js';
export { OnnxImportError } from './onnx/errors.js';
export { IntValue } from './onnx/values.js';
export type { Value as OnnxValue, IntDType } from './onnx/values.js';
export { supportedOnnxOps } from './onnx/ops/index.js';
