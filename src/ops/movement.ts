// Movement ops: reshape, permute/transpose, broadcast, slice, pad, concat/stack/split, gather.
import type { Tensor } from '../tensor/tensor.js';
import { type Shape, broadcastShapes, checkShape, normAxis, sameShape, sizeOf } from '../core/shape.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { run } from './dispatch.js';

/**
 * Same data, new shape; one dimension may be -1 (inferred). Shares storage.
 * @example reshape(arange(6), [2, -1]) // shape [2,3]
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const inferred = [...shape];
  const unknown = inferred.indexOf(-1);
  if (unknown >= 0) {
    const known = inferred.reduce((n, d, i) => (i === unknown ? n : n * d), 1);
    if (known === 0 || x.size % known !== 0) throw new ShapeError('reshape', `cannot infer -1 in ${fmtShape(shape)} for ${x.size} elements of ${fmtShape(x.shape)}`);
    inferred[unknown] = x.size / known;
  }
  checkShape(inferred, 'reshape');
  if (sizeOf(inferred) !== x.size) {
    throw new ShapeError('reshape', `cannot reshape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(shape)} (${sizeOf(inferred)} elements)`);
  }
  if (sameShape(inferred, x.shape)) return x;
  return run('reshape', [x], { shape: inferred });
}

/** Flattens dims `start..end` into one. @example flatten(x, 1) // [N, C*H*W] */
export function flatten(x: Tensor, start = 0, end = -1): Tensor {
  if (x.rank === 0) return reshape(x, [1]);
  const s = normAxis('flatten', start, x.rank), e = normAxis('flatten', end, x.rank);
  const mid = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), mid, ...x.shape.slice(e + 1)]);
}

/** Inserts a dim of size 1 at `axis`. @example unsqueeze(tensor([1, 2]), 0) // [1,2] */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normAxis('unsqueeze', axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/** Removes dims of size 1 (all, or the given axis). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const a = normAxis('squeeze', axis, x.rank);
  if (x.shape[a] !== 1) throw new ShapeError('squeeze', `axis ${axis} of ${fmtShape(x.shape)} has size ${x.shape[a]}, not 1`);
  return reshape(x, x.shape.filter((_, i) => i !== a));
}

/** Reorders dims: output dim i is input dim perm[i]. @example permute(x, [0, 2, 1]) */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const p = perm.map((a) => normAxis('permute', a, x.rank));
  if (p.length !== x.rank || new Set(p).size !== p.length) {
    throw new ArgumentError('permute', `[${perm.join(',')}] is not a permutation of the ${x.rank} dims of ${fmtShape(x.shape)}`);
  }
  if (p.every((a, i) => a === i)) return x;
  return run('permute', [x], { perm: p });
}

/** Swaps two dims (the last two by default). @example transpose(w) // [out,in] → [in,out] */
export function transpose(x: Tensor, a = -2, b = -1): Tensor {
  if (x.rank < 2) return x;
  const p = Array.from({ length: x.rank }, (_, i) => i);
  const i = normAxis('transpose', a, x.rank), j = normAxis('transpose', b, x.rank);
  [p[i], p[j]] = [p[j]!, p[i]!];
  return permute(x, p);
}

/** Repeats size-1 dims (and prepends dims) to reach `shape`. @example broadcastTo(tensor([1, 2]), [3, 2]) */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const out = broadcastShapes('broadcastTo', x.shape, shape);
  if (!sameShape(out, shape)) throw new ShapeError('broadcastTo', `${fmtShape(x.shape)} cannot broadcast to ${fmtShape(shape)}`);
  if (sameShape(x.shape, shape)) return x;
  return run('broadcastTo', [x], { shape: [...shape] });
}

/**
 * Sub-tensor from `starts` (inclusive) to `ends` (exclusive) per dim; negative counts from the end,
 * missing entries mean the whole dim.
 * @example slice(x, [0, 1], [2, 3])  // rows 0..1, cols 1..2
 */
export function slice(x: Tensor, starts: readonly number[], ends: readonly (number | undefined)[] = []): Tensor {
  if (starts.length > x.rank) throw new ArgumentError('slice', `${starts.length} starts for a tensor of rank ${x.rank}`);
  const begin: number[] = [], end: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    const n = x.shape[i]!;
    const fix = (v: number): number => Math.min(n, Math.max(0, v < 0 ? v + n : v));
    const b = fix(starts[i] ?? 0), e = fix(ends[i] ?? n);
    if (e < b) throw new ArgumentError('slice', `dim ${i}: end ${ends[i]} is before start ${starts[i]} in ${fmtShape(x.shape)}`);
    begin.push(b);
    end.push(e);
  }
  if (begin.every((b) => b === 0) && end.every((e, i) => e === x.shape[i])) return x;
  return run('slice', [x], { begin, end });
}

