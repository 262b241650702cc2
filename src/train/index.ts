// The train namespace: fit/evaluate/predict, callbacks, metrics per head, divergence guard.
export { fit, evaluate, predict, predictRaw } from './fit.js';
export type { FitOptions, FitResult, TrainableHead, StepOptimizer, MetricsFn } from './fit.js';
export { earlyStopping, lrScheduler, onEpoch, monitored, plateauCallback } from './callbacks.js';
export type { Callback, EpochLog, TrainContext, EarlyStoppingOptions } from './callbacks.js';
export { metricsFor, metricsForHead } from './metrics.js';
export type { MetricsSpec } from './metrics.js';
export { DivergenceError, checkFinite } from './guard.js';
export { gradientFlowCallback } from './diagnostics.js';
export type { GradientFlowOptions, GradientFlowCallback, TimedGradientWarning } from './diagnostics.js';
export { moduleRngs } from './state.js';
export type { TrainState, CallbackState, OptimizerState, GuardState, StateJson } from './state.js';
export { divergenceGuard } from './divergence.js';
export type { DivergenceGuard } from './divergence.js';
export { compileStep, inferCaptured } from './compile.js';
export type { CompileStepOptions, CompiledStep, CaptureStats, StepOutputs } from './compile.js';
