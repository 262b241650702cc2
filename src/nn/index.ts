// The nn namespace: modules, layers, activations, initialisers.

export { Module, Stateless, childParams } from './module.js';
export type { Params, ModuleJSON, Mode, State, ApplyContext, Applied } from './module.js';
export { EMPTY_STATE } from './module.js';
export { Linear } from './linear.js';
export type { LinearOptions, WeightBias } from './linear.js';
export { Sequential, Residual, Identity } from './containers.js';
export * from './activations.js';
export * as init from './init.js';
export * as functional from './functional.js';
export { Flatten, Reshape, Dropout, BatchNorm1d } from './layers.js';
export type { BatchNormOptions, BatchNormParams, RunningStats } from './layers.js';
export { mlp } from './mlp.js';
export { Graph, formatGraphSummary } from './graph.js';
export type { GraphSpec, GraphNode, ModuleNode, MergeNode, MergeKind, GraphSummaryRow } from './graph.js';
export type { MlpOptions } from './mlp.js';
export { moduleFromJSON, registerModule } from './registry.js';
export { regressionHead, vectorRegressionHead, binaryHead, multiclassHead, headFromJSON } from '../heads/heads.js';
export type { Head, HeadJSON, HeadKind, RegressionActivation, RegressionHeadOptions, BinaryHeadOptions, MulticlassHeadOptions } from '../heads/heads.js';
export { Conv2d } from './conv.js';
export type { Conv2dLayerOptions } from './conv.js';
export { MaxPool2d, AvgPool2d, GlobalAvgPool2d } from './pool.js';
export { BatchNorm2d } from './norm2d.js';
export { Recurrent, RNN, LSTM, GRU, LastStep } from './recurrent.js';
export type { RecurrentOptions, RecurrentState } from './recurrent.js';
export { inferFast } from './infer.js';
