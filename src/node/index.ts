// neurite/node: the Node-only helpers — built-in data sets, Fashion-MNIST, IDX and safetensors files, model files, checkpoints.
export * from './data/index.js';
export { saveModel, loadModel } from './io/model-files.js';
export { saveModelSync, writeFileAtomicSync, modelCheckpoint } from './io/checkpoint.js';
export type { CheckpointOptions } from './io/checkpoint.js';
export { main as runCli } from './cli/main.js';
