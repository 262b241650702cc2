// Forward kernels of every primitive: compute ops go to the backend, movement ops are done here.
import type { Tensor } from '../tensor/tensor.js';
import { tensorOf } from './make.js';
import { allocate, type Storage } from '../core/dtype.js';
import { sizeOf, stridesOf } from '../core/shape.js';
import { getBackend } from '../backend/registry.js';
import { broadcastStrides, coalesce } from '../backend/plan.js';
import { binaryLayout, reduceLayout } from '../backend/plan-cache.js';
import type { BinaryOp, ParamGradOp, ParamUnaryOp, UnaryOp } from '../backend/backend.js';
import type { OpArgs, OpName } from './spec.js';
import { reducedShape, broadcastShapes } from '../core/shape.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import { columnShape, windowOut } from '../backend/js/conv.js';
import { channelLayout } from './channels.js';

type Forward<K extends OpName> = (inputs: Tensor[], args: OpArgs[K]) => Tensor;

const unary = (op: UnaryOp): Forward<UnaryOp> => (inputs) => {
  const x = inputs[0]!;
  const out = allocate(x.dtype, x.size);
  getBackend().unary(op, x.data, out);
  return tensorOf(x, out, x.shape);
};

const binary = (op: BinaryOp): Forward<BinaryOp> => (inputs) => {
  const a = inputs[0]!, b = inputs[1]!;
  const { shape, plan } = binaryLayout(op, a.shape, b.shape);
  const out = allocate(a.dtype, sizeOf(shape));
  getBackend().binary(op, a.data, b.data, out, plan);
  return tensorOf(a, out, shape);
};

/** hardtanh / leakyRelu: one kernel over x; `pq` maps the args to the kernel's two parameters. */
const paramUnary = <K extends ParamUnaryOp>(op: K, pq: (a: OpArgs[K]) => [number, number]): Forward<K> => (inputs, args) => {
  const x = inputs[0]!;
  const out = allocate(x.dtype, x.size);
  getBackend().unaryParam(op, x.data, out, ...pq(args));
  return tensorOf(x, out, x.shape);
};

/** Their backward steps over (g, x) of one shape. */
const paramGrad = <K extends ParamGradOp>(op: K, pq: (a: OpArgs[K]) => [number, number]): Forward<K> => (inputs, args) => {
  const g = inputs[0]!, x = inputs[1]!;
  if (g.size !== x.size) throw new ShapeError(op, `gradient ${fmtShape(g.shape)} and input ${fmtShape(x.shape)} must have one shape`);
  const out = allocate(x.dtype, x.size);
  getBackend().gradParam(op, g.data, x.data, out, ...pq(args));
  return tensorOf(x, out, x.shape);
};

const bounds = (a: { min: number; max: number }): [number, number] => [a.min, a.max];
const slope = (a: { alpha: number }): [number, number] => [a.alpha, 0];

/**
 * Visits every index of `shape` in row-major order with the offsets of several strided operands.
 * @example walk([2, 3], [[3, 1]], (o, k) => out[k] = src[o[0]])
 */
