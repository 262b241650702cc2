// The Tensor: an n-d array over a plain GC'd typed array (row-major, contiguous) plus autograd links, with
// fluent methods (x.add(y).relu().sum()) defined on the class; ops build results via ops/make.ts, never importing it.
import { type DType, type Storage, allocate, checkDType } from '../core/dtype.js';
import { noteStorageRead, watching } from '../core/storage-version.js';
import { type Shape, sizeOf } from '../core/shape.js';
import { ArgumentError, fmtShape } from '../core/errors.js';
import { checkTensorRequest } from '../core/creation-check.js';
import { describeValue } from '../core/options.js';
import * as E from '../ops/elementwise.js';
import * as R from '../ops/reduce.js';
import * as M from '../ops/movement.js';
import { matmul, type MatmulOptions } from '../ops/matmul.js';
import { backward, type BackwardOptions } from '../autograd/graph.js';
import type { RegionGrad } from '../autograd/accumulate.js';

/** The record autograd keeps for a tensor produced by an op; backward() applies the op's VJP rule (autograd/rules.ts). */
export interface GradNode {
  readonly op: string;
  /** The op's inputs; emptied once a backward() without `retainGraph` has passed (see `freed`). */
  inputs: readonly Tensor[];
  /** The op's arguments; released together with `inputs`. */
  args: unknown;
  /**
   * A node's own VJP (a user-built graph node); without it backward() applies the rule of `op` from
   * autograd/rules.ts. One gradient per input; a slice may hand back its region (autograd/accumulate.ts).
   */
  readonly vjp?: (g: Tensor, inputs: readonly Tensor[], out: Tensor, args: never) => readonly (Tensor | RegionGrad | null)[];
  /** True once a backward() without `retainGraph` went through this node: it cannot be differentiated again. */
  freed: boolean;
}

/**
 * An n-dimensional array of float32 or float64 values. Storage is always contiguous row-major;
 * ops never mutate their inputs, so `reshape` and `detach` share storage safely.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();            // x.grad = 2x
 */
export class Tensor {
  readonly shape: readonly number[];
  /** @internal The storage itself; read it through `data` (or {@link peekStorage} for code that only reads). */
  private readonly storage: Storage;
  /** True when gradients with respect to this tensor are wanted (leaves) or flow through it. */
  requiresGrad = false;
  /** Accumulated gradient (leaves, and tensors marked with `retainGrad()`), else null. */
  grad: Tensor | null = null;
  /** @internal The op that produced this tensor, when recorded for autograd. */
  node: GradNode | null = null;
  /** @internal Set by retainGrad(): keep .grad on a non-leaf. */
  retainsGrad = false;
  /** @internal backward()'s scratch: the sweep that last visited this tensor (see autograd/graph.ts). */
  sweepId = 0;
  /** @internal backward()'s scratch: the gradient gathered so far in sweep `sweepId`. */
  pendingGrad: Tensor | null = null;

  constructor(data: Storage, shape: Shape) {
    let n = 1;
    for (let i = 0; i < shape.length; i++) n *= shape[i]!;
    if (data.length !== n) {
      throw new ArgumentError('Tensor', `storage of ${data.length} elements does not fit shape ${fmtShape(shape)}`);
    }
    this.storage = data;
    // A frozen shape (another tensor's) cannot change under us: share it instead of copying.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze(shape.slice());
  }

  /**
   * The values: the tensor's own contiguous row-major typed array (writes change the tensor). Each
   * read tells copies kept elsewhere (resident packed weights, docs/performance.md › Resident weights)
   * that the values may change; write through an array read *after* the model last ran, not one kept
   * from before (read `.data` again).
   */
  get data(): Storage {
    const d = this.storage;
    if (watching.count !== 0) noteStorageRead(d);
    return d;
  }

