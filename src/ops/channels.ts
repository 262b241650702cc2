// The [N, C, L] view of a channels-first tensor that per-channel kernels (batch normalisation) walk.
import { ShapeError, fmtShape } from '../core/errors.js';

/**
 * [N, C, L] of x [N, C, ...spatial] (L = the product of the spatial dims, 1 for rank 2), checking that
 * every per-channel operand is [C].
 * @example channelLayout('batchNorm', [64, 16, 28, 28], [16])   // [64, 16, 784]
 */
export function channelLayout(op: string, x: readonly number[], ...perChannel: readonly (readonly number[])[]): [number, number, number] {
  if (x.length < 2) throw new ShapeError(op, `expected [N, C, ...] of rank 2 or more, got ${fmtShape(x)}`);
  const n = x[0]!, c = x[1]!;
  for (const s of perChannel) {
    if (s.length !== 1 || s[0] !== c) throw new ShapeError(op, `per-channel operand ${fmtShape(s)} must be [${c}] for input ${fmtShape(x)}`);
  }
  let l = 1;
  for (let i = 2; i < x.length; i++) l *= x[i]!;
  return [n, c, l];
}
