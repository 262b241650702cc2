// Feature scalers fitted on training data only (StandardScaler, MinMaxScaler), saveable as JSON with a model.
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../core/dtype.js';
import { ArgumentError, fmtShape } from '../core/errors.js';

/** JSON form of a fitted scaler, for saving next to a model. */
export type ScalerJSON =
  | { type: 'StandardScaler'; mean: number[]; scale: number[] }
  | { type: 'MinMaxScaler'; min: number[]; range: number[]; featureRange: [number, number] };

/** Columns of x: rank 1 [N] is one feature; otherwise features are all dims after the first. */
function columns(op: string, x: Tensor): { n: number; f: number } {
  if (x.rank === 0) throw new ArgumentError(op, 'x must have a row dimension, got a scalar');
  const n = x.shape[0]!;
  return { n, f: n === 0 ? 0 : x.size / n };
}

function checkFinite(op: string, x: Tensor, f: number): void {
  for (let i = 0; i < x.size; i++) {
    if (!Number.isFinite(x.data[i]!)) {
      throw new ArgumentError(op, `row ${Math.floor(i / f)}, column ${i % f} is ${x.data[i]}; remove or impute non-finite values before fitting`);
    }
  }
}

/** Shared machinery: y = (x − offset) · factor per column, and its inverse. */
abstract class AffineScaler {
  protected offset: Float64Array | null = null;
  protected factor: Float64Array | null = null;
  protected abstract readonly name: string;

  /** Number of features the scaler was fitted on (null before fit). */
  get numFeatures(): number | null {
    return this.offset?.length ?? null;
  }

  protected fitted(op: string, x: Tensor): { off: Float64Array; fac: Float64Array } {
    if (this.offset === null || this.factor === null) throw new ArgumentError(`${this.name}.${op}`, 'the scaler is not fitted; call fit(trainX) first');
    const { f } = columns(`${this.name}.${op}`, x);
    if (x.shape[0] !== 0 && f !== this.offset.length) {
      throw new ArgumentError(`${this.name}.${op}`, `x ${fmtShape(x.shape)} has ${f} features per row, but the scaler was fitted on ${this.offset.length}`);
    }
    return { off: this.offset, fac: this.factor };
  }

  /** Applies the fitted scaling to x (a new tensor, same shape and dtype). @example const xs = scaler.transform(xTest) */
  transform(x: Tensor): Tensor {
    const { off, fac } = this.fitted('transform', x);
    const out = allocate(x.dtype, x.size), f = off.length;
    for (let i = 0; i < x.size; i++) out[i] = (x.data[i]! - off[i % f]!) * fac[i % f]!;
    return new Tensor(out, x.shape);
  }

  /** Undoes the scaling (e.g. to report predictions in original units). @example scaler.inverseTransform(pred) */
  inverseTransform(x: Tensor): Tensor {
    const { off, fac } = this.fitted('inverseTransform', x);
    const out = allocate(x.dtype, x.size), f = off.length;
    for (let i = 0; i < x.size; i++) out[i] = x.data[i]! / fac[i % f]! + off[i % f]!;
    return new Tensor(out, x.shape);
  }

  /** fit(x) then transform(x). @example const xTrainS = scaler.fitTransform(xTrain) */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  abstract fit(x: Tensor): this;
}

function statsInput(op: string, x: Tensor): { n: number; f: number } {
  const { n, f } = columns(op, x);
  if (n === 0) throw new ArgumentError(op, 'cannot fit on 0 rows');
  checkFinite(op, x, f);
  return { n, f };
}

function numberList(op: string, v: unknown, field: string, len?: number): Float64Array {
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'number' || !Number.isFinite(e)) || (len !== undefined && v.length !== len)) {
    throw new ArgumentError(op, `field '${field}' must be a list of ${len ?? 'some'} finite numbers, got ${JSON.stringify(v)?.slice(0, 80)}`);
  }
  return Float64Array.from(v as number[]);
}

/**
 * Standardises each feature: (x − mean) / std, with mean and (population) std from fit(). Like
 * scikit-learn, a zero-variance feature gets scale 1 (it is only centred).
 *
 * @example
 * const scaler = new StandardScaler().fit(train.x);     // statistics of the training rows only
 * const xTest = scaler.transform(test.x);
 * const saved = JSON.stringify(scaler);                 // later: StandardScaler.fromJSON(JSON.parse(saved))
 */
export class StandardScaler extends AffineScaler {
  protected readonly name = 'StandardScaler';

  /** Learns per-feature mean and std from x [N, ...]. */
  fit(x: Tensor): this {
    const { n, f } = statsInput('StandardScaler.fit', x);
    const mean = new Float64Array(f), m2 = new Float64Array(f);
    for (let i = 0; i < x.size; i++) mean[i % f]! += x.data[i]!;
    for (let j = 0; j < f; j++) mean[j]! /= n;
    for (let i = 0; i < x.size; i++) m2[i % f]! += (x.data[i]! - mean[i % f]!) ** 2;
    // Like scikit-learn's _handle_zeros_in_scale: a (numerically) constant feature keeps scale 1.
    const fac = m2.map((s) => {
      const std = Math.sqrt(s / n);
      return std < 10 * Number.EPSILON ? 1 : 1 / std;
    });
    this.offset = mean;
    this.factor = fac;
    return this;
  }