export function walk(shape: readonly number[], strides: readonly (readonly number[])[], visit: (offsets: Int32Array, k: number) => void): void {
  const n = sizeOf(shape);
  const r = shape.length;
  const idx = new Int32Array(r);
  const off = new Int32Array(strides.length);
  for (let k = 0; k < n; k++) {
    visit(off, k);
    for (let d = r - 1; d >= 0; d--) {
      idx[d]!++;
      for (let s = 0; s < strides.length; s++) off[s] = off[s]! + strides[s]![d]!;
      if (idx[d]! < shape[d]!) break;
      for (let s = 0; s < strides.length; s++) off[s] = off[s]! - strides[s]![d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

function whereForward([c, a, b]: Tensor[]): Tensor {
  const shape = broadcastShapes('where', broadcastShapes('where', c!.shape, a!.shape), b!.shape);
  const out = allocate(a!.dtype, sizeOf(shape));
  const [cd, ad, bd] = [c!.data, a!.data, b!.data];
  const st = [c!, a!, b!].map((t) => broadcastStrides(t.shape, shape));
  walk(shape, st, (o, k) => (out[k] = cd[o[0]!] !== 0 ? ad[o[1]!]! : bd[o[2]!]!));
  return tensorOf(c!, out, shape);
}

function reduceForward<K extends 'sum' | 'max'>(op: K): Forward<K> {
  return (inputs, { axes, keepdims }) => {
    const x = inputs[0]!;
    const l = reduceLayout(x.shape, axes, keepdims);
    const out = allocate(x.dtype, sizeOf(l.keptShape));
    if (x.size === 0 && op === 'max') throw new ShapeError('max', `cannot take the max of an empty tensor ${fmtShape(x.shape)}`);
    getBackend().reduce(op, x.data, out, l.plan);
    return tensorOf(x, out, l.shape);
  };
}

/** Splits `shape` around `axis` into [outer, n, inner]. */
export function around(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

function argmaxForward([x]: Tensor[], { axis, keepdims }: OpArgs['argmax']): Tensor {
  const [outer, n, inner] = around(x!.shape, axis);
  if (n === 0) throw new ShapeError('argmax', `axis ${axis} of ${fmtShape(x!.shape)} is empty`);
  const out = allocate(x!.dtype, outer * inner);
  const d = x!.data;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let best = 0, m = d[o * n * inner + j]!;
      for (let i = 1; i < n; i++) {
        const v = d[(o * n + i) * inner + j]!;
        if (v > m || (v !== v && m === m)) { m = v; best = i; }
      }
      out[o * inner + j] = best;
    }
  }
  return tensorOf(x!, out, reducedShape(x!.shape, [axis], keepdims));
}

function matmulForward([a, b]: Tensor[], { transA, transB }: OpArgs['matmul']): Tensor {
  const ra = a!.rank, rb = b!.rank;
  const [m, k] = transA ? [a!.shape[ra - 1]!, a!.shape[ra - 2]!] : [a!.shape[ra - 2]!, a!.shape[ra - 1]!];
  const [k2, n] = transB ? [b!.shape[rb - 1]!, b!.shape[rb - 2]!] : [b!.shape[rb - 2]!, b!.shape[rb - 1]!];
  if (ra === 2 && rb === 2) {
    // The common case (every Linear layer and its backward): no batch dims to broadcast.
    const out = allocate(a!.dtype, m * n);
    getBackend().matmul(a!.data, b!.data, out, { batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0 });
    return tensorOf(a!, out, [m, n]);
  }
  const aBatch = a!.shape.slice(0, -2), bBatch = b!.shape.slice(0, -2);
  const batchShape = broadcastShapes('matmul', aBatch, bBatch);
  const batch = sizeOf(batchShape);
  const out = allocate(a!.dtype, batch * m * n);
  const aStride = sizeOf(aBatch) === 1 ? 0 : m * k, bStride = sizeOf(bBatch) === 1 ? 0 : k2 * n;
  getBackend().matmul(a!.data, b!.data, out, { batch, m, k, n, transA, transB, aBatchStride: aStride, bBatchStride: bStride });
  return tensorOf(a!, out, [...batchShape, m, n]);
}

function linearForward(inputs: Tensor[]): Tensor {
  const x = inputs[0]!, w = inputs[1]!, b = inputs[2]!;
  const m = x.shape[0]!, k = x.shape[1]!, n = w.shape[0]!;
  const shape = [m, n];
  const out = allocate(x.dtype, m * n);
  const backend = getBackend();
  // One fused call where the backend has it (bit-identical to the two kernels below: the WASM backend
  // adds the bias while the product is still in its memory, saving a copy out and back in).
  if (backend.linearAct?.(x.data, w.data, b.data, out, m, k, n, null)) return tensorOf(x, out, shape);
  backend.matmul(x.data, w.data, out, { batch: 1, m, k, n, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 });
  // The bias add writes over the product in place (every backend allows out to alias an input).
  backend.binary('add', out, b.data, out, binaryLayout('linear', shape, b.shape).plan);
  return tensorOf(x, out, shape);
}

function logSoftmaxForward([x]: Tensor[], { axis }: OpArgs['logSoftmax']): Tensor {
  const out = allocate(x!.dtype, x!.size);
  getBackend().logSoftmax(x!.data, out, ...around(x!.shape, axis));
  return tensorOf(x!, out, x!.shape);
}

function permuteForward([x]: Tensor[], { perm }: OpArgs['permute']): Tensor {
  const shape = perm.map((p) => x!.shape[p]!);
  const src = stridesOf(x!.shape);
  const out = allocate(x!.dtype, x!.size);
  const d = x!.data;
  const r = shape.length;
  if (r === 0 || x!.size === 0) { out.set(d.subarray(0, x!.size)); return tensorOf(x!, out, shape); }
  // Walk all but the last output dim, then one tight strided loop per row (not a visit per element).
  const n = shape[r - 1]!, s = src[perm[r - 1]!]!;
  walk(shape.slice(0, r - 1), [perm.slice(0, r - 1).map((p) => src[p]!)], (o, k) => {
    const base = o[0]!, at = k * n;
    for (let i = 0; i < n; i++) out[at + i] = d[base + i * s]!;
  });
  return tensorOf(x!, out, shape);
}

/** Broadcast copy by runs: fills for a broadcast inner dim, block copies, copyWithin to repeat blocks. */
function broadcastToForward([x]: Tensor[], { shape }: OpArgs['broadcastTo']): Tensor {
  const out = allocate(x!.dtype, sizeOf(shape));
  const d = x!.data;
  // The output is contiguous, so only the source's strides limit which dims merge.
  const { shape: dims, strides: [st] } = coalesce(shape, [broadcastStrides(x!.shape, shape)]);
  const r = dims.length;
  const block = dims.map((_, k) => sizeOf(dims.slice(k + 1)));
  const copy = (k: number, src: number, dst: number): void => {
    const n = dims[k]!, s = st![k]!;
    if (k === r - 1) {
      if (s === 0) out.fill(d[src]!, dst, dst + n);
      else if (s === 1) out.set(d.subarray(src, src + n), dst);
      else for (let i = 0; i < n; i++) out[dst + i] = d[src + i * s]!;
    } else if (s === 0) {
      const b = block[k]!;
      copy(k + 1, src, dst);
      for (let i = 1; i < n; i++) out.copyWithin(dst + i * b, dst, dst + b);
    } else for (let i = 0; i < n; i++) copy(k + 1, src + i * s, dst + i * block[k]!);
  };
  copy(0, 0, 0);
  return tensorOf(x!, out, shape);
}

function sliceForward([x]: Tensor[], { begin, end }: OpArgs['slice']): Tensor {
  const shape = begin.map((b, i) => end[i]! - b);
  const src = stridesOf(x!.shape);
  const base = begin.reduce((acc, b, i) => acc + b * src[i]!, 0);
  // A range of the first non-trivial dim with full trailing dims is contiguous: share storage (a view).
  const first = shape.findIndex((d, i) => d !== 1 || x!.shape[i] !== 1);
  if (first < 0 || shape.every((d, i) => i <= first || d === x!.shape[i])) {
    return tensorOf(x!, x!.data.subarray(base, base + sizeOf(shape)), shape);
  }
  const out = allocate(x!.dtype, sizeOf(shape));
  const d = x!.data;
  walk(shape, [src], (o, k) => (out[k] = d[base + o[0]!]!));
  return tensorOf(x!, out, shape);
}

function padForward([x]: Tensor[], { before, after, value }: OpArgs['pad']): Tensor {
  const shape = x!.shape.map((s, i) => s + before[i]! + after[i]!);
  const out = allocate(x!.dtype, sizeOf(shape));
  if (value !== 0) out.fill(value);
  const dst = stridesOf(shape);
  const base = before.reduce((acc, b, i) => acc + b * dst[i]!, 0);
  const d = x!.data;
  // Dims after `j` are unpadded, so x's dims j.. land as one contiguous run: copy runs, not elements
  // (the gradient of a slice is a pad; per-element copying made the LSTM backward pad-bound).
  let j = x!.rank - 1;
  while (j > 0 && before[j]! === 0 && after[j]! === 0) j--;
  const run = sizeOf(x!.shape.slice(Math.max(j, 0)));
  if (run === 0) return tensorOf(x!, out, shape);
  walk(x!.shape.slice(0, Math.max(j, 0)), [dst.slice(0, Math.max(j, 0))], (o, k) => out.set(d.subarray(k * run, (k + 1) * run), base + o[0]!));
  return tensorOf(x!, out, shape);
}

function concatForward(xs: Tensor[], { axis }: OpArgs['concat']): Tensor {
  const total = xs.reduce((acc, t) => acc + t.shape[axis]!, 0);
  const shape = xs[0]!.shape.map((s, i) => (i === axis ? total : s));
  const [outer, , inner] = around(shape, axis);
  const out = allocate(xs[0]!.dtype, sizeOf(shape));
  let offset = 0;
  for (const t of xs) {
    const chunk = t.shape[axis]! * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * chunk, (o + 1) * chunk), o * total * inner + offset);
    offset += chunk;
  }
  return tensorOf(xs[0]!, out, shape);
}

/** dst[i] = src[indices[i]] (flat gathers: max pooling, takeAlongAxis). */
function gather(src: Storage, dst: Storage, indices: Int32Array): void {
  for (let i = 0; i < indices.length; i++) dst[i] = src[indices[i]!]!;
}

/** dst[indices[i]] += src[i] (the flat gathers' adjoint). */
function scatterAdd(src: Storage, dst: Storage, indices: Int32Array): void {
  for (let i = 0; i < indices.length; i++) { const t = indices[i]!; dst[t] = dst[t]! + src[i]!; }
}

function copyRows(src: Storage, dst: Storage, indices: Int32Array, outer: number, srcN: number, dstN: number, inner: number, add: boolean): void {
  if (inner === 1 && outer === 1) return add ? scatterAdd(src, dst, indices) : gather(src, dst, indices);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < indices.length; i++) {
      const s = add ? (o * srcN + i) * inner : (o * srcN + indices[i]!) * inner;
      const t = add ? (o * dstN + indices[i]!) * inner : (o * dstN + i) * inner;
      if (inner === 1) dst[t] = add ? dst[t]! + src[s]! : src[s]!; // element gathers (takeAlongAxis): no subarray per entry
      else if (add) for (let j = 0; j < inner; j++) dst[t + j] = dst[t + j]! + src[s + j]!;
      else dst.set(src.subarray(s, s + inner), t);
    }
  }
}

