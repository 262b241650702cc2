// The network, head, loss and optimizer a playground state describes, built from neurite's public API (worker and page alike).
import {
  nn, tree, Rng, Tensor, tensor, mul, add, abs, sum, square, softmax, sigmoid, optimizerByName,
  binaryHead, multiclassHead, regressionHead, type Head, type GradientTransformation,
} from 'neurite';
import type { ActivationName, PlaygroundState } from './host.js';

/** Head outputs per point: 1 (binary, regression) or k (multiclass). @example outputDim(s) // 3 */
export function outputDim(s: PlaygroundState): number {
  return s.problem === 'multiclass' ? s.classes : 1;
}

function initFor(s: PlaygroundState, act: ActivationName | 'identity'): nn.init.Initializer {
  const known = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'softsign', 'hardtanh', 'softplus'];
  const nl = (known.includes(act) ? act : 'linear') as nn.init.Nonlinearity;
  switch (s.init) {
    case 'he': return nn.init.kaimingUniform({ nonlinearity: 'relu' });
    case 'glorot': return nn.init.xavierUniform(nn.init.gain(nl));
    case 'lecun': return nn.init.lecunUniform();
    default: return nn.init.uniformInit(-0.5, 0.5); // TensorFlow Playground's initialiser
  }
}

function activationModule(name: ActivationName): nn.Module {
  return nn.activation(name, name === 'leaky_relu' ? { alpha: 0.1 } : {});
}

/** Where one layer of the playground lives in the flat network: its module indices and parameter paths. */
export interface BlockLayout {
  /** h1…h6 for hidden layers, out for the output. */
  label: string;
  /** Top-level module indices [start, end) of this block (a Residual is one module). */
  start: number;
  end: number;
  /** Path of its Linear (`2` or `2.body.0`): `${linear}.weight`, `${linear}.bias`. */
  linear: string;
  /** Path of its PReLU, if its activation is one. */
  prelu?: string;
}

/**
 * The module layout a state builds (pure; `buildNetwork` follows it): per hidden layer Linear →
 * [BatchNorm1d] → activation → [Dropout], in a Residual x + f(x) when residual links are on and the
 * width is unchanged, then the output Linear.
 * @example networkLayout(defaultState(), 2).map((b) => b.linear) // ['0', '2', '4']
 */
export function networkLayout(s: PlaygroundState, inputDim: number): BlockLayout[] {
  const out: BlockLayout[] = [];
  let index = 0, width = inputDim;
  s.layers.forEach((layer, i) => {
    const actAt = s.batchNorm ? 2 : 1;
    const residual = s.residual && width === layer.units;
    const parts = actAt + 1 + (s.dropout > 0 ? 1 : 0);
    const at = (k: number) => (residual ? `${index}.body.${k}` : String(index + k));
    out.push({ label: `h${i + 1}`, start: index, end: index + (residual ? 1 : parts), linear: at(0), ...(layer.activation === 'prelu' ? { prelu: at(actAt) } : {}) });
    index += residual ? 1 : parts;
    width = layer.units;
  });
  out.push({ label: 'out', start: index, end: index + 1, linear: String(index) });
  return out;
}

/**
 * The network as one flat nn.Sequential (a plain MLP when residual links are off), laid out as
 * `networkLayout` says. Each Linear draws from its own seeded stream, so changing one layer leaves
 * the others' initial weights as they were.
 * @example const net = buildNetwork(defaultState(), 2, 1)
 */
export function buildNetwork(s: PlaygroundState, inputDim: number, outDim: number): nn.Sequential {
  const modules: nn.Module[] = [];
  let width = inputDim;
  s.layers.forEach((layer, i) => {
    const rng = new Rng(s.seed * 1000 + i + 1);
    const parts: nn.Module[] = [new nn.Linear(width, layer.units, { rng, init: initFor(s, layer.activation) })];
    if (s.batchNorm) parts.push(new nn.BatchNorm1d(layer.units));
    parts.push(activationModule(layer.activation));
    if (s.dropout > 0) parts.push(new nn.Dropout(s.dropout, { seed: s.seed * 1000 + 100 + i }));
    if (s.residual && width === layer.units) modules.push(new nn.Residual(new nn.Sequential(...parts)));
    else modules.push(...parts);
    width = layer.units;
  });
  const rng = new Rng(s.seed * 1000 + 99);
  modules.push(new nn.Linear(width, outDim, { rng, init: initFor(s, 'identity') }));
  return new nn.Sequential(...modules);
}

