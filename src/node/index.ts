// neurite/node: the Node-only helpers — built-in data sets, Fashion-MNIST, IDX and safetensors files, model files, checkpoints, the PostgreSQL study storage.
// neurite/node: the Node-only helpers — built-in data sets, Fashion-MNIST, IDX and safetensors files, model files, checkpoints, the journal study storage.
export * from './data/index.js';
export { saveModel, loadModel, resolveModelFolder } from './io/model-files.js';
export { saveModelSync, writeFileAtomicSync, modelCheckpoint, saveCheckpoint, loadTrainState, commitGeneration, cleanRunFolder } from './io/checkpoint.js';
export { readCurrent, CURRENT_FILE, CHECKPOINTS_DIR } from './io/generation.js';
export { encodeTrainState, decodeTrainState, TrainStateError } from '../train/state-codec.js';
export type { CheckpointOptions } from './io/checkpoint.js';
export { main as runCli } from './cli/main.js';
export { openPostgresStorage } from './tune/storage-postgres.js';
export type { PostgresStorageOptions } from './tune/storage-postgres.js';
export { PostgresStorageError, TrialNotRunningError } from './tune/pg-errors.js';
export { openJournalStorage, JournalError, JOURNAL_FILE, LOCK_FILE } from './tune/journal.js';
export type { JournalOptions } from './tune/journal.js';
export { openStorage } from './tune/storage-open.js';