  get dtype(): DType {
    return this.storage instanceof Float64Array ? 'float64' : 'float32';
  }
  /** Number of elements. */
  get size(): number {
    return this.storage.length;
  }
  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }
  /** True when the tensor was not produced by a recorded op. */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ArgumentError('item', `tensor of shape ${fmtShape(this.shape)} has ${this.size} elements, not 1`);
    return this.data[0]!;
  }

  /** Values as nested JavaScript arrays (a number for a scalar). */
  toArray(): NestedArray {
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return this.data[offset]!;
      const n = this.shape[dim]!;
      let stride = 1;
      for (let i = dim + 1; i < this.shape.length; i++) stride *= this.shape[i]!;
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) out.push(build(dim + 1, offset + i * stride));
      return out;
    };
    return build(0, 0);
  }

  /** Values as a flat number array (row-major). */
  toFlat(): number[] {
    return Array.from(this.data);
  }

  /** Marks this leaf as wanting gradients; returns this. */
  requireGrad(flag = true): this {
    if (this.node !== null && !flag) throw new ArgumentError('requireGrad', 'cannot turn off gradients of a non-leaf; use detach()');
    this.requiresGrad = flag;
    return this;
  }

  /** Keeps `.grad` on this non-leaf tensor during backward. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /** A tensor sharing storage but cut from the graph (no gradient flows through it). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** A deep copy with fresh storage, cut from the graph. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  // Fluent methods: each is the function of the same name in ops/ (elementwise, reduce, movement, matmul).
  add(o: E.TensorLike): Tensor { return E.add(this, o); }
  sub(o: E.TensorLike): Tensor { return E.sub(this, o); }
  mul(o: E.TensorLike): Tensor { return E.mul(this, o); }
  div(o: E.TensorLike): Tensor { return E.div(this, o); }
  pow(o: E.TensorLike): Tensor { return E.pow(this, o); }
  maximum(o: E.TensorLike): Tensor { return E.maximum(this, o); }
  minimum(o: E.TensorLike): Tensor { return E.minimum(this, o); }
  gt(o: E.TensorLike): Tensor { return E.gt(this, o); }
  ge(o: E.TensorLike): Tensor { return E.ge(this, o); }
  lt(o: E.TensorLike): Tensor { return E.lt(this, o); }
  le(o: E.TensorLike): Tensor { return E.le(this, o); }
  eq(o: E.TensorLike): Tensor { return E.eq(this, o); }
  neg(): Tensor { return E.neg(this); }
  exp(): Tensor { return E.exp(this); }
  log(): Tensor { return E.log(this); }
  sqrt(): Tensor { return E.sqrt(this); }
  abs(): Tensor { return E.abs(this); }
  sign(): Tensor { return E.sign(this); }
  square(): Tensor { return E.square(this); }
  relu(): Tensor { return E.relu(this); }
  sigmoid(): Tensor { return E.sigmoid(this); }
  tanh(): Tensor { return E.tanh(this); }
  softplus(): Tensor { return E.softplus(this); }
  sin(): Tensor { return E.sin(this); }
  cos(): Tensor { return E.cos(this); }
  clamp(lo?: number, hi?: number): Tensor { return E.clamp(this, lo, hi); }
  cast(dtype: DType): Tensor { return E.cast(this, dtype); }
  sum(axes?: R.Axes, keepdims?: boolean): Tensor { return R.sum(this, axes, keepdims); }
  mean(axes?: R.Axes, keepdims?: boolean): Tensor { return R.mean(this, axes, keepdims); }
  max(axes?: R.Axes, keepdims?: boolean): Tensor { return R.max(this, axes, keepdims); }
  min(axes?: R.Axes, keepdims?: boolean): Tensor { return R.min(this, axes, keepdims); }
  argmax(axis?: number, keepdims?: boolean): Tensor { return R.argmax(this, axis, keepdims); }
  matmul(o: Tensor, opts?: MatmulOptions): Tensor { return matmul(this, o, opts); }
  reshape(shape: Shape): Tensor { return M.reshape(this, shape); }
  flatten(start?: number, end?: number): Tensor { return M.flatten(this, start, end); }
  permute(perm: readonly number[]): Tensor { return M.permute(this, perm); }
  transpose(a?: number, b?: number): Tensor { return M.transpose(this, a, b); }
  /** The transpose of the last two dims. */
  get T(): Tensor { return M.transpose(this); }
  unsqueeze(axis: number): Tensor { return M.unsqueeze(this, axis); }
  squeeze(axis?: number): Tensor { return M.squeeze(this, axis); }
  broadcastTo(shape: Shape): Tensor { return M.broadcastTo(this, shape); }
  slice(starts: readonly number[], ends?: readonly (number | undefined)[]): Tensor { return M.slice(this, starts, ends); }
  /** Reverse-mode sweep from this tensor (see autograd `backward`). */
  backward(grad?: Tensor | BackwardOptions, opts?: BackwardOptions): void { backward(this, grad, opts); }

  toString(): string {
    const vals = this.size <= 20 ? JSON.stringify(this.toArray()) : `[${this.toFlat().slice(0, 8).join(', ')}, ...]`;
    return `Tensor(${fmtShape(this.shape)}, ${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''}): ${vals}`;
  }
}

