// Output heads: an output activation paired with its loss (computed from raw outputs for stability) and target checks.
import type { Tensor } from '../tensor/tensor.js';
import { previewJson } from '../core/limits.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { add, ge, gt, mul, relu, sigmoid, softplus, sub, tanh } from '../ops/elementwise.js';
import { argmax } from '../ops/reduce.js';
import { reshape } from '../ops/movement.js';
import { softmax } from '../ops/softmax.js';
import { type ReductionOptions, checkValues } from '../losses/common.js';
import { huber, l1, mae, mse, squaredL2 } from '../losses/regression.js';
import { binaryCrossEntropyWithLogits, hinge } from '../losses/binary.js';
import { crossEntropy, multiMargin } from '../losses/multiclass.js';
import { checkOptions } from '../core/options.js';

export type HeadKind = 'regression' | 'vector_regression' | 'binary' | 'multiclass';
export type RegressionActivation = 'identity' | 'relu' | 'softplus' | 'tanh';

/** A head as JSON; `headFromJSON` rebuilds it. */
export type HeadJSON =
  | { kind: 'regression'; activation: RegressionActivation; range?: [number, number]; loss: 'mse' | 'mae' | 'huber'; delta?: number }
  | { kind: 'vector_regression'; outputs: number; loss: 'mse' | 'squared_l2' | 'l1' }
  | { kind: 'binary'; loss: 'bce' } | { kind: 'binary'; loss: 'hinge'; margin: number }
  | { kind: 'multiclass'; numClasses: number; loss: 'cross_entropy'; labelSmoothing: number }
  | { kind: 'multiclass'; numClasses: number; loss: 'multi_margin'; margin: number };

/**
 * What a network's last layer feeds: `outputs` raw features per example, turned into predictions
 * by `activate` and scored by `loss(raw, target)`, which works on the raw outputs (logits) so it
 * stays exact where the activation saturates. `loss` checks the targets first (`checkTargets`).
 */
export interface Head {
  readonly kind: HeadKind;
  /** Number of raw output features the last layer must produce. */
  readonly outputs: number;
  /** Predictions from raw outputs: values, or probabilities for classification. */
  activate(raw: Tensor): Tensor;
  /** The training loss from raw outputs (mean over the batch unless `reduction` says otherwise). */
  loss(raw: Tensor, target: Tensor, opts?: ReductionOptions): Tensor;
  /** Throws a clear error for targets the head cannot produce or learn (value and index named). */
  checkTargets(target: Tensor): void;
  /** Classification heads: predicted labels in the head's label convention. */
  predictLabels?(raw: Tensor): Tensor;
  toJSON(): HeadJSON;
}

/** Matches a single-output target [N] to raw outputs [N, 1] (or the reverse); otherwise shapes must agree. */
function alignTarget(op: string, raw: Tensor, target: Tensor): Tensor {
  if (raw.rank === 2 && raw.shape[1] === 1 && target.rank === 1 && target.shape[0] === raw.shape[0]) return reshape(target, raw.shape);
  if (raw.rank === 1 && target.rank === 2 && target.shape[1] === 1 && target.shape[0] === raw.shape[0]) return reshape(target, raw.shape);
  if (raw.shape.join() !== target.shape.join()) {
    throw new ShapeError(op, `raw outputs ${fmtShape(raw.shape)} and targets ${fmtShape(target.shape)} do not match`);
  }
  return target;
}

function checkColumns(op: string, t: Tensor, columns: number, what: string): void {
  if (t.rank === 0 || t.rank > 2 || (t.rank === 2 && t.shape[1] !== columns) || (t.rank === 1 && columns !== 1)) {
    throw new ShapeError(op, `${what} ${fmtShape(t.shape)} do not fit a head with ${columns} output${columns === 1 ? '' : 's'}: expected [N${columns === 1 ? '] or [N, 1]' : `, ${columns}]`}`);
  }
}

const finite = (v: number): boolean => Number.isFinite(v);

