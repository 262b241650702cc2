// Node-only data helpers: atomic writes, safetensors files, IDX files, chunked CSV files and the built-in data sets.
export { writeFileAtomic, readSafetensorsFile, writeSafetensorsFile } from './atomic.js';
export { readIdxFile } from './idx-file.js';
export { readCsvFile } from './csv-file.js';
export type { CsvFile } from './csv-file.js';
export { loadBuiltinDataset, findDataDir, BUILTIN_DATASETS, BUILTIN_FILES } from './builtin.js';
export type { BuiltinName, LoadedDataset } from './builtin.js';
export { loadFashionMnist, listDatasets, FASHION_MNIST_DIR, FASHION_MNIST_CLASSES } from './fashion-mnist.js';
export type { FashionMnistOptions, DatasetInfo } from './fashion-mnist.js';