export type NestedArray = number | NestedArray[];

let defaultDType: DType = 'float32';


/**
 * The storage of `t` without reporting a read to the change tracking (core/storage-version.ts): only
 * for library code that reads the values and never writes them (the inference fast path, the
 * captured step's identity checks), so that its own reads do not invalidate resident copies.
 * @example const w = peekStorage(layer.params.weight); // read-only
 */
export function peekStorage(t: Tensor): Storage {
  return (t as unknown as { storage: Storage }).storage;
}
/**
 * Sets the dtype that creation functions use when none is given (float32 at start); only
 * 'float32' and 'float64' are supported (anything else is a DTypeError).
 * @example setDefaultDType('float64');
 */
export function setDefaultDType(dtype: DType): void {
  defaultDType = checkDType(dtype, 'setDefaultDType');
}
/** The dtype creation functions use by default. */
export function getDefaultDType(): DType {
  return defaultDType;
}

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

/** The shape of nested arrays, read along the first element of each level. */
function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

/** Copies nested arrays of `shape` into `out`; a ragged row, a wrong depth or a non-number is an error naming its index. */
function fillNested(values: NestedArray, shape: number[], out: Storage, op: string, where: string): void {
  let k = 0;
  const at = (path: number[]): string => `${where}${path.map((i) => `[${i}]`).join('')}`;
  const walk = (v: unknown, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') {
        const what = Array.isArray(v) ? `an array (nested deeper than the first element's ${shape.length} level${shape.length === 1 ? '' : 's'})` : describeValue(v);
        throw new ArgumentError(op, `${at(path)} must be a number, got ${what}`);
      }
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v)) {
      throw new ArgumentError(op, `${at(path)} must be an array of ${shape[dim]} elements (like the first row), got ${describeValue(v)}: nested arrays must be rectangular`);
    }
    if (v.length !== shape[dim]) {
      throw new ArgumentError(op, `ragged nested array at index [${path.join(',')}]: ${at(path)} has ${v.length} element${v.length === 1 ? '' : 's'}, the first row at this depth has ${shape[dim]}`);
    }
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      walk(v[i], dim + 1, path);
      path.pop();
    }
  };
  walk(values, 0, []);
}

/**
 * A tensor from nested arrays of numbers (default dtype unless given); errors name the function
 * `op`, the argument `name`, the index path and the bad value.
 * @example nestedToTensor([[1, 2], [3, 4]], 'predict', 'x')   // shape [2, 2]
 */
export function nestedToTensor(values: NestedArray, op: string, name: string, dtype: DType = defaultDType): Tensor {
  const shape = inferShape(values);
  const { n, dtype: dt } = checkTensorRequest(op, shape, dtype);
  const data = allocate(dt, n);
  fillNested(values, shape, data, op, name);
  return new Tensor(data, shape);
}

/**
 * Accepts a Tensor as is, or converts plain nested arrays of numbers (the default dtype) — the
 * user-facing entry points (forward, predict, evaluate, fit) call this for their inputs.
 * @example asTensor([[1, 2]], 'predict', 'x')   // Tensor [1, 2] of shape [1, 2]
 */
export function asTensor(value: unknown, op: string, name: string): Tensor {
  if (value instanceof Tensor) return value;
  if (Array.isArray(value)) return nestedToTensor(value as NestedArray, op, name);
  if (value instanceof Float32Array || value instanceof Float64Array) return tensor(value);
  const ctor = typeof value === 'object' && value !== null ? (value as object).constructor?.name : undefined;
  const what = typeof value !== 'object' || value === null ? describeValue(value) : ctor === undefined || ctor === 'Object' ? `a plain object ${describeValue(value)}` : `a ${ctor}`;
  throw new ArgumentError(op, `${name} must be a Tensor or nested arrays of numbers, got ${what}`);
}

