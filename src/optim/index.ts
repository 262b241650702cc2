// The optim namespace: pure gradient transformations, named optimizers, schedules, and the Optimizer wrapper.
export { type GradientTransformation, type LearningRateField, type TransformResult, type OptState, transformation, chain, applyUpdates, zipLeaves, zerosLike, counter, needParams } from './transform.js';
export { type LearningRate, LR_KEY, SCHEDULED_LR_KEY, scale, scaleBySchedule, scaleByLearningRate, addDecayedWeights, addWeightDecay } from './scale.js';
export { type AdamScaleOptions, type NadamScaleOptions, scaleByAdam, scaleByAdamax, scaleByNadam } from './adaptive.js';
export { scaleByRms, scaleByAdagrad, trace } from './accumulate.js';
export { globalNorm, clipByGlobalNorm, clipByValue } from './clip.js';
export {
  type SgdOptions, type AdagradOptions, type RmspropOptions, type AdamOptions, type NadamOptions, type AdamaxOptions,
  type NamedOptimizerOptions, type OptimizerName, sgd, adagrad, rmsprop, adam, adamw, nadam, adamax, optimizerByName, optimizerNames,
} from './optimizers.js';
export { type Schedule, constant, stepLR, exponentialLR, cosineAnnealing, linearWarmup } from './schedules.js';
export { type PlateauOptions, type PlateauState, ReduceLROnPlateau } from './plateau.js';
export { type OptimizerStateDict, Optimizer } from './optimizer.js';
export { type UpdateRule, type StateRef, type LeafKernel, type BackendRuleKernel, type Round, fusedRule, decayed } from './rule.js';
export { sgdRule, adagradRule, rmspropRule } from './rules/sgd.js';
export { adamRule, nadamRule, adamaxRule } from './rules/adam.js';
