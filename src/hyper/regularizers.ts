// Hypernetwork regularisers: the continual-learning output regulariser (von Oswald et al. 2020)
// and a weight-space diversity term for stochastic hypernetworks.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { noGrad } from '../autograd/graph.js';
import { add, div, log, neg, sub, square } from '../ops/elementwise.js';
import { mean, sum } from '../ops/reduce.js';
import { unsqueeze } from '../ops/movement.js';
import type { Params } from '../nn/module.js';
import type { HyperNetwork } from './hypernet.js';

/** Generated target vectors of earlier tasks, frozen: the Θ* of the output regulariser. */
export type OutputSnapshot = Map<number, Tensor>;

/**
 * Records (detached) the target parameters the hypernet generates for each task in `tasks`.
 * @example const snap = snapshotTaskOutputs(hyper, [0, 1]);   // before training task 2
 */
export function snapshotTaskOutputs(hyper: HyperNetwork, tasks: readonly number[]): OutputSnapshot {
  const snap: OutputSnapshot = new Map();
  noGrad(() => {
    for (const t of tasks) snap.set(t, hyper.generate(hyper.params, hyper.condition(hyper.params, { task: t })).detach().clone());
  });
  return snap;
}

/**
 * Output regulariser of von Oswald et al. (2020), eq. 2 without look-ahead:
 * R = (1/T') Σ_{t in snapshot} ‖f_h(e_t, Θ) − f_h(e_t, Θ*)‖², where Θ* are the hypernet's
 * parameters before the current task. Add β·R to the current task's loss.
 * @example const loss = add(taskLoss, mul(outputRegularizer(hyper, hyper.params, snap), 0.005));
 */
export function outputRegularizer(hyper: HyperNetwork, params: Params, snapshot: OutputSnapshot): Tensor {
  if (snapshot.size === 0) throw new ArgumentError('outputRegularizer', 'the snapshot is empty; there is nothing to keep (skip the term for the first task)');
  let total: Tensor | null = null;
  for (const [t, old] of snapshot) {
    const d = sum(square(sub(hyper.generate(params, hyper.condition(params, { task: t })), old)));
    total = total === null ? d : add(total, d);
  }
  return div(total!, snapshot.size);
}

/**
 * Weight-space repulsion for K sampled target vectors W [K, P]:
 * D = −mean_{i,j} log(mean_p (W_ip − W_jp)² + ε). Minimising it (weighted by λ) keeps samples
 * apart where the data do not pin them down, so a stochastic hypernet does not collapse to one net.
 * @example const loss = add(dataLoss, mul(weightDiversity(hyper.generate(params, hyper.sampleNoise(8))), 0.01));
 */
export function weightDiversity(samples: Tensor, eps = 1e-4): Tensor {
  if (samples.rank !== 2 || samples.shape[0]! < 2) {
    throw new ArgumentError('weightDiversity', `needs at least 2 samples as [K, P], got [${samples.shape.join(', ')}]`);
  }
  const d = mean(square(sub(unsqueeze(samples, 0), unsqueeze(samples, 1))), [2]);
  return neg(mean(log(add(d, eps))));
}
