// Named optimizers with PyTorch's names, defaults and arithmetic, each a chain of pieces; optimizerByName.
import { ArgumentError } from '../core/errors.js';
import { type GradientTransformation, chain } from './transform.js';
import { type LearningRate, addDecayedWeights, addWeightDecay, scaleByLearningRate, scaleBySchedule } from './scale.js';
import { scaleByAdagrad, scaleByRms, trace } from './accumulate.js';
import { scaleByAdam, scaleByAdamax, scaleByNadam } from './adaptive.js';
import { clipByGlobalNorm } from './clip.js';
import { type UpdateRule, fusedRule } from './rule.js';
import { adagradRule, rmspropRule, sgdRule } from './rules/sgd.js';
import { adamRule, adamaxRule, nadamRule } from './rules/adam.js';
import { knownKeys, nonNegative, positive, unitInterval } from './validate.js';

export interface SgdOptions { lr?: LearningRate; momentum?: number; dampening?: number; nesterov?: boolean; weightDecay?: number }
export interface AdagradOptions { lr?: LearningRate; lrDecay?: number; eps?: number; initialAccumulatorValue?: number; weightDecay?: number }
export interface RmspropOptions { lr?: LearningRate; alpha?: number; eps?: number; momentum?: number; centered?: boolean; weightDecay?: number }
export interface AdamOptions { lr?: LearningRate; betas?: readonly [number, number]; eps?: number; weightDecay?: number; amsgrad?: boolean }
export interface NadamOptions { lr?: LearningRate; betas?: readonly [number, number]; eps?: number; weightDecay?: number; momentumDecay?: number; pytorchV1?: boolean }
export type AdamaxOptions = Omit<AdamOptions, 'amsgrad'>;

type Piece = GradientTransformation | false;

/**
 * Validates lr under the optimizer's name, then chains the pieces that are switched on, ending with
 * the learning rate, and attaches the declared rule (whose state refs index those pieces) and its fused step.
 */
function build(fn: string, lr: LearningRate, weightDecay: number, pieces: Piece[], rule: (lr: LearningRate) => UpdateRule): GradientTransformation {
  if (typeof lr !== 'function') positive(fn, 'lr', lr);
  nonNegative(fn, 'weightDecay', weightDecay);
  const parts = [weightDecay > 0 && addWeightDecay(weightDecay), ...pieces, scaleByLearningRate(lr)];
  const declared = rule(lr);
  return { ...chain(...parts.filter((p): p is GradientTransformation => p !== false)), rule: declared, fused: fusedRule(declared) as GradientTransformation['fused'] };
}

function betas(fn: string, b: readonly [number, number] | undefined): { b1: number; b2: number } {
  const [b1, b2] = b ?? [0.9, 0.999];
  return { b1: unitInterval(fn, 'betas[0]', b1), b2: unitInterval(fn, 'betas[1]', b2) };
}

/**
 * PyTorch SGD: g ← g + λp; b ← μb + (1−τ)g (b = g at first); d = g + μb (nesterov) or b; p ← p − ηd.
 * @example sgd({ lr: 0.1, momentum: 0.9, nesterov: true })
 */
export function sgd(opts: SgdOptions = {}): GradientTransformation {
  knownKeys('sgd', opts, ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay']);
  const { lr = 1e-3, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0 } = opts;
  nonNegative('sgd', 'momentum', momentum);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new ArgumentError('sgd', `nesterov needs momentum > 0 and dampening 0, got momentum ${momentum}, dampening ${dampening}`);
  }
  return build('sgd', lr, weightDecay, [momentum > 0 && trace({ decay: momentum, dampening, nesterov })],
    (l) => sgdRule({ lr: l, momentum, dampening, nesterov, weightDecay }));
}

/**
 * PyTorch Adagrad: g ← g + λp; S ← S + g²; p ← p − η/(1 + (t−1)·lrDecay) · g / (√S + ε).
 * @example adagrad({ lr: 0.1 })
 */
export function adagrad(opts: AdagradOptions = {}): GradientTransformation {
  knownKeys('adagrad', opts, ['lr', 'lrDecay', 'eps', 'initialAccumulatorValue', 'weightDecay']);
  const { lr = 1e-2, lrDecay = 0, eps = 1e-10, initialAccumulatorValue = 0, weightDecay = 0 } = opts;
  nonNegative('adagrad', 'lrDecay', lrDecay);
  return build('adagrad', lr, weightDecay, [
    scaleByAdagrad({ eps, initialAccumulatorValue }),
    lrDecay > 0 && scaleBySchedule((t) => 1 / (1 + t * lrDecay)),
  ], (l) => adagradRule({ lr: l, lrDecay, eps, weightDecay }));
}

/**
 * PyTorch RMSprop (ε outside the root): v ← αv + (1−α)g²; d = g/(√v + ε) (centered: √(v − ḡ²));
 * with momentum b ← μb + d; p ← p − η·(b or d).
 * @example rmsprop({ lr: 0.01, momentum: 0.5, centered: true })
 */
export function rmsprop(opts: RmspropOptions = {}): GradientTransformation {
  knownKeys('rmsprop', opts, ['lr', 'alpha', 'eps', 'momentum', 'centered', 'weightDecay']);
  const { lr = 1e-2, alpha = 0.99, eps = 1e-8, momentum = 0, centered = false, weightDecay = 0 } = opts;
  nonNegative('rmsprop', 'momentum', momentum);
  return build('rmsprop', lr, weightDecay, [scaleByRms({ alpha, eps, centered }), momentum > 0 && trace({ decay: momentum })],
    (l) => rmspropRule({ lr: l, alpha, eps, momentum, centered, weightDecay }));
}