export interface RegressionHeadOptions {
  /** Output activation (default 'identity'). relu/softplus predict non-negative values. */
  activation?: RegressionActivation;
  /** Target interval [a, b] of a tanh head: prediction a + (b-a)(tanh(raw)+1)/2 (default [-1, 1]). */
  range?: [number, number];
  /** Loss on the predictions (default 'mse'). */
  loss?: 'mse' | 'mae' | 'huber';
  /** Huber's δ (default 1). */
  delta?: number;
}

/**
 * One real-valued output: ŷ = h(raw) with h ∈ {identity, relu, softplus, tanh rescaled to [a, b]};
 * loss mse (or mae, huber) between ŷ and the target.
 * @example regressionHead({ activation: 'tanh', range: [0, 10] }).loss(raw, y)
 */
export function regressionHead(opts: RegressionHeadOptions = {}): Head {
  const op = 'regressionHead';
  checkOptions(op, opts, ['activation', 'range', 'loss', 'delta']);
  const activation = opts.activation ?? 'identity', lossName = opts.loss ?? 'mse', delta = opts.delta ?? 1;
  if (!['identity', 'relu', 'softplus', 'tanh'].includes(activation)) {
    throw new ArgumentError(op, `unknown activation ${JSON.stringify(activation)}; use 'identity', 'relu', 'softplus' or 'tanh'`);
  }
  if (!['mse', 'mae', 'huber'].includes(lossName)) throw new ArgumentError(op, `unknown loss ${JSON.stringify(lossName)}; use 'mse', 'mae' or 'huber'`);
  if (opts.range !== undefined && activation !== 'tanh') throw new ArgumentError(op, `range applies only to the tanh activation, not ${activation}`);
  const range: unknown = opts.range ?? [-1, 1];
  if (!Array.isArray(range) || range.length !== 2) throw new ArgumentError(op, `range must be [a, b], got ${previewJson(range)}`);
  const [a, b] = range as [number, number];
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) throw new ArgumentError(op, `range must be finite [a, b] with a < b, got [${a}, ${b}]`);
  const activate = (raw: Tensor): Tensor => {
    if (activation === 'relu') return relu(raw);
    if (activation === 'softplus') return softplus(raw);
    if (activation === 'tanh') return add(mul(add(tanh(raw), 1), (b - a) / 2), a);
    return raw;
  };
  const checkTargets = (target: Tensor): void => {
    checkColumns(op, target, 1, 'targets');
    checkValues(op, target, finite, 'targets', 'must be finite');
    if (activation === 'tanh') checkValues(op, target, (v) => v >= a && v <= b, 'targets', `must lie in the tanh range [${a}, ${b}]`, '; widen `range` or rescale the targets');
    if (activation === 'relu' || activation === 'softplus') checkValues(op, target, (v) => v >= 0, 'targets', `must be >= 0 for a ${activation} head (it predicts non-negative values)`, "; use activation 'identity' for signed targets");
  };
  return {
    kind: 'regression', outputs: 1, activate, checkTargets,
    loss(raw, target, o = {}) {
      checkTargets(target);
      const y = alignTarget(op, raw, target), pred = activate(raw);
      if (lossName === 'huber') return huber(pred, y, { ...o, delta });
      return (lossName === 'mae' ? mae : mse)(pred, y, o);
    },
    toJSON: () => ({
      kind: 'regression', activation, loss: lossName,
      ...(activation === 'tanh' ? { range: [a, b] as [number, number] } : {}), ...(lossName === 'huber' ? { delta } : {}),
    }),
  };
}

/**
 * k real outputs per example, identity activation; loss 'mse' (per element), 'squared_l2' or 'l1'
 * (norm of each row's error vector, averaged over rows).
 * @example vectorRegressionHead(3, 'squared_l2').loss(raw, y)   // raw, y: [N, 3]
 */
