// Linear: the lecture's layer of neurons, y = x Wᵀ + b with W of shape [out, in] (PyTorch layout).
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import { Rng, defaultRng } from '../core/rng.js';
import type { DType } from '../core/dtype.js';
import { add } from '../ops/elementwise.js';
import { linear, matmul } from '../ops/matmul.js';
import { reshape, unsqueeze } from '../ops/movement.js';
import { Module, type ModuleJSON, type Params } from './module.js';
import { type Initializer, torchDefault, zerosInit } from './init.js';
import { type AllowedKeys, checkOptions } from '../core/options.js';
import { checkDType } from '../core/dtype.js';

export interface LinearOptions {
  /** Add the bias neuron's weights b (default true). */
  bias?: boolean;
  /** Weight initialiser; default PyTorch's U(-1/√in, 1/√in). */
  init?: Initializer;
  /** Bias initialiser; default U(-1/√in, 1/√in) (zeros when `init` is given). */
  biasInit?: Initializer;
  rng?: Rng;
  dtype?: DType;
}

const LINEAR_OPTIONS: AllowedKeys<LinearOptions> = { bias: true, init: true, biasInit: true, rng: true, dtype: true };

/** A weight and an optional bias (Linear, Conv2d). */
export type WeightBias = Params & { weight: Tensor; bias?: Tensor };

/**
 * Fully connected layer: each of the `out` neurons computes Σ_k w_k a_k + b (the bias neuron).
 * Parameters `weight [out, in]`, `bias [out]`. With a leading batch dim of per-sample weights
 * (`weight [B, out, in]`, `bias [B, out]`, as a hypernetwork produces) each example uses its own.
 *
 * A single-output Linear is the lecture's neuron: with identity it is linear regression, followed
 * by a sigmoid it is logistic regression.
 *
 * @example
 * const layer = new Linear(784, 100);
 * layer.forward(x);   // [N, 784] → [N, 100]
 */
export class Linear extends Module<WeightBias> {
  constructor(readonly inFeatures: number, readonly outFeatures: number, readonly opts: LinearOptions = {}) {
    super();
    checkOptions('Linear', opts, LINEAR_OPTIONS);
    const rng = opts.rng ?? defaultRng();
    const dtype = checkDType(opts.dtype ?? 'float32', 'Linear');
    const wInit = opts.init ?? torchDefault(inFeatures);
    const p: WeightBias = { weight: wInit([outFeatures, inFeatures], rng, dtype).requireGrad() };
    if (opts.bias ?? true) {
      const bInit = opts.biasInit ?? (opts.init ? zerosInit() : torchDefault(inFeatures));
      p.bias = bInit([outFeatures], rng, dtype).detach().requireGrad();
    }
    this.ownParams = p;
  }

  run(params: WeightBias, x: Tensor): Tensor {
    const w = params.weight as Tensor;
    const b = params.bias as Tensor | undefined;
    if (x.shape[x.rank - 1] !== this.inFeatures) {
      throw new ShapeError('Linear', `input ${fmtShape(x.shape)} has ${x.shape[x.rank - 1]} features, layer expects ${this.inFeatures}`);
    }
    if (w.rank === 3) return this.applyPerSample(w, b, x);
    return linear(x, w, b);
  }

  /** Per-sample weights: y[i] = W[i] x[i] + b[i], one batched matmul (no loop over examples). */
  private applyPerSample(w: Tensor, b: Tensor | undefined, x: Tensor): Tensor {
    if (x.rank !== 2 || w.shape[0] !== x.shape[0]) {
      throw new ShapeError('Linear', `per-sample weights ${fmtShape(w.shape)} need input [${w.shape[0]}, ${this.inFeatures}], got ${fmtShape(x.shape)}`);
    }
    const y = reshape(matmul(unsqueeze(x, 1), w, { transB: true }), [x.shape[0]!, this.outFeatures]);
    return b ? add(y, b) : y;
  }

  describe(): string {
    return `Linear(${this.inFeatures}→${this.outFeatures}${this.ownParams.bias ? '' : ', no bias'})`;
  }

  toJSON(): ModuleJSON {
    return { type: 'Linear', in: this.inFeatures, out: this.outFeatures, bias: 'bias' in this.ownParams };
  }
}
