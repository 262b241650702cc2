// The fused LSTM step (lstmCell primitive): its public wrapper and its gradient (one backend kernel, or the composed formula under createGraph).
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import { allocate } from '../core/dtype.js';
import { getBackend } from '../backend/registry.js';
import { run } from './dispatch.js';
import { tensorOf } from './make.js';
import { isGradEnabled } from './grad-mode.js';
import { add, mul, sigmoid, sigmoidGrad, tanh, tanhGrad } from './elementwise.js';
import { sum } from './reduce.js';
import { concat, narrow, reshape } from './movement.js';

/**
 * One LSTM step over the recurrent layer's column layout: gates (i, f, g, o) = (σ, σ, tanh, σ)(xg + hg + b)
 * in row blocks of xg, hg [4H, N] (b [4H] optional), c_t = f·c0 + i·g and h_t = o·tanh(c_t) for c0 [H, N].
 * One primitive each way.
 * @example const next = lstmStep(a, b, c, bias)   // gates a, b [4H, N], cell state c [H, N], bias [4H] → next.h, next.c [H, N]
 */
export function lstmStep(xg: Tensor, hg: Tensor, c0: Tensor, b?: Tensor): { h: Tensor; c: Tensor } {
  const [h, n] = [c0.shape[0]!, c0.shape[1]!];
  const ok = c0.rank === 2 && [xg, hg].every((t) => t.rank === 2 && t.shape[0] === 4 * h && t.shape[1] === n) && (!b || (b.rank === 1 && b.shape[0] === 4 * h));
  if (!ok) throw new ShapeError('lstmCell', `gates ${fmtShape(xg.shape)} and ${fmtShape(hg.shape)} must be [${4 * h}, ${n}] and bias [${4 * h}] for cell state ${fmtShape(c0.shape)}${b ? `, got bias ${fmtShape(b.shape)}` : ''}`);
  const out = run('lstmCell', b ? [xg, hg, c0, b] : [xg, hg, c0], {});
  return { h: narrow(out, 0, 0, h), c: narrow(out, 0, h, h) };
}

/** Gradients of lstmCell for upstream g [2H, N]: the gates' gradient for xg and hg (and, summed over N, b), and c0's. */
export function lstmCellVjp(g: Tensor, [xg, hg, c0, b]: readonly Tensor[]): (Tensor | null)[] {
  if (isGradEnabled()) return composedVjp(g, xg!, hg!, c0!, b);
  const [h, n] = [c0!.shape[0]!, c0!.shape[1]!];
  const dg = allocate(xg!.dtype, 4 * h * n), dc0 = allocate(c0!.dtype, h * n);
  getBackend().lstmCellGrad(xg!.data, hg!.data, b ? b.data : null, c0!.data, g.data, dg, dc0, h, n);
  const dgates = tensorOf(xg!, dg, [4 * h, n]);
  return [dgates, dgates, c0!.requiresGrad ? tensorOf(c0!, dc0, [h, n]) : null, b?.requiresGrad ? sum(dgates, [1]) : null];
}

/** The same gradient from recorded ops (so it can be differentiated again). */
function composedVjp(g: Tensor, xg: Tensor, hg: Tensor, c0: Tensor, b: Tensor | undefined): Tensor[] {
  const h = c0.shape[0]!;
  let p = add(xg, hg);
  if (b) p = add(p, reshape(b, [4 * h, 1]));
  const gate = (k: number): Tensor => narrow(p, 0, k * h, h);
  const [i, f, cand, o] = [sigmoid(gate(0)), sigmoid(gate(1)), tanh(gate(2)), sigmoid(gate(3))];
  const tc = tanh(add(mul(f, c0), mul(i, cand)));
  const dh = narrow(g, 0, 0, h);
  // Exactly the ops autograd runs through the composed cell, so both paths give the same bits.
  const dc = add(narrow(g, 0, h, h), tanhGrad(mul(dh, o), tc));
  const dgates = concat([sigmoidGrad(mul(dc, cand), i), sigmoidGrad(mul(dc, c0), f), tanhGrad(mul(dc, i), cand), sigmoidGrad(mul(dh, tc), o)], 0);
  return [dgates, dgates, mul(dc, f), ...(b ? [sum(dgates, [1])] : [])];
}
