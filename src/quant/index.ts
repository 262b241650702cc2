// Low-precision inference: int8 post-training quantization (and the int8 arithmetic it rests on), float16 models kept 16-bit in memory.
export { QUANT_MODULE_BUILDERS } from './builders.js';
export { quantize, type QuantizeOptions } from './quantize.js';
export { prepareQat, FakeQuant } from './qat.js';
export { QuantizedSequential, type QuantLayerJSON, type QuantStep } from './quantized-model.js';
export { HalfModel, keepHalfModel, HALF_BLOCK_FLOATS } from './half-model.js';
export {
  roundHalfEven, quantizeWeights, affineParams, quantizeRows, calibrationRange, type AffineParams, type ChannelQuantized, type CalibrationMethod,
} from './int8.js';