/** `length` entries of dim `axis` starting at `start`. @example narrow(x, 1, 0, 2) */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  const a = normAxis('narrow', axis, x.rank);
  const starts = x.shape.map((_, i) => (i === a ? start : 0));
  const ends = x.shape.map((d, i) => (i === a ? start + length : d));
  if (start < 0 || start + length > x.shape[a]!) throw new ArgumentError('narrow', `[${start}, ${start + length}) is outside dim ${a} of ${fmtShape(x.shape)}`);
  return slice(x, starts, ends);
}

/** Pads with a constant: `pads[i] = [before, after]` for dim i (missing dims unpadded). @example pad(x, [[0, 0], [1, 1]]) */
export function pad(x: Tensor, pads: readonly (readonly [number, number])[], value = 0): Tensor {
  if (pads.length > x.rank) throw new ArgumentError('pad', `${pads.length} pad pairs for a tensor of rank ${x.rank}`);
  const before = x.shape.map((_, i) => pads[i]?.[0] ?? 0), after = x.shape.map((_, i) => pads[i]?.[1] ?? 0);
  if ([...before, ...after].some((p) => !Number.isInteger(p) || p < 0)) throw new ArgumentError('pad', `pads must be non-negative integers, got ${JSON.stringify(pads)}`);
  return run('pad', [x], { before, after, value });
}

/** Joins tensors along `axis`; all other dims must agree. @example concat([a, b], 0) */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ArgumentError('concat', 'needs at least one tensor');
  const first = xs[0]!;
  const a = normAxis('concat', axis, first.rank);
  for (const t of xs) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new ShapeError('concat', `shapes ${xs.map((s) => fmtShape(s.shape)).join(', ')} differ outside axis ${a}`);
    }
    if (t.dtype !== first.dtype) throw new ArgumentError('concat', `mixed dtypes ${first.dtype} and ${t.dtype}; cast first`);
  }
  if (xs.length === 1) return first;
  return run('concat', [...xs], { axis: a });
}

/** Stacks equal-shaped tensors along a new `axis`. @example stack([a, b]) // [2, ...a.shape] */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ArgumentError('stack', 'needs at least one tensor');
  const shape = xs[0]!.shape;
  for (const t of xs) if (!sameShape(t.shape, shape)) throw new ShapeError('stack', `shapes ${xs.map((s) => fmtShape(s.shape)).join(', ')} differ`);
  const a = normAxis('stack', axis, shape.length + 1);
  return concat(xs.map((t) => unsqueeze(t, a)), a);
}

/** Splits along `axis` into pieces of the given sizes. @example split(x, [2, 3], 1) */
export function split(x: Tensor, sizes: readonly number[], axis = 0): Tensor[] {
  const a = normAxis('split', axis, x.rank);
  const total = sizes.reduce((s, v) => s + v, 0);
  if (total !== x.shape[a]) throw new ShapeError('split', `sizes [${sizes.join(',')}] sum to ${total}, but dim ${a} of ${fmtShape(x.shape)} is ${x.shape[a]}`);
  let start = 0;
  return sizes.map((n) => {
    const part = narrow(x, a, start, n);
    start += n;
    return part;
  });
}

function toIndices(op: string, indices: ArrayLike<number>, n: number): Int32Array {
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]!;
    if (!Number.isInteger(v) || v < -n || v >= n) throw new ArgumentError(op, `index ${v} at position ${i} is out of range for a dim of size ${n}`);
    out[i] = v < 0 ? v + n : v;
  }
  return out;
}

/** Entries `indices` of dim `axis` (like torch.index_select). @example indexSelect(x, 0, [2, 0]) */
export function indexSelect(x: Tensor, axis: number, indices: ArrayLike<number> | Tensor): Tensor {
  const a = normAxis('indexSelect', axis, x.rank);
  const idx = toIndices('indexSelect', 'data' in indices ? indices.data : indices, x.shape[a]!);
  return run('indexSelect', [x], { axis: a, indices: idx });
}

/**
 * For each position along all other dims, the entry at `indices` of dim `axis` (torch.gather with
 * one index per row). `indices` has the shape of `x` without `axis`.
 * @example takeAlongAxis(logp, 1, labels)   // logp[i, labels[i]]
 */
export function takeAlongAxis(x: Tensor, axis: number, indices: ArrayLike<number> | Tensor): Tensor {
  const a = normAxis('takeAlongAxis', axis, x.rank);
  const src = 'data' in indices ? indices.data : indices;
  const outShape = x.shape.filter((_, i) => i !== a);
  if (src.length !== sizeOf(outShape)) {
    throw new ShapeError('takeAlongAxis', `${src.length} indices for ${fmtShape(x.shape)} along axis ${a}: need ${sizeOf(outShape)}`);
  }
  const n = x.shape[a]!;
  const inner = sizeOf(x.shape.slice(a + 1));
  const flat = new Int32Array(src.length);
  const idx = toIndices('takeAlongAxis', src, n);
  for (let q = 0; q < src.length; q++) {
    const o = Math.floor(q / inner), j = q % inner;
    flat[q] = (o * n + idx[q]!) * inner + j;
  }
  return reshape(run('indexSelect', [reshape(x, [x.size])], { axis: 0, indices: flat }), outShape);
}
