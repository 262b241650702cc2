// gradientFlowCallback: records per-epoch per-layer gradient norms during fit and warns on vanishing/exploding gradients.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import type { Module } from '../nn/module.js';
import { Sequential } from '../nn/containers.js';
import { Graph } from '../nn/graph.js';
import {
  type ActivationStat, type GradientFlowRecord, type GradientThresholds, type GradientWarning,
  activationStats, checkGradientFlow, gradientNorms,
} from './gradient-flow.js';
import type { Callback, TrainContext } from './callbacks.js';
import type { CallbackState, StateJson } from './state.js';

/** A warning with where in training it happened. */
export interface TimedGradientWarning extends GradientWarning { epoch: number; batch: number }

export interface GradientFlowOptions extends GradientThresholds {
  /** Measure every `every`-th batch of each epoch (default 1: every batch). */
  every?: number;
  /** Called at most once per epoch and kind (vanishing, exploding, non-finite). */
  onWarning?: (w: TimedGradientWarning) => void;
  /** A fixed batch whose per-layer activation statistics are recorded after each epoch (Sequential or Graph models). */
  probe?: Tensor;
}

/** The callback, with what it has recorded so far. */
export interface GradientFlowCallback extends Callback {
  /** One record per epoch: the mean per-layer ‖g‖ over the measured batches. */
  readonly records: GradientFlowRecord[];
  readonly warnings: TimedGradientWarning[];
  /** Activation statistics of the probe batch after each epoch (empty without `probe`). */
  readonly activations: { epoch: number; stats: ActivationStat[] }[];
}

/**
 * A fit() callback for gradient-flow diagnostics. After every `every`-th batch it takes the
 * per-layer gradient norms ‖g_ℓ‖₂ (gradientNorms) and averages them over the epoch; it warns
 * when ‖g_first‖/‖g_last‖ < vanishRatio (1e-3), a layer's ‖g‖ > explodeNorm (1e3) or a norm is
 * non-finite. Plot `records` with gradientNormSvg.
 *
 * @example
 * const flow = gradientFlowCallback(model, { every: 10, onWarning: (w) => console.warn(w.message) });
 * fit({ model, head, optimizer, x, y, callbacks: [flow] });
 * writeFileSync('grad.svg', gradientNormSvg(flow.records));
 */
export function gradientFlowCallback(model: Module, opts: GradientFlowOptions = {}): GradientFlowCallback {
  const every = opts.every ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new ArgumentError('gradientFlowCallback', `every must be a positive integer, got ${every}`);
  if (opts.probe && !(model instanceof Sequential || model instanceof Graph)) {
    throw new ArgumentError('gradientFlowCallback', `probe needs a Sequential or Graph model to see layer outputs, got ${model.describe()}`);
  }
  let sums = new Map<string, number>(), count = 0, warned = new Set<string>();
  const cb: GradientFlowCallback = {
    records: [], warnings: [], activations: [],
    onTrainBegin() { cb.records.length = 0; cb.warnings.length = 0; cb.activations.length = 0; },
    onEpochBegin() { sums = new Map(); count = 0; warned = new Set(); },
    onBatchEnd(ctx: TrainContext) {
      if ((ctx.batch - 1) % every !== 0) return;
      const norms = gradientNorms(model);
      for (const l of norms.layers) sums.set(l.layer, (sums.get(l.layer) ?? 0) + l.norm);
      count++;
      for (const w of checkGradientFlow(norms, opts)) {
        if (warned.has(w.kind)) continue;
        warned.add(w.kind);
        const tw = { ...w, epoch: ctx.epoch, batch: ctx.batch, message: `epoch ${ctx.epoch}, batch ${ctx.batch}: ${w.message}` };
        cb.warnings.push(tw);
        opts.onWarning?.(tw);
      }
    },
    onEpochEnd(ctx: TrainContext) {
      if (count > 0) cb.records.push({ epoch: ctx.epoch, layers: [...sums.keys()], norms: [...sums.values()].map((s) => s / count) });
      if (opts.probe) cb.activations.push({ epoch: ctx.epoch, stats: activationStats(model as Sequential | Graph, opts.probe) });
    },
    // The per-epoch records survive a resume, so the report of a resumed run shows every epoch.
    stateDict: () => ({ json: { kind: 'gradientFlow', records: cb.records as unknown as StateJson } }),
    loadStateDict(s: CallbackState) {
      const j = s.json as { kind?: unknown; records?: unknown } | null;
      if (j?.kind !== 'gradientFlow' || !Array.isArray(j.records)) throw new ArgumentError('gradientFlowCallback.loadStateDict', 'not a gradient-flow state');
      cb.records.push(...(j.records as GradientFlowRecord[]).map((r) => ({ ...r, norms: r.norms.map((v) => v ?? NaN) })));
    },
  };
  return cb;
}
