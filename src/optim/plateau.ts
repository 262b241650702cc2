// ReduceLROnPlateau: PyTorch's stateful schedule that cuts the learning rate when a metric stops improving.
import { ArgumentError } from '../core/errors.js';
import { integer, knownKeys, nonNegative } from './validate.js';

export interface PlateauOptions {
  /** 'min': lower is better (losses, default); 'max': higher is better (accuracy). */
  mode?: 'min' | 'max';
  /** Multiplier of the learning rate on a plateau (default 0.1, must be < 1). */
  factor?: number;
  /** Epochs without improvement tolerated before cutting (default 10). */
  patience?: number;
  /** Improvement needed to count, relative (default) or absolute per thresholdMode (default 1e-4). */
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a cut before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound of the learning rate (default 0). */
  minLr?: number;
  /** Cuts smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/** What stateDict() saves: enough to resume the plateau detection. */
export interface PlateauState { best: number; numBadEpochs: number; cooldownCounter: number; lastEpoch: number }

/**
 * Watches a metric once per epoch; after more than `patience` epochs without improvement
 * (min mode, rel: x < best·(1 − threshold); abs: x < best − threshold), sets
 * η ← max(η·factor, minLr) on `target` (an Optimizer, or fit's context) and waits `cooldown` epochs.
 *
 * @example
 * const plateau = new ReduceLROnPlateau(opt, { patience: 2, factor: 0.5 });
 * plateau.step(valLoss);   // once per epoch
 */
export class ReduceLROnPlateau {
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private readonly o: Required<PlateauOptions>;

  constructor(readonly target: { lr: number }, opts: PlateauOptions = {}) {
    knownKeys('ReduceLROnPlateau', opts, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    const o = { mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: 'rel', cooldown: 0, minLr: 0, eps: 1e-8, ...opts } as Required<PlateauOptions>;
    if (o.mode !== 'min' && o.mode !== 'max') throw new ArgumentError('ReduceLROnPlateau', `mode must be 'min' or 'max', got ${JSON.stringify(o.mode)}`);
    if (o.thresholdMode !== 'rel' && o.thresholdMode !== 'abs') throw new ArgumentError('ReduceLROnPlateau', `thresholdMode must be 'rel' or 'abs', got ${JSON.stringify(o.thresholdMode)}`);
    if (!(o.factor > 0 && o.factor < 1)) throw new ArgumentError('ReduceLROnPlateau', `factor must be in (0, 1), got ${o.factor}`);
    integer('ReduceLROnPlateau', 'patience', o.patience, 0);
    integer('ReduceLROnPlateau', 'cooldown', o.cooldown, 0);
    nonNegative('ReduceLROnPlateau', 'threshold', o.threshold);
    nonNegative('ReduceLROnPlateau', 'minLr', o.minLr);
    nonNegative('ReduceLROnPlateau', 'eps', o.eps);
    this.o = o;
    this.best = o.mode === 'min' ? Infinity : -Infinity;
  }

  /** True when `value` improves on `best` by more than the threshold. @example plateau.isBetter(0.9, 1) */
  isBetter(value: number, best: number): boolean {
    const { mode, thresholdMode: tm, threshold: th } = this.o;
    if (mode === 'min') return tm === 'rel' ? value < best * (1 - th) : value < best - th;
    return tm === 'rel' ? value > best * (1 + th) : value > best + th;
  }

  /**
   * Records one epoch's metric and cuts the learning rate when the plateau is long enough.
   * Returns the learning rate now in effect. @example plateau.step(log.valLoss)
   */
  step(metric: number): number {
    if (typeof metric !== 'number') throw new ArgumentError('ReduceLROnPlateau.step', `metric must be a number, got ${typeof metric}`);
    this.lastEpoch += 1;
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else this.numBadEpochs += 1;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.o.patience) {
      const old = this.target.lr;
      const next = Math.max(old * this.o.factor, this.o.minLr);
      if (old - next > this.o.eps) this.target.lr = next;
      this.cooldownCounter = this.o.cooldown;
      this.numBadEpochs = 0;
    }
    return this.target.lr;
  }

  /** The detection state, for checkpoints. @example const s = plateau.stateDict() */
  stateDict(): PlateauState {
    return { best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter, lastEpoch: this.lastEpoch };
  }

  /**
   * Restores stateDict()'s output. `best` may be null: JSON writes the initial ±Infinity as null.
   * @example plateau.loadStateDict(JSON.parse(JSON.stringify(plateau.stateDict())))
   */
  loadStateDict(s: Omit<PlateauState, 'best'> & { best: number | null }): void {
    for (const k of ['numBadEpochs', 'cooldownCounter', 'lastEpoch'] as const) {
      if (!Number.isInteger(s[k]) || s[k] < 0) throw new ArgumentError('ReduceLROnPlateau.loadStateDict', `${k} must be an integer >= 0, got ${String(s[k])}`);
    }
    if (s.best !== null && typeof s.best !== 'number') throw new ArgumentError('ReduceLROnPlateau.loadStateDict', `best must be a number or null, got ${typeof s.best}`);
    const best = s.best ?? (this.o.mode === 'min' ? Infinity : -Infinity);
    Object.assign(this, { best, numBadEpochs: s.numBadEpochs, cooldownCounter: s.cooldownCounter, lastEpoch: s.lastEpoch });
  }
}
