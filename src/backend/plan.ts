// Iteration plans shared by all backends: broadcast strides and reductions, with adjacent dims merged.
import type { BroadcastPlan, ReducePlan } from './backend.js';
import { stridesOf } from '../core/shape.js';

/** Strides of `shape` seen through broadcasting to `outShape` (0 along broadcast dims). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(shape);
  const off = outShape.length - shape.length;
  return outShape.map((_, i) => (i < off || shape[i - off] === 1 ? 0 : own[i - off]!));
}

/**
 * Merges adjacent dims that every stride list walks contiguously (size-1 dims dropped), so kernels
 * run long inner rows. @example coalesce([2, 3, 4], [[12, 4, 1]]) // { shape: [24], strides: [[1]] }
 */
export function coalesce(shape: readonly number[], strideLists: number[][]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strideLists.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 1 && shape.length > 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 && strideLists.every((s, j) => outStrides[j]![last] === s[i]! * d);
    if (mergeable) {
      outShape[last] = outShape[last]! * d;
      strideLists.forEach((s, j) => (outStrides[j]![last] = s[i]!));
    } else {
      outShape.push(d);
      strideLists.forEach((s, j) => outStrides[j]!.push(s[i]!));
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: strideLists.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}

/** Plan for `a op b` broadcast to `outShape`. */
export function broadcastPlan(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]): BroadcastPlan {
  const c = coalesce(outShape, [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
  return { shape: c.shape, aStrides: c.strides[0]!, bStrides: c.strides[1]! };
}

/** Plan for reducing a contiguous tensor of `shape` over sorted `axes`. */
export function reducePlan(shape: readonly number[], axes: readonly number[]): ReducePlan {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outStrides = stridesOf(kept).map((s, i) => (axes.includes(i) ? 0 : s));
  const c = coalesce(shape, [stridesOf(shape), outStrides]);
  return { shape: c.shape, outStrides: c.strides[1]! };
}