export function vectorRegressionHead(k: number, loss: 'mse' | 'squared_l2' | 'l1' = 'mse'): Head {
  const op = 'vectorRegressionHead';
  if (!Number.isInteger(k) || k < 1) throw new ArgumentError(op, `k must be a positive integer, got ${k}`);
  const fns = { mse, squared_l2: squaredL2, l1 };
  const fn = Object.hasOwn(fns, loss) ? fns[loss] : undefined;
  if (fn === undefined) throw new ArgumentError(op, `unknown loss ${JSON.stringify(loss)}; use 'mse', 'squared_l2' or 'l1'`);
  const checkTargets = (target: Tensor): void => {
    if (target.rank !== 2 || target.shape[1] !== k) throw new ShapeError(op, `targets must have shape [N, ${k}], got ${fmtShape(target.shape)}`);
    checkValues(op, target, finite, 'targets', 'must be finite');
  };
  return {
    kind: 'vector_regression', outputs: k, checkTargets,
    activate: (raw) => raw,
    loss(raw, target, o = {}) {
      checkTargets(target);
      return fn(raw, target, o);
    },
    toJSON: () => ({ kind: 'vector_regression', outputs: k, loss }),
  };
}

export type BinaryHeadOptions = { loss?: 'bce' } | { loss: 'hinge'; margin?: number };

/**
 * One output for two classes. 'bce' (default): p = σ(raw), BCE computed from the logit, labels 0/1,
 * predicted label [raw > 0]. 'hinge': raw scores, max(0, α - y·s) with labels ±1, predicted
 * label sign(s) (+1 at s = 0).
 * @example binaryHead({ loss: 'hinge', margin: 1 }).loss(scores, labelsPlusMinus1)
 */
export function binaryHead(opts: BinaryHeadOptions = {}): Head {
  const op = 'binaryHead';
  checkOptions(op, opts, opts.loss === 'hinge' ? ['loss', 'margin'] : ['loss']);
  const lossName = opts.loss ?? 'bce';
  if (lossName !== 'bce' && lossName !== 'hinge') throw new ArgumentError(op, `unknown loss ${JSON.stringify(lossName)}; use 'bce' or 'hinge'`);
  const margin = opts.loss === 'hinge' ? (opts.margin ?? 1) : 1;
  const isHinge = lossName === 'hinge';
  const checkTargets = (target: Tensor): void => {
    checkColumns(op, target, 1, 'labels');
    if (isHinge) checkValues(op, target, (v) => v === 1 || v === -1, 'labels', 'must be -1 or +1 for the hinge loss', '; map 0/1 labels with y → 2y - 1');
    else checkValues(op, target, (v) => v === 0 || v === 1, 'labels', 'must be 0 or 1 for the bce loss', '; map ±1 labels with y → (y + 1) / 2');
  };
  return {
    kind: 'binary', outputs: 1, checkTargets,
    activate: (raw) => (isHinge ? raw : sigmoid(raw)),
    loss(raw, target, o = {}) {
      checkTargets(target);
      const y = alignTarget(op, raw, target);
      return isHinge ? hinge(raw, y, { ...o, margin }) : binaryCrossEntropyWithLogits(raw, y, o);
    },
    predictLabels: (raw) => (isHinge ? sub(mul(ge(raw, 0), 2), 1) : gt(raw, 0)),
    toJSON: () => (isHinge ? { kind: 'binary', loss: 'hinge', margin } : { kind: 'binary', loss: 'bce' }),
  };
}

export interface MulticlassHeadOptions {
  numClasses: number;
  /** 'cross_entropy' (default): softmax + CE from logits; 'multi_margin': raw scores + MultiMarginLoss. */
  loss?: 'cross_entropy' | 'multi_margin';
  /** Cross-entropy label smoothing ε (default 0). */
  labelSmoothing?: number;
  /** Multi-margin margin (default 1). */
  margin?: number;
}

function checkProbabilityRows(op: string, target: Tensor, c: number): void {
  checkValues(op, target, (v) => v >= 0 && v <= 1, 'target probabilities', 'must be in [0, 1]');
  for (let r = 0; r < target.shape[0]!; r++) {
    let s = 0;
    for (let j = 0; j < c; j++) s += target.data[r * c + j]!;
    if (Math.abs(s - 1) > 1e-4) throw new ArgumentError(op, `target probabilities of row ${r} sum to ${s}, not 1`);
  }
}

/**
 * C raw outputs for C classes. 'cross_entropy': probabilities softmax(raw), CE from the logits
 * (labels 0..C-1, or probability rows [N, C]); 'multi_margin': raw scores, labels 0..C-1.
 * Predicted label: argmax of the raw outputs.
 * @example multiclassHead({ numClasses: 10, labelSmoothing: 0.1 }).loss(logits, labels)
 */
