// Gradient-flow experiments for the playground: deep nets that vanish (sigmoid) or do not (ReLU + He,
// batch norm), an exploding initialisation with gradient clipping on or off, stepped one batch at a time.
import { analysis, nn, Optimizer, optim, regressionHead, sgd, type GradientTransformation, type Tensor } from 'neurite';

/** The experiment's architecture: 6 hidden layers × 8 units by default. */
export type FlowPreset = 'sigmoid' | 'relu-he' | 'sigmoid-bn';

export interface FlowConfig {
  preset: FlowPreset;
  depth?: number;
  width?: number;
  /**
   * Weights drawn N(0, (gain·√(2/fan_in))²) when set (the exploding toggle uses 4; He is 1), else the
   * preset's own init (sigmoid: PyTorch's default U(±1/√fan_in); relu-he: He normal).
   */
  initGain?: number;
  /** Clip the gradient's global norm to this before the SGD step (clipByGlobalNorm), or none. */
  clipNorm?: number | null;
  lr?: number;
  seed?: number;
}

/** One recorded step: the loss and ‖∂L/∂θ_ℓ‖ of every Linear layer, first to last. */
export interface FlowStep {
  step: number;
  loss: number;
  layers: string[];
  norms: number[];
  /** ‖g‖ over all parameters before clipping, and the norm of what the optimizer was given. */
  globalNorm: number;
  appliedNorm: number;
}

/**
 * The experiment network for a preset: `depth` hidden layers of `width` units on `inputs` features,
 * one output.
 * @example flowModel({ preset: 'sigmoid' }, 2).layers.length   // 13
 */
export function flowModel(cfg: FlowConfig, inputs: number): nn.Sequential {
  const depth = cfg.depth ?? 6, width = cfg.width ?? 8;
  const sizes = [inputs, ...new Array<number>(depth).fill(width), 1];
  const activation = cfg.preset === 'relu-he' ? 'relu' : 'sigmoid';
  const gain = cfg.initGain;
  const init: nn.MlpOptions['init'] = gain !== undefined
    ? (shape, rng, dtype) => nn.init.normalInit(0, gain * Math.sqrt(2 / nn.init.fans(shape)[0]))(shape, rng, dtype)
    : cfg.preset === 'relu-he' ? 'he' : undefined;
  return nn.mlp({ sizes, activation, batchNorm: cfg.preset === 'sigmoid-bn', seed: cfg.seed ?? 1, ...(init ? { init } : {}) });
}

/** A stepper: each call to `step()` trains one full batch and returns what it measured. */
export interface FlowRun {
  model: nn.Sequential;
  step(): FlowStep;
}

/**
 * Starts an experiment on (x [N, F], y [N, 1]): MSE loss, SGD (lr 0.1 by default) behind an optional
 * clipByGlobalNorm. Each step records the per-Linear-layer gradient norms (analysis.gradientNorms)
 * measured before clipping, so clipping changes the updates, not the plotted norms.
 * @example const run = startFlow({ preset: 'sigmoid' }, x, y); run.step().norms   // first ≪ last
 */
export function startFlow(cfg: FlowConfig, x: Tensor, y: Tensor): FlowRun {
  const model = flowModel(cfg, x.shape[1]!);
  const head = regressionHead();
  const clip = cfg.clipNorm ?? null;
  const opt = new Optimizer(chainFor(clip, sgd({ lr: cfg.lr ?? 0.1 })), model);
  const linear = new Set(model.layers.flatMap((m, i) => (m instanceof nn.Linear ? [String(i)] : [])));
  let count = 0;
  return {
    model,
    step(): FlowStep {
      opt.zeroGrad();
      const loss = head.loss(model.forward(x), y);
      loss.backward();
      const g = analysis.gradientNorms(model);
      const rows = g.layers.filter((l) => linear.has(l.layer));
      const applied = clip !== null && g.total > clip ? clip : g.total;
      opt.step();
      count += 1;
      return { step: count, loss: loss.item(), layers: rows.map((l) => analysis.layerLabel(model, l.layer)), norms: rows.map((l) => l.norm), globalNorm: g.total, appliedNorm: applied };
    },
  };
}

/** ‖g_first‖ / ‖g_last‖ of a step: ≪ 1 vanishing, ≫ 1 exploding. @example firstOverLast(run.step()) */
export function firstOverLast(s: FlowStep): number {
  return s.norms[0]! / s.norms[s.norms.length - 1]!;
}

/** The SGD step behind clipByGlobalNorm(clip), or the step alone when clip is null. */
function chainFor(clip: number | null, step: GradientTransformation): GradientTransformation {
  return clip === null ? step : optim.chain(optim.clipByGlobalNorm(clip), step);
}