/**
 * Creates a tensor from nested arrays, a flat array with `shape`, or a typed array.
 *
 * @example
 * tensor([[1, 2], [3, 4]]);                      // shape [2,2], float32
 * tensor([1, 2, 3, 4], { shape: [2, 2], dtype: 'float64' });
 */
export function tensor(values: NestedArray | ArrayLike<number>, opts: CreateOptions & { shape?: Shape } = {}): Tensor {
  const isTyped = ArrayBuffer.isView(values);
  const dtype = checkDType(opts.dtype ?? (values instanceof Float64Array ? 'float64' : isTyped ? 'float32' : defaultDType), 'tensor');
  let t: Tensor;
  if (opts.shape !== undefined) {
    checkTensorRequest('tensor', opts.shape, dtype);
    const flat = typeof values === 'number' ? [values] : isTyped ? (values as ArrayLike<number>) : (values as NestedArray[]).flat(Infinity as 1) as number[];
    if (flat.length !== sizeOf(opts.shape)) {
      throw new ArgumentError('tensor', `${flat.length} values do not fill shape ${fmtShape(opts.shape)} (${sizeOf(opts.shape)} elements)`);
    }
    if (!isTyped) {
      for (let i = 0; i < flat.length; i++) {
        if (typeof flat[i] !== 'number') throw new ArgumentError('tensor', `value ${i} (row-major) must be a number, got ${describeValue(flat[i])}`);
      }
    }
    const data = allocate(dtype, flat.length);
    data.set(flat as ArrayLike<number>);
    t = new Tensor(data, opts.shape);
  } else if (isTyped) {
    const arr = values as ArrayLike<number>;
    const data = allocate(dtype, arr.length);
    data.set(arr);
    t = new Tensor(data, [arr.length]);
  } else {
    t = nestedToTensor(values as NestedArray, 'tensor', 'values', dtype);
  }
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

/** A tensor of `shape` filled with `value`. @example full([2, 3], 0.5) */
export function full(shape: Shape, value: number, opts: CreateOptions = {}): Tensor {
  return fillWith('full', shape, value, opts);
}

function fillWith(op: string, shape: Shape, value: number, opts: CreateOptions): Tensor {
  const { n, dtype } = checkTensorRequest(op, shape, opts.dtype ?? defaultDType);
  const data = allocate(dtype, n);
  if (value !== 0) data.fill(value);
  const t = new Tensor(data, shape);
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Zeros of `shape`. @example zeros([3, 4]) */
export function zeros(shape: Shape, opts: CreateOptions = {}): Tensor {
  return fillWith('zeros', shape, 0, opts);
}

/** Ones of `shape`. @example ones([3]) */
export function ones(shape: Shape, opts: CreateOptions = {}): Tensor {
  return fillWith('ones', shape, 1, opts);
}

/** A scalar (shape []) tensor. @example scalar(2.5) */
export function scalar(value: number, opts: CreateOptions = {}): Tensor {
  return full([], value, opts);
}

/** 0, 1, ..., n-1 (or start..stop by step). @example arange(5) */
export function arange(start: number, stop?: number, step = 1, opts: CreateOptions = {}): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new ArgumentError('arange', `step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocate(checkTensorRequest('arange', [n], opts.dtype ?? defaultDType).dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n]);
}

/** n evenly spaced values from start to stop inclusive. @example linspace(0, 1, 5) */
export function linspace(start: number, stop: number, n: number, opts: CreateOptions = {}): Tensor {
  const data = allocate(checkTensorRequest('linspace', [n], opts.dtype ?? defaultDType).dtype, n);
  for (let i = 0; i < n; i++) data[i] = n === 1 ? start : start + ((stop - start) * i) / (n - 1);
  return new Tensor(data, [n]);
}

/** The n×n identity matrix. @example eye(3) */
export function eye(n: number, opts: CreateOptions = {}): Tensor {
  const t = fillWith('eye', [n, n], 0, opts);
  for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
  return t;
}