/** The block label (h1…, out) of each top-level module index. @example moduleLabels(layout)[0] // 'h1' */
export function moduleLabels(layout: readonly BlockLayout[]): string[] {
  const labels: string[] = [];
  for (const b of layout) for (let i = b.start; i < b.end; i++) labels[i] = b.label;
  return labels;
}

/** The head of the state's problem. @example makeHead(s).toJSON() */
export function makeHead(s: PlaygroundState): Head {
  if (s.problem === 'binary') return s.binaryLoss === 'hinge' ? binaryHead({ loss: 'hinge', margin: 1 }) : binaryHead();
  if (s.problem === 'multiclass') {
    const numClasses = outputDim(s);
    return s.multiclassLoss === 'multi_margin' ? multiclassHead({ numClasses, loss: 'multi_margin' }) : multiclassHead({ numClasses });
  }
  if (s.regressionActivation === 'tanh') return regressionHead({ activation: 'tanh', range: [s.rangeA, s.rangeB], loss: s.regressionLoss });
  return regressionHead({ activation: s.regressionActivation, loss: s.regressionLoss });
}

/** The targets the head trains on: ±1 for the hinge, [n] labels or [n, 1] values otherwise. */
export function targetTensor(s: PlaygroundState, y: Float32Array): Tensor {
  if (s.problem === 'binary') {
    const t = s.binaryLoss === 'hinge' ? Float32Array.from(y, (v) => 2 * v - 1) : y;
    return tensor(t).reshape([y.length, 1]);
  }
  if (s.problem === 'multiclass') return tensor(Float32Array.from(y));
  return tensor(y).reshape([y.length, 1]);
}

/** Raw scores divided by the temperature τ (multiclass only), as the loss and the probabilities see them. */
export function tempered(s: PlaygroundState, raw: Tensor): Tensor {
  return s.problem === 'multiclass' && s.temperature !== 1 ? mul(raw, 1 / s.temperature) : raw;
}

/** The penalty λΣ|w| (L1) or (λ/2)Σw² (L2) over the Linear weights (not biases), as TensorFlow Playground. */
export function penalty(s: PlaygroundState, model: nn.Module): Tensor | null {
  if (s.regularization === 'none' || s.regRate === 0) return null;
  let total: Tensor | null = null;
  for (const [name, w] of tree.entries(model.params)) {
    if (!name.endsWith('weight') || w.rank !== 2) continue; // Linear weights; BatchNorm/PReLU weights are 1-D
    const term = s.regularization === 'l1' ? sum(abs(w)) : mul(sum(square(w)), 0.5);
    total = total === null ? term : add(total, term);
  }
  return total === null ? null : mul(total, s.regRate);
}

/** The training loss of a batch: the head's loss on the (tempered) raw scores plus the penalty. */
export function batchLoss(s: PlaygroundState, head: Head, model: nn.Module, raw: Tensor, y: Tensor): Tensor {
  const base = head.loss(tempered(s, raw), y);
  const p = penalty(s, model);
  return p === null ? base : add(base, p);
}

/** The optimizer with the state's hyperparameters (and global-norm clipping). @example makeOptimizer(s) */
export function makeOptimizer(s: PlaygroundState): GradientTransformation {
  const lr = s.learningRate, betas = [s.beta1, s.beta2] as const, clipNorm = s.clipNorm > 0 ? s.clipNorm : null;
  switch (s.optimizer) {
    case 'sgd': return optimizerByName('sgd', { lr, clipNorm });
    case 'momentum': return optimizerByName('sgd', { lr, momentum: s.momentum, clipNorm });
    case 'nesterov': return optimizerByName('sgd', { lr, momentum: Math.max(s.momentum, 1e-6), nesterov: true, clipNorm });
    case 'adagrad': return optimizerByName('adagrad', { lr, eps: s.eps, clipNorm });
    case 'rmsprop': return optimizerByName('rmsprop', { lr, alpha: s.rmsAlpha, eps: s.eps, clipNorm });
    case 'adamw': return optimizerByName('adamw', { lr, betas, eps: s.eps, weightDecay: s.weightDecay, clipNorm });
    default: return optimizerByName(s.optimizer, { lr, betas, eps: s.eps, clipNorm });
  }
}

/**
 * Head outputs from raw scores: probability of class 1 (binary; the hinge's score through a
 * sigmoid is shown as its sign's confidence), softmax(z/τ) (multiclass), the value (regression).
 */
export function headOutputs(s: PlaygroundState, head: Head, raw: Tensor): Float32Array {
  if (s.problem === 'binary') return Float32Array.from(sigmoid(raw).data);
  if (s.problem === 'multiclass') return Float32Array.from(softmax(raw, -1, s.temperature).data);
  return Float32Array.from(head.activate(raw).data);
}
