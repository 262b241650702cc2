// Hypernetworks: networks that generate the weights of other networks (module `hyper`).

export { HyperNetwork } from './hypernet.js';
export type { Conditioning, HyperNetworkOptions } from './hypernet.js';
export { hyperfanScales, targetFanIns, unflattenBatched, chunkPlan } from './layout.js';
export type { ChunkPlan } from './layout.js';
export { snapshotTaskOutputs, outputRegularizer, weightDiversity } from './regularizers.js';
export type { OutputSnapshot } from './regularizers.js';
export { DeepEnsemble, meanStd, predictStochastic, sampledOutputs } from './ensemble.js';
export type { EnsemblePrediction } from './ensemble.js';
export { AdaptiveDepthNet } from './adaptive.js';
export type { AdaptiveDepthOptions, PonderPass } from './adaptive.js';