function indexSelectForward([x]: Tensor[], { axis, indices }: OpArgs['indexSelect']): Tensor {
  const [outer, n, inner] = around(x!.shape, axis);
  const shape = x!.shape.map((s, i) => (i === axis ? indices.length : s));
  const out = allocate(x!.dtype, sizeOf(shape));
  copyRows(x!.data, out, indices, outer, n, indices.length, inner, false);
  return tensorOf(x!, out, shape);
}

function indexAddForward([x]: Tensor[], { axis, indices, size }: OpArgs['indexAdd']): Tensor {
  const [outer, , inner] = around(x!.shape, axis);
  const shape = x!.shape.map((s, i) => (i === axis ? size : s));
  const out = allocate(x!.dtype, sizeOf(shape));
  copyRows(x!.data, out, indices, outer, indices.length, size, inner, true);
  return tensorOf(x!, out, shape);
}

function im2colForward([x]: Tensor[], g: OpArgs['im2col']): Tensor {
  const { rows, l } = columnShape(x!.shape, g);
  const out = allocate(x!.dtype, x!.shape[0]! * rows * l);
  getBackend().im2col(x!.data, out, x!.shape, g, g.padValue);
  return tensorOf(x!, out, [x!.shape[0]!, rows, l]);
}

function col2imForward([cols]: Tensor[], g: OpArgs['col2im']): Tensor {
  const shape = [cols!.shape[0]!, cols!.shape[1]! / (g.kernel[0] * g.kernel[1]), ...g.size];
  const out = allocate(cols!.dtype, sizeOf(shape));
  getBackend().col2im(cols!.data, out, shape, g);
  return tensorOf(cols!, out, shape);
}

