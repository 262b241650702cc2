// Representations: named intermediate activations of a model, and a linear probe per layer.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { noGrad } from '../autograd/graph.js';
import { reshape } from '../ops/movement.js';
import { argmax } from '../ops/reduce.js';
import { Linear } from '../nn/linear.js';
import type { Module, Params } from '../nn/module.js';
import { multiclassHead } from '../heads/heads.js';
import { Optimizer } from '../optim/optimizer.js';
import { adam } from '../optim/index.js';
import { fit } from '../train/fit.js';
import { Rng } from '../core/rng.js';

/** A model that can report its intermediate outputs (Sequential does). */
export interface WithIntermediates { applyWithIntermediates(params: Params, x: Tensor): { output: Tensor; activations: [string, Tensor][] } }

/**
 * Runs `model` on x without gradients and returns every named intermediate activation
 * (for Sequential: `"i:Layer"` after each child), flattened to [N, features].
 *
 * @example
 * const acts = representations(net, x);   // [['0:Linear(64→32)', T[N,32]], ['1:Tanh', ...], ...]
 */
export function representations(model: Module & Partial<WithIntermediates>, x: Tensor): [string, Tensor][] {
  if (typeof model.applyWithIntermediates !== 'function') {
    throw new ArgumentError('representations', `${model.describe()} does not provide applyWithIntermediates(params, x); wrap it in a Sequential`);
  }
  const run = model.applyWithIntermediates.bind(model);
  return noGrad(() => run(model.params, x).activations.map(([k, t]): [string, Tensor] => [k, reshape(t.detach(), [t.shape[0]!, -1])]));
}

export interface ProbeOptions { numClasses: number; test?: { x: Tensor; y: Tensor }; epochs?: number; lr?: number; seed?: number; batchSize?: number }
export interface ProbeResult { trainAccuracy: number; testAccuracy?: number }

/**
 * Linear probe: fits a softmax classifier p(y|h) = softmax(W h + b) (cross-entropy, Adam) on a
 * frozen representation h [N, D] and reports accuracy — how linearly separable the classes are.
 *
 * @example
 * linearProbe(hidden, y, { numClasses: 10, test: { x: hTest, y: yTest } }).testAccuracy;
 */
export function linearProbe(features: Tensor, labels: Tensor, opts: ProbeOptions): ProbeResult {
  if (features.rank !== 2 || labels.shape[0] !== features.shape[0]) {
    throw new ArgumentError('linearProbe', `features [${features.shape.join(', ')}] must be [N, D] with one label each (labels [${labels.shape.join(', ')}])`);
  }
  const model = new Linear(features.shape[1]!, opts.numClasses, { rng: new Rng(opts.seed ?? 0), dtype: features.dtype });
  const head = multiclassHead({ numClasses: opts.numClasses });
  const optimizer = new Optimizer(adam({ lr: opts.lr ?? 0.01 }), model);
  fit({ model, head, optimizer, x: features, y: labels, epochs: opts.epochs ?? 30, batchSize: opts.batchSize ?? 64, seed: opts.seed ?? 0 });
  const acc = (x: Tensor, y: Tensor): number => {
    const pred = argmax(noGrad(() => model.forward(x)), -1).toFlat();
    const t = y.toFlat();
    return pred.filter((p, i) => p === t[i]).length / t.length;
  };
  return { trainAccuracy: acc(features, labels), ...(opts.test ? { testAccuracy: acc(opts.test.x, opts.test.y) } : {}) };
}