  /** The fitted means (null before fit). */
  get mean(): number[] | null {
    return this.offset ? Array.from(this.offset) : null;
  }
  /** The fitted scales (std, or 1 for constant features; null before fit). */
  get scale(): number[] | null {
    return this.factor ? Array.from(this.factor, (v) => 1 / v) : null;
  }

  toJSON(): ScalerJSON {
    const mean = this.mean, scale = this.scale;
    if (mean === null || scale === null) throw new ArgumentError('StandardScaler.toJSON', 'the scaler is not fitted; call fit(trainX) first');
    return { type: 'StandardScaler', mean, scale };
  }

  /** Restores a scaler saved with toJSON(). @example StandardScaler.fromJSON(json) */
  static fromJSON(json: unknown): StandardScaler {
    const op = 'StandardScaler.fromJSON';
    const j = json as Record<string, unknown>;
    if (j?.type !== 'StandardScaler') throw new ArgumentError(op, `expected type 'StandardScaler', got ${JSON.stringify(j?.type)}`);
    const mean = numberList(op, j.mean, 'mean');
    const scale = numberList(op, j.scale, 'scale', mean.length);
    if (scale.some((s) => s <= 0)) throw new ArgumentError(op, `field 'scale' must be positive, got ${JSON.stringify(Array.from(scale))}`);
    const s = new StandardScaler();
    s.offset = mean;
    s.factor = scale.map((v) => 1 / v);
    return s;
  }
}

/**
 * Rescales each feature linearly to featureRange (default [0, 1]) using the min and max from fit().
 * A constant feature (max = min) gets scale 1, as in scikit-learn.
 *
 * @example
 * const mm = new MinMaxScaler({ featureRange: [-1, 1] }).fit(train.x);
 * const xs = mm.transform(test.x);   // test values may fall outside [-1, 1]
 */
export class MinMaxScaler extends AffineScaler {
  protected readonly name = 'MinMaxScaler';
  readonly featureRange: [number, number];
  private low: Float64Array | null = null;

  constructor(opts: { featureRange?: [number, number] } = {}) {
    super();
    const [a, b] = opts.featureRange ?? [0, 1];
    if (!(Number.isFinite(a) && Number.isFinite(b) && b > a)) throw new ArgumentError('MinMaxScaler', `featureRange [${a}, ${b}] must be finite with min < max`);
    this.featureRange = [a, b];
  }

  /** Learns per-feature min and max from x [N, ...]. */
  fit(x: Tensor): this {
    const { f } = statsInput('MinMaxScaler.fit', x);
    const lo = new Float64Array(f).fill(Infinity), hi = new Float64Array(f).fill(-Infinity);
    for (let i = 0; i < x.size; i++) {
      const v = x.data[i]!, j = i % f;
      if (v < lo[j]!) lo[j] = v;
      if (v > hi[j]!) hi[j] = v;
    }
    this.setRange(lo, hi.map((h, j) => h - lo[j]!));
    return this;
  }

  private setRange(lo: Float64Array, range: Float64Array): void {
    const [a, b] = this.featureRange;
    const fac = range.map((r) => (b - a) / (r > 0 ? r : 1));
    this.low = lo;
    this.factor = fac;
    // y = (x − lo)·fac + a  =  (x − (lo − a/fac))·fac
    this.offset = lo.map((l, j) => l - a / fac[j]!);
  }

  toJSON(): ScalerJSON {
    if (this.low === null || this.factor === null) throw new ArgumentError('MinMaxScaler.toJSON', 'the scaler is not fitted; call fit(trainX) first');
    const [a, b] = this.featureRange;
    return { type: 'MinMaxScaler', min: Array.from(this.low), range: Array.from(this.factor, (v) => (b - a) / v), featureRange: [a, b] };
  }

  /** Restores a scaler saved with toJSON(). @example MinMaxScaler.fromJSON(json) */
  static fromJSON(json: unknown): MinMaxScaler {
    const op = 'MinMaxScaler.fromJSON';
    const j = json as Record<string, unknown>;
    if (j?.type !== 'MinMaxScaler') throw new ArgumentError(op, `expected type 'MinMaxScaler', got ${JSON.stringify(j?.type)}`);
    const fr = numberList(op, j.featureRange, 'featureRange', 2);
    const s = new MinMaxScaler({ featureRange: [fr[0]!, fr[1]!] });
    const min = numberList(op, j.min, 'min');
    const range = numberList(op, j.range, 'range', min.length);
    if (range.some((v) => v <= 0)) throw new ArgumentError(op, `field 'range' (max − min per feature, 1 for constants) must be positive, got ${JSON.stringify(Array.from(range))}`);
    s.setRange(min, range);
    return s;
  }
}

/** Restores either scaler from its JSON by its `type` field. @example const s = scalerFromJSON(saved.scaler) */
export function scalerFromJSON(json: unknown): StandardScaler | MinMaxScaler {
  const type = (json as { type?: unknown } | null)?.type;
  if (type === 'StandardScaler') return StandardScaler.fromJSON(json);
  if (type === 'MinMaxScaler') return MinMaxScaler.fromJSON(json);
  throw new ArgumentError('scalerFromJSON', `unknown scaler type ${JSON.stringify(type)}; expected 'StandardScaler' or 'MinMaxScaler'`);
}
