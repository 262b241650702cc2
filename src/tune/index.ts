// neurite's hyperparameter search (browser-safe): search spaces, samplers, pruners, the memory storage and tune().
export { tune, summarize, studyDefinition } from './tune.js';
export type { TuneOptions, StudySummary } from './tune.js';
export { TrialPruned } from './trial.js';
export type { Trial } from './trial.js';
export { parseSpace, isActive, inDomain, toOverrides, applyOverrides, SpaceError } from './space.js';
export type { SearchSpace, ParamDef, NumericParam, CategoricalParam, Condition, LayerList } from './space.js';
export * from './samplers/index.js';
export * from './pruners/index.js';
export { memoryStorage, opLogStorage } from './storage/op-storage.js';
export type { Transact, Clock } from './storage/op-storage.js';
export { applyOp, StudyStateError } from './storage/state.js';
export { importance, correlationRatio } from './importance.js';
export type { Importance } from './importance.js';
export type { StudyOp, StudiesState } from './storage/state.js';
export { StudyStorageError } from './storage/ops.js';
export { isTrialNotRunning, TRIAL_NOT_RUNNING } from './storage/not-running.js';
export type * from './storage/types.js';