/**
 * PyTorch Adam: g ← g + λp (L2); p ← p − η m̂ / (√v̂ + ε) with bias-corrected moments (AMSGrad: max of v).
 * @example adam({ lr: 1e-3 })
 */
export function adam(opts: AdamOptions = {}): GradientTransformation {
  knownKeys('adam', opts, ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad']);
  const { lr = 1e-3, eps = 1e-8, weightDecay = 0, amsgrad = false } = opts;
  const b = betas('adam', opts.betas);
  return build('adam', lr, weightDecay, [scaleByAdam({ ...b, eps, amsgrad })],
    (l) => adamRule({ lr: l, ...b, eps, weightDecay, decoupledWeightDecay: 0, amsgrad }));
}

/**
 * PyTorch AdamW (decoupled decay): p ← p(1 − ηλ) − η m̂ / (√v̂ + ε); λ defaults to 0.01.
 * @example adamw({ lr: 1e-3, weightDecay: 0.05 })
 */
export function adamw(opts: AdamOptions = {}): GradientTransformation {
  knownKeys('adamw', opts, ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad']);
  const { lr = 1e-3, eps = 1e-8, weightDecay = 1e-2, amsgrad = false } = opts;
  nonNegative('adamw', 'weightDecay', weightDecay);
  const b = betas('adamw', opts.betas);
  return build('adamw', lr, 0, [scaleByAdam({ ...b, eps, amsgrad }), weightDecay > 0 && addDecayedWeights(weightDecay)],
    (l) => adamRule({ lr: l, ...b, eps, weightDecay: 0, decoupledWeightDecay: weightDecay, amsgrad }));
}

/**
 * PyTorch NAdam (momentum_decay ψ = 0.004): Adam with Dozat's Nesterov momentum schedule (see
 * scaleByNadam; `pytorchV1: true` gives PyTorch < 2.0's arithmetic).
 * @example nadam({ lr: 2e-3 })
 */
export function nadam(opts: NadamOptions = {}): GradientTransformation {
  knownKeys('nadam', opts, ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay', 'pytorchV1']);
  const { lr = 2e-3, eps = 1e-8, weightDecay = 0, momentumDecay = 4e-3, pytorchV1 = false } = opts;
  const b = betas('nadam', opts.betas);
  return build('nadam', lr, weightDecay, [scaleByNadam({ ...b, eps, momentumDecay, pytorchV1 })],
    (l) => nadamRule({ lr: l, ...b, eps, weightDecay, momentumDecay, pytorchV1 }));
}

/**
 * PyTorch Adamax: u∞ ← max(β₂u∞, |g| + ε); p ← p − η/(1−β₁ᵗ) · m / u∞.
 * @example adamax({ lr: 2e-3 })
 */
export function adamax(opts: AdamaxOptions = {}): GradientTransformation {
  knownKeys('adamax', opts, ['lr', 'betas', 'eps', 'weightDecay']);
  const { lr = 2e-3, eps = 1e-8, weightDecay = 0 } = opts;
  const b = betas('adamax', opts.betas);
  return build('adamax', lr, weightDecay, [scaleByAdamax({ ...b, eps })], (l) => adamaxRule({ lr: l, ...b, eps, weightDecay }));
}

/** Options accepted by optimizerByName: those of the named optimizer, plus global-norm clipping. */
export type NamedOptimizerOptions = SgdOptions & AdagradOptions & RmspropOptions & AdamOptions & NadamOptions & { clipNorm?: number | null };

const builders = {
  sgd: (o: NamedOptimizerOptions) => sgd(o),
  momentum: (o: NamedOptimizerOptions) => sgd({ momentum: 0.9, ...o }),
  nesterov: (o: NamedOptimizerOptions) => sgd({ momentum: 0.9, nesterov: true, ...o }),
  adagrad: (o: NamedOptimizerOptions) => adagrad(o),
  rmsprop: (o: NamedOptimizerOptions) => rmsprop(o),
  adam: (o: NamedOptimizerOptions) => adam(o),
  adamw: (o: NamedOptimizerOptions) => adamw(o),
  amsgrad: (o: NamedOptimizerOptions) => adam({ ...o, amsgrad: true }),
  nadam: (o: NamedOptimizerOptions) => nadam(o),
  adamax: (o: NamedOptimizerOptions) => adamax(o),
} as const;

/** The names optimizerByName knows. */
export type OptimizerName = keyof typeof builders;
/** The names optimizerByName knows, in documentation order. */
export const optimizerNames = Object.keys(builders) as OptimizerName[];

/**
 * An optimizer from its config name: sgd, momentum (SGD μ=0.9), nesterov, adagrad, rmsprop, adam,
 * adamw, amsgrad, nadam, adamax. `clipNorm` prepends clipByGlobalNorm.
 * @example optimizerByName('adamw', { lr: 1e-3, weightDecay: 0.05, clipNorm: 1 })
 */
export function optimizerByName(name: string, opts: NamedOptimizerOptions = {}): GradientTransformation {
  if (!Object.hasOwn(builders, name)) {
    throw new ArgumentError('optimizerByName', `unknown optimizer ${JSON.stringify(name)}; choose one of ${optimizerNames.join(', ')}`);
  }
  const { clipNorm, ...rest } = opts;
  const tx = builders[name as OptimizerName](rest);
  return clipNorm === undefined || clipNorm === null ? tx : chain(clipByGlobalNorm(clipNorm), tx);
}
