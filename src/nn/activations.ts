// Activation layers (identity, sigmoid, tanh, softsign, hardtanh, softplus, ReLU, Leaky ReLU, PReLU,
// softmax/log-softmax with temperature) and a factory by name for configs and mlp().
import { Tensor, full } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import type { DType } from '../core/dtype.js';
import { relu, sigmoid, tanh } from '../ops/elementwise.js';
import { Module, Stateless, type ModuleJSON, type Params } from './module.js';
import * as F from './functional.js';
import { checkOptions } from '../core/options.js';

/**
 * A parameter-free activation applying one function elementwise.
 * @example new nn.ElementwiseActivation('Square', (x) => mul(x, x)).forward(tensor([-2, 3])) // [4, 9]
 */
export class ElementwiseActivation extends Stateless {
  constructor(readonly kind: string, private readonly fn: (x: Tensor) => Tensor) { super(); }
  call(x: Tensor): Tensor { return this.fn(x); }
  describe(): string { return this.kind; }
  toJSON(): ModuleJSON { return { type: this.kind }; }
}

/** h(x) = x. @example new nn.IdentityActivation().forward(tensor([-1, 2])) // [-1, 2] */
export class IdentityActivation extends ElementwiseActivation { constructor() { super('IdentityActivation', F.identity); } }
/** σ(x) = 1/(1+e^-x). @example new Sigmoid().forward(x) */
export class Sigmoid extends ElementwiseActivation { constructor() { super('Sigmoid', sigmoid); } }
/** tanh(x). @example new nn.Tanh().forward(tensor([0])) // [0] */
export class Tanh extends ElementwiseActivation { constructor() { super('Tanh', tanh); } }
/** x/(1+|x|). @example new nn.Softsign().forward(tensor([-1, 3])) // [-0.5, 0.75] */
export class Softsign extends ElementwiseActivation { constructor() { super('Softsign', F.softsign); } }
/** max(x, 0). @example new nn.ReLU().forward(tensor([-1, 2])) // [0, 2] */
export class ReLU extends ElementwiseActivation { constructor() { super('ReLU', relu); } }

/** clamp(x, min, max). @example new Hardtanh(-2, 2) */
export class Hardtanh extends Stateless {
  constructor(readonly min = -1, readonly max = 1) { super(); }
  call(x: Tensor): Tensor { return F.hardtanh(x, this.min, this.max); }
  describe(): string { return `Hardtanh(${this.min}, ${this.max})`; }
  toJSON(): ModuleJSON { return { type: 'Hardtanh', min: this.min, max: this.max }; }
}

/** (1/β) log(1+e^{βx}). @example new nn.Softplus().forward(tensor([0])) // [0.693...] (ln 2) */
export class Softplus extends Stateless {
  constructor(readonly beta = 1) { super(); }
  call(x: Tensor): Tensor { return F.softplus(x, this.beta); }
  describe(): string { return 'Softplus'; }
  toJSON(): ModuleJSON { return { type: 'Softplus', beta: this.beta }; }
}

/** x for x > 0, αx otherwise (fixed slope α). @example new LeakyReLU(0.2) */
export class LeakyReLU extends Stateless {
  constructor(readonly alpha = 0.01) { super(); }
  call(x: Tensor): Tensor { return F.leakyRelu(x, this.alpha); }
  describe(): string { return `LeakyReLU(${this.alpha})`; }
  toJSON(): ModuleJSON { return { type: 'LeakyReLU', alpha: this.alpha }; }
}

/**
 * Leaky ReLU with a learnable slope `weight` (one, or one per channel), init 0.25 as PyTorch.
 * @example new nn.PReLU().forward(tensor([-4, 2])) // [-1, 2]
 */
export class PReLU extends Module<Params & { weight: Tensor }> {
  constructor(readonly numParameters = 1, init = 0.25, dtype: DType = 'float32') {
    super();
    this.ownParams = { weight: full([numParameters], init, { dtype, requiresGrad: true }) };
  }
  run(params: Params & { weight: Tensor }, x: Tensor): Tensor { return F.prelu(x, params.weight); }
  describe(): string { return `PReLU(${this.numParameters})`; }
  toJSON(): ModuleJSON { return { type: 'PReLU', numParameters: this.numParameters }; }
}

/**
 * softmax(x/τ) along `axis`; `learnableTemperature` makes τ a parameter (`temperature`, stored
 * as its log so it stays positive: τ = e^{log_temperature}).
 * @example new Softmax(-1, 0.5)
 */
export class Softmax extends Module<Params & { log_temperature?: Tensor }> {
  constructor(readonly axis = -1, readonly temperature = 1, readonly learnableTemperature = false, readonly log = false) {
    super();
    if (!(temperature > 0)) throw new ArgumentError('Softmax', `temperature must be positive, got ${temperature}`);
    if (learnableTemperature) this.ownParams = { log_temperature: full([1], Math.log(temperature), { requiresGrad: true }) };
  }
  run(params: Params & { log_temperature?: Tensor }, x: Tensor): Tensor {
    const t = this.learnableTemperature ? params.log_temperature!.exp() : this.temperature;
    return this.log ? F.logSoftmax(x, this.axis, t) : F.softmax(x, this.axis, t);
  }
  describe(): string { return `${this.log ? 'LogSoftmax' : 'Softmax'}(τ=${this.learnableTemperature ? 'learned' : this.temperature})`; }
  toJSON(): ModuleJSON {
    return { type: 'Softmax', axis: this.axis, temperature: this.temperature, learnableTemperature: this.learnableTemperature, log: this.log };
  }
}

/** log softmax(x/τ) along `axis`. @example new nn.LogSoftmax().forward(tensor([[0, 0]])) // [[-0.693..., -0.693...]] */
export class LogSoftmax extends Softmax {
  constructor(axis = -1, temperature = 1, learnableTemperature = false) { super(axis, temperature, learnableTemperature, true); }
}

/** Activation names accepted by configs, `mlp()` and the CLI. @example nn.activationNames.includes('relu') // true */
export const activationNames = ['identity', 'sigmoid', 'tanh', 'softsign', 'hardtanh', 'softplus', 'relu', 'leaky_relu', 'prelu'] as const;
export type ActivationName = (typeof activationNames)[number];

/**
 * An activation layer by name.
 * @example activation('leaky_relu', { alpha: 0.2 })
 */
export function activation(name: string, opts: { alpha?: number; channels?: number } = {}): Module {
  checkOptions('activation', opts, ['alpha', 'channels']);
  switch (name) {
    case 'identity': case 'linear': return new IdentityActivation();
    case 'sigmoid': return new Sigmoid();
    case 'tanh': return new Tanh();
    case 'softsign': return new Softsign();
    case 'hardtanh': return new Hardtanh();
    case 'softplus': return new Softplus();
    case 'relu': return new ReLU();
    case 'leaky_relu': return new LeakyReLU(opts.alpha ?? 0.01);
    case 'prelu': return new PReLU(opts.channels ?? 1);
    default: throw new ArgumentError('activation', `unknown activation "${name}"; choose one of ${activationNames.join(', ')}`);
  }
}
