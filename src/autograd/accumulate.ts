// Gradient accumulation for backward()'s sweep: dense gradients and slice regions added in place
// into one sweep-owned buffer per input, so k slices of a tensor of size S cost O(S + Σ slice sizes).
import type { Tensor } from '../tensor/tensor.js';
import { tensorOf } from '../ops/make.js';
import { allocate, type Storage } from '../core/dtype.js';
import { sameShape, sizeOf, stridesOf } from '../core/shape.js';
import { add } from '../ops/elementwise.js';
import { pad } from '../ops/movement.js';
import { walk } from '../ops/forward.js';
import { getBackend } from '../backend/registry.js';
import { binaryLayout } from '../backend/plan-cache.js';

/**
 * The gradient of a slice when the backward pass is not recorded: `grad` belongs at `begin` inside
 * an input of shape `inputShape` (zero elsewhere). The sweep adds it into the input's accumulation
 * buffer instead of building the zero-padded full-size tensor (see {@link accumulate}).
 * @example new RegionGrad(g, [0, 2], [4, 8])   // g [4, 3] is columns 2..4 of a [4, 8] gradient
 */
export class RegionGrad {
  constructor(readonly grad: Tensor, readonly begin: readonly number[], readonly inputShape: readonly number[]) {}

  /** The same gradient as a full-size tensor (zeros outside the region): what `slice`'s rule returns under createGraph. */
  toDense(): Tensor {
    return pad(this.grad, this.begin.map((b, i) => [b, this.inputShape[i]! - b - this.grad.shape[i]!] as const));
  }
}

/**
 * Adds `contribution` to `prev` (the gradient gathered so far, or null) and returns the new total.
 * `owned` holds the totals this sweep allocated itself: only those are mutated in place; any other
 * tensor (a rule's output, the upstream gradient, a view of either) is copied into a fresh owned
 * buffer first. Per element the additions happen in the same order, with the same float32/float64
 * rounding, as `add(prev, pad(region))` (JS adds two floats exactly, then rounds once on the store).
 * Only the sign of a zero can differ: adding a pad's +0 turned −0 into +0; skipping it does not.
 * @example total = accumulate(total, new RegionGrad(g, [k, 0], x.shape), owned)
 */
export function accumulate(prev: Tensor | null, contribution: Tensor | RegionGrad, owned: Set<Tensor>): Tensor {
  if (contribution instanceof RegionGrad) return accumulateRegion(prev, contribution, owned);
  if (prev === null) return contribution;
  if (prev.dtype !== contribution.dtype || !sameShape(prev.shape, contribution.shape)) return add(prev, contribution);
  if (owned.has(prev)) {
    addInto(prev.data, prev.data, contribution.data);
    return prev;
  }
  const out = allocate(prev.dtype, prev.size);
  addInto(out, prev.data, contribution.data);
  return own(tensorOf(prev, out, prev.shape), owned);
}

function accumulateRegion(prev: Tensor | null, r: RegionGrad, owned: Set<Tensor>): Tensor {
  const dtype = r.grad.dtype;
  if (prev !== null && prev.dtype !== dtype) return add(prev, r.toDense());
  let total: Tensor;
  if (prev === null) {
    // The first contribution: zeros with the region copied in, i.e. exactly pad(grad).
    total = own(tensorOf(r.grad, allocate(dtype, sizeOf(r.inputShape)), r.inputShape), owned);
    eachRun(total.data, r, (dst, at, src) => dst.set(src, at));
    return total;
  }
  total = owned.has(prev) ? prev : own(tensorOf(prev, prev.data.slice(), prev.shape), owned);
  eachRun(total.data, r, (dst, at, src) => {
    if (src.length >= BACKEND_RUN) { const part = dst.subarray(at, at + src.length); addInto(part, part, src); return; }
    for (let i = 0; i < src.length; i++) dst[at + i] = dst[at + i]! + src[i]!;
  });
  return total;
}

/** Runs at least this long go to the backend's add kernel; shorter ones are not worth a kernel call. */
const BACKEND_RUN = 64;

/**
 * out = a + b elementwise through the backend's `add` kernel (the one `add()` uses, so the same
 * rounding); `out` may be `a` — every backend reads an element before it writes it.
 */
function addInto(out: Storage, a: Storage, b: Storage): void {
  getBackend().binary('add', a, b, out, binaryLayout('add', [a.length], [b.length]).plan);
}

function own(t: Tensor, owned: Set<Tensor>): Tensor {
  owned.add(t);
  return t;
}

/**
 * Calls `visit` once per contiguous run of the region inside `dst` (row-major): dims after the last
 * one the region does not span fully are copied as one run, as padForward does.
 */
function eachRun(dst: Storage, r: RegionGrad, visit: (dst: Storage, at: number, src: Storage) => void): void {
  const g = r.grad, shape = g.shape, full = r.inputShape;
  if (g.size === 0) return;
  let j = shape.length - 1;
  while (j > 0 && shape[j] === full[j]) j--;
  const run = sizeOf(shape.slice(Math.max(j, 0)));
  const strides = stridesOf(full);
  const base = r.begin.reduce((acc, b, i) => acc + b * strides[i]!, 0);
  const d = g.data;
  if (shape.length === 0) { visit(dst, 0, d); return; }
  walk(shape.slice(0, Math.max(j, 0)), [strides.slice(0, Math.max(j, 0))], (o, k) => visit(dst, base + o[0]!, d.subarray(k * run, (k + 1) * run)));
}
