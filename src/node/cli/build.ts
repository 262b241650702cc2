// Builds a run's pieces from a config: the head (from the data when 'auto'), the network (MLP, layers,
// module JSON, or a hypernetwork generating one), the optimizer, the LR-schedule and early-stopping callbacks.
import { ArgumentError } from '../../core/errors.js';
import { type Head, binaryHead, multiclassHead, regressionHead, type RegressionActivation } from '../../heads/heads.js';
import { mlp } from '../../nn/mlp.js';
import type { Module } from '../../nn/module.js';
import type { Tensor } from '../../tensor/tensor.js';
import { moduleFromJSON } from '../../io/modules.js';
import { manualSeed } from '../../core/rng.js';
import { noGrad } from '../../autograd/graph.js';
import { fmtShape } from '../../core/errors.js';
import { ConfigError } from './schema.js';
import { Optimizer } from '../../optim/optimizer.js';
import { optimizerByName } from '../../optim/optimizers.js';
import { cosineAnnealing, stepLR } from '../../optim/schedules.js';
import { ReduceLROnPlateau } from '../../optim/plateau.js';
import { type Callback, earlyStopping, lrScheduler, plateauCallback } from '../../train/callbacks.js';
import type { ConfigRequest, HypernetConfig, TrainConfig } from './config.js';
import { HyperNetwork, type Conditioning } from '../../hyper/index.js';
import type { RunData } from './data-source.js';

/** The output head: multiclass/binary for classification (auto by class count), else regression. */
export function buildHead(m: TrainConfig['model'], data: RunData): Head {
  const kind = m.head === 'auto' ? (data.task === 'regression' ? 'regression' : (data.classNames?.length ?? 0) === 2 ? 'binary' : 'multiclass') : m.head;
  if (kind !== 'regression' && data.task === 'regression') throw new ArgumentError('model.head', `"${kind}" needs class labels, but the target is numeric (regression)`);
  if (kind === 'regression') {
    const loss = (m.loss ?? 'mse') as 'mse' | 'mae' | 'huber';
    if (!['mse', 'mae', 'huber'].includes(loss)) throw new ArgumentError('model.loss', `"${loss}" is not a regression loss; use mse, mae or huber`);
    return regressionHead({ activation: m.output as RegressionActivation, ...(m.range ? { range: m.range } : {}), loss });
  }
  if (kind === 'binary') {
    const loss = m.loss ?? 'bce';
    if (loss !== 'bce' && loss !== 'hinge') throw new ArgumentError('model.loss', `"${loss}" is not a binary loss; use bce or hinge`);
    return binaryHead(loss === 'hinge' ? { loss: 'hinge' } : { loss: 'bce' });
  }
  const loss = m.loss ?? 'cross_entropy';
  if (loss !== 'cross_entropy' && loss !== 'multi_margin') throw new ArgumentError('model.loss', `"${loss}" is not a multiclass loss; use cross_entropy or multi_margin`);
  const numClasses = data.classNames?.length ?? 0;
  return multiclassHead({ numClasses, loss, labelSmoothing: m.labelSmoothing });
}

/**
 * The network: `model.module` (any architecture JSON), else `model.layers` (a Sequential), else an MLP
 * from the input width through `hidden` to the head's outputs; with `model.hypernet`, a HyperNetwork
 * that generates that network's weights. Explicit architectures and hypernets are checked by running
 * two training rows through them, so a wrong width fails before training with the path named.
 */
export function buildModel(cfg: ConfigRequest, sample: Tensor, head: Head): Module {
  const m = cfg.model;
  const hc = m.hypernet;
  if (m.module === null && m.layers === null && hc === null) return buildTarget(cfg, sample.shape[1]!, head);
  const where = hc !== null ? 'model.hypernet' : m.module !== null ? 'model.module' : 'model.layers';
  const model = hc !== null ? buildHypernet(cfg, hc, sample.shape[1]!, head) : buildTarget(cfg, sample.shape[1]!, head);
  let out: Tensor;
  try {
    // The pure form in eval mode: the probe run leaves the model (statistics, streams, mode) untouched.
    out = noGrad(() => model.apply(model.params, sample, { mode: 'eval', state: model.state }).y);
  } catch (e) {
    throw new ConfigError(where, `the network does not run on the data (${fmtShape(sample.shape)}): ${(e as Error).message}`);
  }
  const width = out.size / sample.shape[0]!;
  if (out.rank !== 2 || width !== head.outputs) {
    throw new ConfigError(where, `the network outputs ${fmtShape(out.shape)} per batch, but the ${head.kind} head needs [N, ${head.outputs}]`);
  }
  return model;
}

