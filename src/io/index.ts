// Browser-safe serialisation formats: safetensors encode/decode.
export { encodeSafetensors, decodeSafetensors, readSafetensorsHeader, SafetensorsError, SAFETENSORS_ITEMSIZE, halfToFloat, bf16ToFloat } from './safetensors.js';
export type { SafetensorsDType, SafetensorsEntry, SafetensorsHeader, DecodedSafetensors, DecodeSafetensorsOptions } from './safetensors.js';
