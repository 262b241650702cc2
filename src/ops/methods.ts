// Fluent methods on Tensor (x.add(y).relu().sum()), attached once to the prototype.
import { Tensor } from '../tensor/tensor.js';
import * as E from './elementwise.js';
import * as R from './reduce.js';
import * as M from './movement.js';
import { matmul, type MatmulOptions } from './matmul.js';
import { backward, type BackwardOptions } from '../autograd/graph.js';
import type { Shape } from '../core/shape.js';
import type { TensorLike } from './elementwise.js';
import type { Axes } from './reduce.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    add(o: TensorLike): Tensor; sub(o: TensorLike): Tensor; mul(o: TensorLike): Tensor; div(o: TensorLike): Tensor;
    pow(o: TensorLike): Tensor; maximum(o: TensorLike): Tensor; minimum(o: TensorLike): Tensor;
    gt(o: TensorLike): Tensor; ge(o: TensorLike): Tensor; lt(o: TensorLike): Tensor; le(o: TensorLike): Tensor; eq(o: TensorLike): Tensor;
    neg(): Tensor; exp(): Tensor; log(): Tensor; sqrt(): Tensor; abs(): Tensor; sign(): Tensor; square(): Tensor;
    relu(): Tensor; sigmoid(): Tensor; tanh(): Tensor; softplus(): Tensor; sin(): Tensor; cos(): Tensor;
    clamp(lo?: number, hi?: number): Tensor;
    sum(axes?: Axes, keepdims?: boolean): Tensor; mean(axes?: Axes, keepdims?: boolean): Tensor;
    max(axes?: Axes, keepdims?: boolean): Tensor; min(axes?: Axes, keepdims?: boolean): Tensor;
    argmax(axis?: number, keepdims?: boolean): Tensor;
    matmul(o: Tensor, opts?: MatmulOptions): Tensor;
    reshape(shape: Shape): Tensor; flatten(start?: number, end?: number): Tensor; permute(perm: readonly number[]): Tensor;
    transpose(a?: number, b?: number): Tensor; readonly T: Tensor;
    unsqueeze(axis: number): Tensor; squeeze(axis?: number): Tensor; broadcastTo(shape: Shape): Tensor;
    slice(starts: readonly number[], ends?: readonly (number | undefined)[]): Tensor;
    cast(dtype: Tensor['dtype']): Tensor;
    /** Reverse-mode sweep from this tensor (see autograd `backward`). */
    backward(grad?: Tensor | BackwardOptions, opts?: BackwardOptions): void;
  }
}

const P = Tensor.prototype as unknown as Record<string, unknown>;
for (const name of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'gt', 'ge', 'lt', 'le', 'eq'] as const) {
  P[name] = function (this: Tensor, o: TensorLike) { return E[name](this, o); };
}
for (const name of ['neg', 'exp', 'log', 'sqrt', 'abs', 'sign', 'square', 'relu', 'sigmoid', 'tanh', 'softplus', 'sin', 'cos'] as const) {
  P[name] = function (this: Tensor) { return E[name](this); };
}
for (const name of ['sum', 'mean', 'max', 'min'] as const) {
  P[name] = function (this: Tensor, axes?: Axes, keepdims?: boolean) { return R[name](this, axes, keepdims); };
}
Object.assign(P, {
  clamp(this: Tensor, lo?: number, hi?: number) { return E.clamp(this, lo, hi); },
  argmax(this: Tensor, axis?: number, keepdims?: boolean) { return R.argmax(this, axis, keepdims); },
  matmul(this: Tensor, o: Tensor, opts?: MatmulOptions) { return matmul(this, o, opts); },
  reshape(this: Tensor, s: Shape) { return M.reshape(this, s); },
  flatten(this: Tensor, a?: number, b?: number) { return M.flatten(this, a, b); },
  permute(this: Tensor, p: readonly number[]) { return M.permute(this, p); },
  transpose(this: Tensor, a?: number, b?: number) { return M.transpose(this, a, b); },
  unsqueeze(this: Tensor, a: number) { return M.unsqueeze(this, a); },
  squeeze(this: Tensor, a?: number) { return M.squeeze(this, a); },
  broadcastTo(this: Tensor, s: Shape) { return M.broadcastTo(this, s); },
  slice(this: Tensor, s: readonly number[], e?: readonly (number | undefined)[]) { return M.slice(this, s, e); },
  cast(this: Tensor, d: Tensor['dtype']) { return E.cast(this, d); },
  backward(this: Tensor, g?: Tensor | BackwardOptions, opts?: BackwardOptions) { backward(this, g, opts); },
});
Object.defineProperty(P, 'T', { get(this: Tensor) { return M.transpose(this); } });
