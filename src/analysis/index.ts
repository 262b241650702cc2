// The analysis tools: symmetries, universal approximation, representations, neuron traces, plots.
export { permuteNeurons, flipNeuronSign, flipSigmoidNeuron, canonicalForm, countEquivalentNetworks, hiddenActivations, alignNetworks } from './symmetry.js';
export { hungarian } from './assignment.js';
export { interpolationBarrier, type InterpolationResult } from './interpolation.js';
export { symmetricEigen, pca, pcaProject, componentsForVariance, type PcaResult } from './pca.js';
export { representations, linearProbe, type WithIntermediates, type ProbeOptions, type ProbeResult } from './representations.js';
export { scatterSvg, filterGridSvg, type ScatterOptions } from './svg.js';
export { neuronHeatmapsSvg, type HeatmapOptions } from './heatmaps.js';
export { traceNeurons, formatTrace, type NeuronRow } from './trace.js';
export { bumpNetwork, supError } from './universal.js';
export { leastSquares, logisticIrls, solveLinear } from './single-neuron.js';
export * from '../train/gradient-flow.js';
export { summary } from './summary.js';
export { layerRows } from './layer-rows.js';
export { hyperSummary } from './hyper-summary.js';
