// Predictive mean and spread from several networks: sampled hypernet targets, and plain deep ensembles.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { noGrad } from '../autograd/graph.js';
import { add, relu, sqrt, square, sub } from '../ops/elementwise.js';
import { mean } from '../ops/reduce.js';
import { narrow, reshape, stack } from '../ops/movement.js';
import { unflatten } from '../tree/tree.js';
import type { Module, Params } from '../nn/module.js';
import type { HyperNetwork } from './hypernet.js';
import type { Key } from '../core/rng.js';

/** Ensemble prediction: mean and (population) standard deviation over members, per output. */
export interface EnsemblePrediction {
  mean: Tensor;
  std: Tensor;
  /** Every member's output, [K, N, ...]. */
  samples: Tensor;
}

/**
 * μ = (1/K) Σ_k y_k and σ = √((1/K) Σ_k (y_k − μ)²) over the first dim of [K, N, ...], computed
 * from the shifted values d_k = y_k − y_0 (σ² = mean(d²) − mean(d)²), so identical members give
 * exactly σ = 0 and μ = y_0.
 * @example const { mean, std } = meanStd(stack(outputs));
 */
export function meanStd(samples: Tensor): EnsemblePrediction {
  const first = narrow(samples, 0, 0, 1);
  const d = sub(samples, first);
  const m = mean(d, [0]);
  const sd = sqrt(relu(sub(mean(square(d), [0]), square(m))));
  return { mean: add(reshape(first, m.shape), m), std: sd, samples };
}

/**
 * Samples K target networks from a noise-conditioned hypernet and returns the ensemble's mean
 * and std per output (no gradients). With `hyper.noise = false` every sample is the z = 0 net,
 * so std is exactly 0. With `key` the samples come from the key (pure: the same key, the same result),
 * else from the hypernet's own stream.
 * @example const { mean, std } = predictStochastic(hyper, xGrid, 50, Key.of(3));
 */
export function predictStochastic(hyper: HyperNetwork, x: Tensor, k: number, key?: Key): EnsemblePrediction {
  if (!Number.isInteger(k) || k < 1) throw new ArgumentError('predictStochastic', `k must be a positive integer, got ${k}`);
  return noGrad(() => {
    const w = hyper.generate(hyper.params, hyper.sampleNoise(k, key));
    return meanStd(stack(sampledOutputs(hyper, w, x)));
  });
}

/**
 * Runs the target once per row of W [K, P] on the same x (differentiable; for training with K samples).
 * @example const ys = sampledOutputs(hyper, hyper.generate(params, hyper.sampleNoise(8)), x);
 */
export function sampledOutputs(hyper: HyperNetwork, w: Tensor, x: Tensor): Tensor[] {
  const p = w.shape[1]!;
  const out: Tensor[] = [];
  for (let i = 0; i < w.shape[0]!; i++) {
    out.push(hyper.target.apply(unflatten(hyper.targetSpec, reshape(narrow(w, 0, i, 1), [p])) as Params, x));
  }
  return out;
}

/**
 * A plain deep ensemble (Lakshminarayanan et al. 2017): K independently initialised networks
 * trained separately; the prediction is their mean and std.
 * @example const ens = new DeepEnsemble([0, 1, 2, 3, 4].map((s) => mlp({ sizes: [1, 100, 1], seed: s })));
 */
export class DeepEnsemble {
  constructor(readonly members: Module[]) {
    if (members.length < 1) throw new ArgumentError('DeepEnsemble', 'needs at least one member network');
  }

  /** Mean and std of the members' outputs on x (eval mode, no gradients). @example ens.predict(x).std */
  predict(x: Tensor): EnsemblePrediction {
    return noGrad(() => meanStd(stack(this.members.map((m) => m.apply(m.params, x, { mode: 'eval', state: m.state }).y))));
  }

  /** Total trainable parameters of all members. @example ens.numParams() */
  numParams(): number {
    return this.members.reduce((n, m) => n + m.numParams(), 0);
  }
}
