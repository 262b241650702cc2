// The losses: regression (per element and per row), binary and multiclass classification; each with PyTorch's reduction option.
export { mse, mae, squaredL2, l1, huber } from './regression.js';
export type { HuberOptions } from './regression.js';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, hinge } from './binary.js';
export type { HingeOptions } from './binary.js';
export { crossEntropy, multiMargin } from './multiclass.js';
export type { CrossEntropyOptions, MultiMarginOptions } from './multiclass.js';
export { reduce } from './common.js';
export type { Reduction, ReductionOptions } from './common.js';
