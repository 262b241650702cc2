// The gradients of the conv2d (groups 1) and maxPool2d primitives: one fused backend kernel each, or under createGraph the composed form.
import type { Tensor } from '../tensor/tensor.js';
import type { OpArgs, WindowGeometry } from './spec.js';
import { allocate } from '../core/dtype.js';
import { getBackend } from '../backend/registry.js';
import { run } from './dispatch.js';
import { tensorOf } from './make.js';
import { isGradEnabled } from './grad-mode.js';
import { sum } from './reduce.js';
import { reshape } from './movement.js';

/**
 * Gradients of y = conv2d(x, w, b) for upstream g [N, O, OH, OW]: gx = col2im(w₂ᵀ g), gw = Σₙ gₙ colsₙᵀ,
 * gb = Σ g over N, OH, OW (w₂ = w as [O, C·kh·kw]). Only inputs that require a gradient get one.
 */
export function conv2dVjp(g: Tensor, [x, w, b]: readonly Tensor[], geometry: WindowGeometry): (Tensor | null)[] {
  if (isGradEnabled()) return composedVjp(g, x!, w!, b, geometry);
  const gx = x!.requiresGrad ? allocate(x!.dtype, x!.size) : null;
  const gw = w!.requiresGrad ? allocate(w!.dtype, w!.size) : null;
  const gb = b?.requiresGrad ? allocate(b.dtype, b.size) : null;
  getBackend().conv2dGrad(g.data, x!.data, w!.data, gx, gw, gb, x!.shape, w!.shape[0]!, geometry);
  return [gx && tensorOf(x!, gx, x!.shape), gw && tensorOf(w!, gw, w!.shape), gb && tensorOf(b!, gb, b!.shape)];
}

/** The same gradients from recorded primitives (im2col, matmul, col2im, sum), so they can be differentiated again. */
function composedVjp(g: Tensor, x: Tensor, w: Tensor, b: Tensor | undefined, geometry: WindowGeometry): (Tensor | null)[] {
  const [n, o] = [x.shape[0]!, w.shape[0]!], kp = w.size / o;
  const g3 = reshape(g, [n, o, g.shape[2]! * g.shape[3]!]);
  const gw = w.requiresGrad
    ? reshape(sum(run('matmul', [g3, run('im2col', [x], { ...geometry, padValue: 0 })], { transA: false, transB: true }), [0]), w.shape)
    : null;
  const gx = x.requiresGrad
    ? run('col2im', [run('matmul', [reshape(w, [o, kp]), g3], { transA: true, transB: false })], { ...geometry, size: [x.shape[2]!, x.shape[3]!] })
    : null;
  return [gx, gw, b?.requiresGrad ? sum(g, [0, 2, 3]) : null];
}

/**
 * Gradient of y = maxPool2d(x) for upstream g [N, C, oh, ow]: g scattered into x's shape at each window's
 * routed tap (adding where windows overlap, in window order); under createGraph the recorded indexAdd.
 */
export function maxPool2dVjp(g: Tensor, x: Tensor, { index }: OpArgs['maxPool2d']): Tensor {
  if (isGradEnabled()) return reshape(run('indexAdd', [reshape(g, [g.size])], { axis: 0, indices: index, size: x.size }), x.shape);
  const gx = allocate(x.dtype, x.size);
  getBackend().maxPoolGrad(g.data, index, gx);
  return tensorOf(x, gx, x.shape);
}
