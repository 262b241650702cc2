// Pooling layers over NCHW images: MaxPool2d, AvgPool2d, GlobalAvgPool2d (PyTorch semantics).
import type { Tensor } from '../core/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { avgPool2d, globalAvgPool2d, maxPool2d, type Pair, type Pool2dOptions } from '../ops/conv.js';
import { Stateless, type ModuleJSON } from './module.js';

const asPair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/**
 * Max pooling, as torch.nn.MaxPool2d: the maximum of each kernel window (stride defaults to the
 * kernel, padding reads −∞); the gradient flows to the first maximum of each window.
 * @example new MaxPool2d(2).forward(x)   // [N, C, 28, 28] → [N, C, 14, 14]
 */
export class MaxPool2d extends Stateless {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  constructor(kernelSize: Pair, opts: Pool2dOptions = {}) {
    super();
    this.kernelSize = asPair(kernelSize);
    this.stride = asPair(opts.stride ?? kernelSize);
    this.padding = asPair(opts.padding ?? 0);
    this.dilation = asPair(opts.dilation ?? 1);
    checkWindow('MaxPool2d', this);
  }
  call(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation });
  }
  describe(): string { return `MaxPool2d(${this.kernelSize.join('x')}, stride ${this.stride.join('x')})`; }
  toJSON(): ModuleJSON {
    return { type: 'MaxPool2d', kernel: [...this.kernelSize], stride: [...this.stride], padding: [...this.padding], dilation: [...this.dilation] };
  }
}

/** Validates the window options once at construction (padding at most half the kernel). */
function checkWindow(op: string, p: { kernelSize: [number, number]; stride: [number, number]; padding: [number, number] }): void {
  const ok = [...p.kernelSize, ...p.stride].every((v) => Number.isInteger(v) && v >= 1)
    && p.padding.every((v, i) => Number.isInteger(v) && v >= 0 && 2 * v <= p.kernelSize[i]!);
  if (!ok) {
    throw new ArgumentError(op, `kernel ${p.kernelSize.join('x')} and stride ${p.stride.join('x')} must be positive integers and padding ${p.padding.join('x')} at most half the kernel`);
  }
}

/**
 * Average pooling, as torch.nn.AvgPool2d with count_include_pad=True: the mean of each window,
 * padded zeros counted (divisor kh·kw).
 * @example new AvgPool2d(2).forward(x)   // [N, C, 8, 8] → [N, C, 4, 4]
 */
export class AvgPool2d extends Stateless {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  constructor(kernelSize: Pair, opts: Omit<Pool2dOptions, 'dilation'> = {}) {
    super();
    this.kernelSize = asPair(kernelSize);
    this.stride = asPair(opts.stride ?? kernelSize);
    this.padding = asPair(opts.padding ?? 0);
    checkWindow('AvgPool2d', this);
  }
  call(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
  describe(): string { return `AvgPool2d(${this.kernelSize.join('x')}, stride ${this.stride.join('x')})`; }
  toJSON(): ModuleJSON { return { type: 'AvgPool2d', kernel: [...this.kernelSize], stride: [...this.stride], padding: [...this.padding] }; }
}

/**
 * Global average pooling: the mean of each channel map, [N, C, H, W] → [N, C] (keepdims gives
 * [N, C, 1, 1] like nn.AdaptiveAvgPool2d(1)), so a Linear classifier can follow directly.
 * @example new GlobalAvgPool2d().forward(features)   // [N, 64, 7, 7] → [N, 64]
 */
export class GlobalAvgPool2d extends Stateless {
  constructor(readonly keepdims = false) {
    super();
  }
  call(x: Tensor): Tensor {
    return globalAvgPool2d(x, this.keepdims);
  }
  describe(): string { return 'GlobalAvgPool2d'; }
  toJSON(): ModuleJSON { return { type: 'GlobalAvgPool2d', keepdims: this.keepdims }; }
}
