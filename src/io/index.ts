// Browser-safe serialisation formats: safetensors encode/decode, ONNX export.
export { encodeSafetensors, decodeSafetensors, readSafetensorsHeader, SafetensorsError, SAFETENSORS_ITEMSIZE, halfToFloat, bf16ToFloat } from './safetensors.js';
export type { SafetensorsDType, SafetensorsEntry, SafetensorsHeader, DecodedSafetensors, DecodeSafetensorsOptions } from './safetensors.js';
export { exportOnnx, DEFAULT_ONNX_OPSET, MIN_ONNX_OPSET } from './onnx/export.js';
export type { OnnxExportOptions } from './onnx/export.js';
export type { FeatureMap } from './onnx/export-affine.js';
