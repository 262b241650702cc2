// Browser-safe serialisation formats: safetensors encode/decode.
export { encodeSafetensors, decodeSafetensors, SafetensorsError, SAFETENSORS_ITEMSIZE, halfToFloat, bf16ToFloat } from './safetensors.js';
export type { SafetensorsDType, DecodedSafetensors, DecodeSafetensorsOptions } from './safetensors.js';