export function multiclassHead(opts: MulticlassHeadOptions): Head {
  const op = 'multiclassHead';
  checkOptions(op, opts, ['numClasses', 'loss', 'labelSmoothing', 'margin']);
  const c = opts.numClasses, lossName = opts.loss ?? 'cross_entropy';
  const labelSmoothing = opts.labelSmoothing ?? 0, margin = opts.margin ?? 1;
  if (!Number.isInteger(c) || c < 2) throw new ArgumentError(op, `numClasses must be an integer >= 2, got ${c}`);
  if (lossName !== 'cross_entropy' && lossName !== 'multi_margin') throw new ArgumentError(op, `unknown loss ${JSON.stringify(lossName)}; use 'cross_entropy' or 'multi_margin'`);
  const isCE = lossName === 'cross_entropy';
  const checkTargets = (target: Tensor): void => {
    if (isCE && target.rank === 2 && target.shape[1] === c) return checkProbabilityRows(op, target, c);
    if (target.rank !== 1) throw new ShapeError(op, `labels must have shape [N]${isCE ? ` (or [N, ${c}] probabilities)` : ''}, got ${fmtShape(target.shape)}`);
    checkValues(op, target, (v) => Number.isInteger(v) && v >= 0 && v < c, 'labels', `must be integers in 0..${c - 1} for ${c} classes`);
  };
  const checkRaw = (raw: Tensor): void => {
    if (raw.rank !== 2 || raw.shape[1] !== c) throw new ShapeError(op, `raw outputs must have shape [N, ${c}] for ${c} classes, got ${fmtShape(raw.shape)}`);
  };
  return {
    kind: 'multiclass', outputs: c, checkTargets,
    activate: (raw) => (isCE ? softmax(raw, -1) : raw),
    loss(raw, target, o = {}) {
      checkRaw(raw);
      checkTargets(target);
      return isCE ? crossEntropy(raw, target, { ...o, labelSmoothing }) : multiMargin(raw, target, { ...o, margin });
    },
    predictLabels: (raw) => argmax(raw, -1),
    toJSON: () => (isCE ? { kind: 'multiclass', numClasses: c, loss: 'cross_entropy', labelSmoothing } : { kind: 'multiclass', numClasses: c, loss: 'multi_margin', margin }),
  };
}

/**
 * Rebuilds a head from `head.toJSON()` output (e.g. read back from a saved config).
 * @example headFromJSON(JSON.parse(JSON.stringify(binaryHead().toJSON())))
 */
export function headFromJSON(json: unknown): Head {
  const j = json as Record<string, unknown> | null;
  const kind = typeof j === 'object' && j !== null ? j.kind : undefined;
  const num = (key: string): number | undefined => (j?.[key] === undefined ? undefined : (j[key] as number));
  const keys = (...allowed: string[]): void => checkOptions(`headFromJSON: ${String(kind)}`, j, ['kind', ...allowed]);
  switch (kind) {
    case 'regression':
      keys('activation', 'range', 'loss', 'delta');
      return regressionHead({ activation: j!.activation as RegressionActivation, range: j!.range as [number, number] | undefined, loss: j!.loss as 'mse', delta: num('delta') });
    case 'vector_regression':
      keys('outputs', 'loss');
      return vectorRegressionHead(j!.outputs as number, j!.loss as 'mse');
    case 'binary':
      keys('loss', 'margin');
      return binaryHead(j!.loss === 'hinge' ? { loss: 'hinge', margin: num('margin') } : { loss: j!.loss as 'bce' });
    case 'multiclass':
      keys('numClasses', 'loss', 'labelSmoothing', 'margin');
      return multiclassHead({ numClasses: j!.numClasses as number, loss: j!.loss as 'cross_entropy', labelSmoothing: num('labelSmoothing'), margin: num('margin') });
    default:
      throw new ArgumentError('headFromJSON', `unknown head kind ${JSON.stringify(kind)}; expected one of regression, vector_regression, binary, multiclass`);
  }
}
