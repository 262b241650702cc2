// Divergence detection: a NaN/Inf loss, gradient or parameter stops training with a clear report.
import type { Tensor } from '../tensor/tensor.js';
import type { EpochLog } from './callbacks.js';

/**
 * Thrown when training diverges; says which epoch and batch (both 1-based) and which tensor went
 * non-finite or grew too far. Thrown out of fit(), it carries the history so far and the epoch whose
 * weights fit() put back (`bestEpoch`, null when no epoch completed).
 * @example
 * try { fit({ model, head, optimizer, x, y }); }
 * catch (e) { if (e instanceof DivergenceError) console.error(e.epoch, e.batch, e.tensorName); }
 */
export class DivergenceError extends Error {
  /** Epoch logs up to the divergence (set by fit). */
  history: EpochLog[] = [];
  /** The epoch (1-based) whose weights the model holds after fit threw, or null. */
  bestEpoch: number | null = null;
  constructor(readonly epoch: number, readonly batch: number, readonly tensorName: string, detail: string) {
    super(`training diverged at epoch ${epoch}, batch ${batch}: ${tensorName} ${detail}. Lower the learning rate, clip gradients (clipNorm), or check the data for NaN/Inf.`);
    this.name = 'DivergenceError';
  }
}

/** First non-finite value of a tensor, or undefined. */
export function firstNonFinite(t: Tensor): { index: number; value: number } | undefined {
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return { index: i, value: d[i]! };
  return undefined;
}

/**
 * Throws DivergenceError if the loss or any named tensor holds NaN/Inf.
 * @example train.checkFinite(2, 7, 0.3, [['0.weight', tensor([1, NaN])]]) // throws: …epoch 2, batch 7: 0.weight has NaN at flat index 1…
 */
export function checkFinite(epoch: number, batch: number, loss: number, named: [string, Tensor | null][]): void {
  if (!Number.isFinite(loss)) throw new DivergenceError(epoch, batch, 'the loss', `is ${loss}`);
  for (const [name, t] of named) {
    if (!t) continue;
    const bad = firstNonFinite(t);
    if (bad) throw new DivergenceError(epoch, batch, name, `has ${bad.value} at flat index ${bad.index}`);
  }
}
