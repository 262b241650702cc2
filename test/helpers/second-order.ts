// A second derivative through a layer, for tests of fused primitives' createGraph paths.
import { backward, mul, sum, type Tensor } from '../../src/index.js';

/** d/dx of Σ (∂(Σ y·u)/∂x)² through `layer` (a second derivative), at x0. @example secondOrder((t) => bn.forward(t), x, u) */
export function secondOrder(layer: (x: Tensor) => Tensor, x0: Tensor, u: Tensor): Tensor {
  const x = x0.detach().requireGrad();
  backward(sum(mul(layer(x), u)), undefined, { createGraph: true });
  const gx = x.grad!;
  x.grad = null;
  backward(sum(mul(gx, gx)));
  return x.grad!;
}
