// neurite's public API (browser-safe): tensors, ops, autograd, backends.
import './ops/methods.js';

export { Tensor, tensor, zeros, ones, full, scalar, arange, linspace, eye, setDefaultDType, getDefaultDType } from './core/tensor.js';
export type { NestedArray, CreateOptions } from './core/tensor.js';
export type { DType, Storage } from './core/dtype.js';
export { Rng, manualSeed, defaultRng } from './core/rng.js';
export { rand, randn, bernoulli, randperm } from './core/random.js';
export type { RandomOptions } from './core/random.js';
export { ShapeError, ArgumentError } from './core/errors.js';
export * from './ops/elementwise.js';
export * from './ops/reduce.js';
export * from './ops/movement.js';
export { matmul } from './ops/matmul.js';
export type { MatmulOptions } from './ops/matmul.js';
export { backward, noGrad, withGrad, isGradEnabled } from './autograd/graph.js';
export { gradcheck, gradcheckVjp } from './autograd/gradcheck.js';
export type { GradcheckOptions, GradcheckResult } from './autograd/gradcheck.js';
export { setBackend, getBackend, registerBackend, listBackends } from './backend/registry.js';
export type { Backend } from './backend/backend.js';
export * as nn from './nn/index.js';
export * as tree from './tree/index.js';
export type { ParamTree, LeafSpec } from './tree/tree.js';
export { softmax, logSoftmax, softsign, hardtanh, leakyRelu, prelu, identity } from './nn/functional.js';
export * as metrics from './metrics/index.js';
export * as losses from './losses/index.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
