// Dataset (paired x/y tensors) and DataLoader (mini-batches, seeded shuffling reproducible per epoch).
import type { Tensor } from '../tensor/tensor.js';
import { Rng } from '../core/rng.js';
import { ArgumentError, fmtShape } from '../core/errors.js';
import { indexSelect } from '../ops/movement.js';
import { noGrad } from '../autograd/graph.js';

/** A mini-batch: rows of x and y, and which dataset rows they are. */
export interface Batch {
  x: Tensor;
  y: Tensor;
  indices: Int32Array;
}

/**
 * Inputs x [N, ...] paired with targets y [N, ...] along the first dimension.
 *
 * @example
 * const ds = new Dataset(x, y);
 * const firstTen = ds.subset([...Array(10).keys()]);
 */
export class Dataset {
  readonly x: Tensor;
  readonly y: Tensor;

  constructor(x: Tensor, y: Tensor) {
    if (x.rank === 0 || y.rank === 0) throw new ArgumentError('Dataset', `x and y need a first (row) dimension, got x ${fmtShape(x.shape)} and y ${fmtShape(y.shape)}`);
    if (x.shape[0] !== y.shape[0]) {
      throw new ArgumentError('Dataset', `x has ${x.shape[0]} rows (${fmtShape(x.shape)}) but y has ${y.shape[0]} (${fmtShape(y.shape)}); they must pair up`);
    }
    this.x = x;
    this.y = y;
  }

  /** Number of rows. */
  get length(): number {
    return this.x.shape[0]!;
  }

  /** The rows at `indices` (copied), as {x, y}. @example ds.batch([0, 5, 7]) */
  batch(indices: ArrayLike<number>): Batch {
    const idx = Int32Array.from(indices as ArrayLike<number>);
    return noGrad(() => ({ x: indexSelect(this.x.detach(), 0, idx), y: indexSelect(this.y.detach(), 0, idx), indices: idx }));
  }

  /** A new Dataset of the rows at `indices`. @example const train = ds.subset(trainIdx) */
  subset(indices: ArrayLike<number>): Dataset {
    const b = this.batch(indices);
    return new Dataset(b.x, b.y);
  }
}

export interface DataLoaderOptions {
  /** Rows per batch (default 32). */
  batchSize?: number;
  /** Visit rows in a new random order each epoch (default false). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Seed of the shuffling; epoch e's order depends only on (seed, e). Default 0. */
  seed?: number;
  /** Alternatively, a stream to draw the seed from (one draw at construction). */
  rng?: Rng;
}

/**
 * Iterates a Dataset in mini-batches. With `shuffle`, each epoch has its own order, determined by the
 * seed and the epoch number only: iterating the loader again moves to the next epoch, and `epoch(e)`
 * replays epoch e exactly.
 *
 * @example
 * const loader = new DataLoader(ds, { batchSize: 64, shuffle: true, seed: 1 });
 * for (let e = 0; e < 10; e++) for (const { x, y } of loader) step(x, y);
 */
export class DataLoader implements Iterable<Batch> {
  readonly dataset: Dataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly seed: number;
  private nextEpoch = 0;
  private epochSeeds: number[] = [];
  private base: Rng;

  constructor(data: Dataset | { x: Tensor; y: Tensor }, opts: DataLoaderOptions = {}) {
    this.dataset = data instanceof Dataset ? data : new Dataset(data.x, data.y);
    this.batchSize = opts.batchSize ?? 32;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new ArgumentError('DataLoader', `batchSize must be a positive integer, got ${opts.batchSize}`);
    }
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.seed = opts.seed ?? (opts.rng !== undefined ? opts.rng.nextU32() : 0);
    this.base = new Rng(this.seed);
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The row order of epoch `e` (0-based): 0..N-1, or a permutation fixed by (seed, e) when shuffling. */
  order(e: number): Int32Array {
    if (!Number.isInteger(e) || e < 0) throw new ArgumentError('DataLoader.order', `epoch must be a non-negative integer, got ${e}`);
    const n = this.dataset.length;
    if (!this.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    while (this.epochSeeds.length <= e) this.epochSeeds.push(this.base.nextU32());
    return new Rng(this.epochSeeds[e]!).permutation(n);
  }

  /** The batches of epoch `e`, without moving the loader's own epoch counter. */
  *epoch(e: number): Generator<Batch> {
    const order = this.order(e);
    const count = this.length;
    for (let b = 0; b < count; b++) yield this.dataset.batch(order.subarray(b * this.batchSize, (b + 1) * this.batchSize));
  }

  /** The epoch the next `for … of` will run. */
  get currentEpoch(): number {
    return this.nextEpoch;
  }

  [Symbol.iterator](): Iterator<Batch> {
    return this.epoch(this.nextEpoch++);
  }
}
