// The multilayer perceptron builder: Linear layers with activations, optional batch norm and dropout.
import { ArgumentError } from '../core/errors.js';
import { Rng, defaultRng } from '../core/rng.js';
import type { DType } from '../core/dtype.js';
import { Linear } from './linear.js';
import { Identity, Residual, Sequential } from './containers.js';
import { BatchNorm1d, Dropout, Flatten, Reshape } from './layers.js';
import {
  Hardtanh, IdentityActivation, LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Softplus, Softsign, Tanh, activation,
} from './activations.js';
import { initByName, gain, kaimingUniform, xavierUniform, type Initializer, type Nonlinearity } from './init.js';
import type { Module, ModuleJSON } from './module.js';
import { type AllowedKeys, checkOptions, describeValue } from '../core/options.js';

export interface MlpOptions {
  /** Layer widths from input to output, e.g. [784, 256, 128, 10]. */
  sizes: readonly number[];
  /** Hidden activation (default 'relu'). */
  activation?: string;
  /** Slope for leaky_relu. */
  alpha?: number;
  /** Activation after the last layer (default none: raw scores for a head's loss). */
  output?: string;
  /** 'default' (PyTorch's U(±1/√fan_in)), 'he', 'glorot', 'lecun', 'orthogonal', ...; or an Initializer. */
  init?: string | Initializer;
  /** Insert BatchNorm1d after each hidden Linear. */
  batchNorm?: boolean;
  /** Dropout probability after each hidden activation. */
  dropout?: number;
  rng?: Rng;
  seed?: number;
  dtype?: DType;
}

const MLP_OPTIONS: AllowedKeys<MlpOptions> = {
  sizes: true, activation: true, alpha: true, output: true, init: true, batchNorm: true, dropout: true, rng: true, seed: true, dtype: true,
};

function pickInit(init: MlpOptions['init'], act: string): Initializer | undefined {
  if (init === undefined || init === 'default') return undefined;
  if (typeof init !== 'string') return init;
  const nl = (['relu', 'leaky_relu', 'tanh', 'sigmoid'].includes(act) ? act : 'linear') as Nonlinearity;
  if (init === 'he' || init === 'kaiming') return kaimingUniform({ nonlinearity: nl === 'linear' ? 'relu' : nl });
  if (init === 'glorot' || init === 'xavier') return xavierUniform(gain(nl));
  return initByName(init);
}

/**
 * A multilayer perceptron: Linear → activation (→ BatchNorm, Dropout) repeated, then a final
 * Linear (and optional output activation). Parameter names follow nn.Sequential (`0.weight`, ...).
 *
 * @example
 * const net = mlp({ sizes: [64, 32, 10], activation: 'relu', seed: 1 });
 * net.numParams();  // 64*32+32 + 32*10+10
 */
export function mlp(opts: MlpOptions): Sequential {
  checkOptions('mlp', opts, MLP_OPTIONS);
  const { sizes } = opts;
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new ArgumentError('mlp', `sizes must list at least input and output widths as positive integers, got [${sizes.join(',')}]`);
  }
  const rng = opts.rng ?? (opts.seed !== undefined ? new Rng(opts.seed) : defaultRng());
  const act = opts.activation ?? 'relu';
  const init = pickInit(opts.init, act);
  const layers: Module[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const last = i + 2 === sizes.length;
    layers.push(new Linear(sizes[i]!, sizes[i + 1]!, { rng, dtype: opts.dtype, ...(init ? { init } : {}) }));
    if (last) break;
    if (opts.batchNorm) layers.push(new BatchNorm1d(sizes[i + 1]!, { dtype: opts.dtype }));
    layers.push(activation(act, { alpha: opts.alpha }));
    if (opts.dropout) layers.push(new Dropout(opts.dropout, { rng: rng.split() }));
  }
  if (opts.output && opts.output !== 'identity') layers.push(activation(opts.output, { alpha: opts.alpha }));
  return new Sequential(...layers);
}
