// The heads namespace: output activations paired with their losses (regression, binary, multiclass).
export { regressionHead, vectorRegressionHead, binaryHead, multiclassHead, headFromJSON } from './heads.js';
export type { Head, HeadJSON, HeadKind, RegressionActivation, RegressionHeadOptions, BinaryHeadOptions, MulticlassHeadOptions } from './heads.js';
