// Browser-safe data handling: CSV, IDX, synthetic data sets, datasets/loaders, splits and scalers.
export { parseCsv, parseNumber, formatFloat32, toCsv } from './csv-parse.js';
export type { CsvRows, CsvParseOptions } from './csv-parse.js';
export { parseCsvDataset, parseCsvFeatures } from './csv.js';
export type { ColumnRef, CsvFeatureOptions, CsvDatasetOptions, CsvFeatures, CsvDataset } from './csv.js';
export { parseIdx, isGzip, idxToTensor } from './idx.js';
export type { IdxDType, IdxArray, IdxToTensorOptions } from './idx.js';
export { makeCircles, makeXor, makeGaussians, makeSpiral, makeMoons, makeSine, makeCubic } from './synthetic.js';
export type { SyntheticOptions, SyntheticData } from './synthetic.js';
export { Dataset, DataLoader } from './dataset.js';
export type { Batch, DataLoaderOptions } from './dataset.js';
export { trainTestSplit, trainValTestSplit, oneHot } from './split.js';
export type { SplitOptions, TrainTestSplit, TrainValTestSplit } from './split.js';
export { StandardScaler, MinMaxScaler, scalerFromJSON } from './scalers.js';
export type { ScalerJSON } from './scalers.js';