/** The plain network of `model` (module JSON, layer list or MLP) for inputs of `width` features. */
function buildTarget(cfg: ConfigRequest, width: number, head: Head): Module {
  const m = cfg.model;
  if (m.module === null && m.layers === null) {
    return mlp({ sizes: [width, ...m.hidden, head.outputs], activation: m.activation, init: m.init, batchNorm: m.batchNorm, dropout: m.dropout, seed: cfg.train.seed });
  }
  manualSeed(cfg.train.seed);
  try {
    return moduleFromJSON(m.module ?? { type: 'Sequential', layers: m.layers });
  } catch (e) {
    throw new ConfigError(m.module !== null ? 'model.module' : 'model.layers', (e as Error).message);
  }
}

const RELU_FAMILY = new Set(['ReLU', 'LeakyReLU', 'PReLU']);

/** True when a module JSON tree contains a ReLU-family activation (hyperfan then uses gain √2). */
function usesRelu(j: unknown): boolean {
  if (Array.isArray(j)) return j.some(usesRelu);
  if (typeof j !== 'object' || j === null) return false;
  if (RELU_FAMILY.has((j as { type?: string }).type ?? '')) return true;
  return Object.values(j).some(usesRelu);
}

/**
 * `model.hypernet`: a HyperNetwork over the network the rest of `model` describes. 'task'
 * conditioning uses one learned embedding (one task), 'noise' samples z per step, 'input' takes
 * the first `conditionDim` feature columns as the condition and feeds the rest to the target.
 */
function buildHypernet(cfg: ConfigRequest, hc: HypernetConfig, width: number, head: Head): HyperNetwork {
  if (cfg.model.module?.type === 'HyperNetwork') {
    throw new ConfigError('model.hypernet', 'model.module is already a HyperNetwork; describe the target network in model.module (or layers/hidden) and the hypernet in model.hypernet');
  }
  const dim = hc.conditionDim ?? (hc.condition === 'input' ? null : 8);
  if (dim === null) throw new ConfigError('model.hypernet.conditionDim', 'input conditioning needs conditionDim: how many leading feature columns condition the generated network');
  if (hc.condition === 'input' && dim >= width) {
    throw new ConfigError('model.hypernet.conditionDim', `input conditioning takes the first ${dim} of the data's ${width} feature columns as the condition and needs at least one left for the target; use a value below ${width}`);
  }
  const target = buildTarget(cfg, hc.condition === 'input' ? width - dim : width, head);
  if (target.numParams() === 0) throw new ConfigError('model.hypernet', `the target ${target.describe()} has no weights to generate`);
  if (hc.chunkSize !== null && hc.chunkSize > target.numParams()) {
    throw new ConfigError('model.hypernet.chunkSize', `${hc.chunkSize} is more than the target's ${target.numParams()} weights; use a smaller chunk or null (all at once)`);
  }
  const condition: Conditioning = hc.condition === 'task' ? { kind: 'task', numTasks: 1, dim } : { kind: hc.condition, dim };
  const gain = hc.gain ?? (usesRelu(target.toJSON()) ? Math.SQRT2 : 1);
  try {
    return new HyperNetwork({
      target, condition, hidden: hc.hidden, activation: hc.activation, ...(hc.chunkSize !== null ? { chunkSize: hc.chunkSize, chunkDim: hc.chunkDim } : {}),
      hyperfan: hc.hyperfan, gain, biasScale: hc.biasScale, seed: cfg.train.seed,
    });
  } catch (e) {
    throw new ConfigError('model.hypernet', (e as Error).message);
  }
}

/** The optimizer over the model's parameters (clipping chained in when clipNorm is set). */
export function buildOptimizer(cfg: TrainConfig, model: Module): Optimizer {
  const t = cfg.train;
  return new Optimizer(optimizerByName(t.optimizer, { lr: t.lr, ...(t.weightDecay ? { weightDecay: t.weightDecay } : {}), clipNorm: t.clipNorm }), model);
}

/** Schedule and early-stopping callbacks. */
export function buildCallbacks(cfg: TrainConfig, optimizer: Optimizer): Callback[] {
  const t = cfg.train;
  const cbs: Callback[] = [];
  if (t.schedule === 'cosine') cbs.push(lrScheduler(cosineAnnealing(t.lr, t.epochs)));
  if (t.schedule === 'step') cbs.push(lrScheduler(stepLR(t.lr, Math.max(1, Math.floor(t.epochs / 3)), 0.1)));
  if (t.schedule === 'plateau') {
    cbs.push(plateauCallback(new ReduceLROnPlateau(optimizer, { patience: 2, factor: 0.5 })));
  }
  if (t.patience !== null) cbs.push(earlyStopping({ patience: t.patience, restoreBestWeights: true }));
  return cbs;
}