function conv2dForward([x, w, b]: Tensor[], g: OpArgs['conv2d']): Tensor {
  const n = x!.shape[0]!, o = w!.shape[0]!;
  const oh = windowOut(x!.shape[2]!, g.kernel[0], g.stride[0], g.padding[0], g.dilation[0]), ow = windowOut(x!.shape[3]!, g.kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
  const out = allocate(x!.dtype, n * o * oh * ow);
  getBackend().conv2d(x!.data, w!.data, b ? b.data : null, out, x!.shape, o, g);
  return tensorOf(x!, out, [n, o, oh, ow]);
}

function maxPool2dForward([x]: Tensor[], args: OpArgs['maxPool2d']): Tensor {
  const shape = [x!.shape[0]!, x!.shape[1]!, args.oh, args.ow];
  const out = allocate(x!.dtype, sizeOf(shape));
  getBackend().maxPool(x!.data, args.index, out, x!.shape, args, args.oh, args.ow);
  return tensorOf(x!, out, shape);
}

function batchNormReluPoolForward([x, w, b]: Tensor[], args: OpArgs['batchNormReluPool']): Tensor {
  const shape = [x!.shape[0]!, x!.shape[1]!, args.oh, args.ow];
  const out = allocate(x!.dtype, sizeOf(shape));
  getBackend().batchNormReluPool(x!.data, w!.data, b!.data, args.index, out, x!.shape, args, args.oh, args.ow, args.eps, args.mean, args.variance);
  return tensorOf(x!, out, shape);
}

function lstmCellForward([xg, hg, c0, b]: Tensor[]): Tensor {
  const h = c0!.shape[0]!, n = c0!.shape[1]!;
  const out = allocate(c0!.dtype, 2 * h * n);
  getBackend().lstmCell(xg!.data, hg!.data, b ? b.data : null, c0!.data, out, h, n);
  return tensorOf(c0!, out, [2 * h, n]);
}

/** batchNorm or batchNormRelu: the backend kernel of that name over the [n, c, l] view. */
function batchNormForward(op: 'batchNorm' | 'batchNormRelu'): Forward<typeof op> {
  return ([x, w, b], { eps, mean, variance }) => {
    const [n, c, l] = channelLayout(op, x!.shape, w!.shape, b!.shape);
    const out = allocate(x!.dtype, x!.size);
    getBackend()[op](x!.data, w!.data, b!.data, out, n, c, l, eps, mean, variance);
    return tensorOf(x!, out, x!.shape);
  };
}

/** The forward kernel of every primitive. */
export const forwardKernels: { [K in OpName]: Forward<K> } = {
  neg: unary('neg'), exp: unary('exp'), log: unary('log'), sqrt: unary('sqrt'), abs: unary('abs'),
  sign: unary('sign'), relu: unary('relu'), sigmoid: unary('sigmoid'), tanh: unary('tanh'),
  softplus: unary('softplus'), sin: unary('sin'), cos: unary('cos'), softsign: unary('softsign'),
  hardtanh: paramUnary('hardtanh', bounds), leakyRelu: paramUnary('leakyRelu', slope),
  hardtanhGrad: paramGrad('hardtanhGrad', bounds), leakyReluGrad: paramGrad('leakyReluGrad', slope),
  add: binary('add'), sub: binary('sub'), mul: binary('mul'), div: binary('div'), pow: binary('pow'),
  maximum: binary('maximum'), minimum: binary('minimum'),
  gt: binary('gt'), ge: binary('ge'), lt: binary('lt'), le: binary('le'), eq: binary('eq'),
  reluGrad: binary('reluGrad'), sigmoidGrad: binary('sigmoidGrad'), tanhGrad: binary('tanhGrad'), softsignGrad: binary('softsignGrad'),
  where: whereForward,
  sum: reduceForward('sum'),
  max: reduceForward('max'),
  argmax: argmaxForward,
  matmul: matmulForward,
  linear: linearForward,
  logSoftmax: logSoftmaxForward,
  reshape: ([x], { shape }) => tensorOf(x!, x!.data, shape),
  permute: permuteForward,
  broadcastTo: broadcastToForward,
  slice: sliceForward,
  pad: padForward,
  concat: concatForward,
  indexSelect: indexSelectForward,
  indexAdd: indexAddForward,
  cast: ([x], { dtype }) => {
    const out = allocate(dtype, x!.size);
    out.set(x!.data);
    return tensorOf(x!, out, x!.shape);
  },
  im2col: im2colForward,
  col2im: col2imForward,
  conv2d: conv2dForward,
  maxPool2d: maxPool2dForward,
  lstmCell: lstmCellForward,
  batchNorm: batchNormForward('batchNorm'),
  batchNormRelu: batchNormForward('batchNormRelu'),
  batchNormReluPool: batchNormReluPoolForward,
};
