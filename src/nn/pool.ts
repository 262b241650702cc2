// Pooling layers over NCHW images: MaxPool2d, AvgPool2d, GlobalAvgPool2d (PyTorch semantics).
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { avgPool2d, globalAvgPool2d, maxPool2d, type AvgPool2dOptions, type Pair, type Pool2dOptions } from '../ops/conv.js';
import { type AllowedKeys, checkOptions } from '../core/options.js';
import { Stateless, type ModuleJSON } from './module.js';

const asPair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

const MAX_POOL_OPTIONS: AllowedKeys<Pool2dOptions> = { stride: true, padding: true, dilation: true, ceilMode: true };
const AVG_POOL_OPTIONS: AllowedKeys<AvgPool2dOptions> = { stride: true, padding: true, ceilMode: true, countIncludePad: true, divisorOverride: true };

function flag(op: string, name: string, v: unknown, d: boolean): boolean {
  if (v === undefined) return d;
  if (typeof v !== 'boolean') throw new ArgumentError(op, `${name} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Max pooling, as torch.nn.MaxPool2d: the maximum of each kernel window (stride defaults to the
 * kernel, padding reads −∞); the gradient flows to the first maximum of each window. Options:
 * stride, padding, dilation, ceilMode (PyTorch's ceil_mode); any other key is an error.
 * @example new MaxPool2d(2).forward(x)   // [N, C, 28, 28] → [N, C, 14, 14]
 */
export class MaxPool2d extends Stateless {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly ceilMode: boolean;
  constructor(kernelSize: Pair, opts: Pool2dOptions = {}) {
    super();
    checkOptions('MaxPool2d', opts, MAX_POOL_OPTIONS);
    this.ceilMode = flag('MaxPool2d', 'ceilMode', opts.ceilMode, false);
    this.kernelSize = asPair(kernelSize);
    this.stride = asPair(opts.stride ?? kernelSize);
    this.padding = asPair(opts.padding ?? 0);
    this.dilation = asPair(opts.dilation ?? 1);
    checkWindow('MaxPool2d', this);
  }
  call(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }
  describe(): string { return `MaxPool2d(${this.kernelSize.join('x')}, stride ${this.stride.join('x')}${this.ceilMode ? ', ceil' : ''})`; }
  toJSON(): ModuleJSON {
    return {
      type: 'MaxPool2d', kernel: [...this.kernelSize], stride: [...this.stride], padding: [...this.padding], dilation: [...this.dilation],
      ...(this.ceilMode ? { ceilMode: true } : {}),
    };
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
 * Average pooling, as torch.nn.AvgPool2d: the mean of each window. Options: stride, padding,
 * ceilMode, countIncludePad (default true: padded zeros count in the divisor kh·kw; false: only
 * input taps count), divisorOverride (divide every sum by this integer); any other key is an error.
 * @example new AvgPool2d(2).forward(x)   // [N, C, 8, 8] → [N, C, 4, 4]
 */
export class AvgPool2d extends Stateless {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  constructor(kernelSize: Pair, opts: AvgPool2dOptions = {}) {
    super();
    checkOptions('AvgPool2d', opts, AVG_POOL_OPTIONS);
    this.kernelSize = asPair(kernelSize);
    this.stride = asPair(opts.stride ?? kernelSize);
    this.padding = asPair(opts.padding ?? 0);
    this.ceilMode = flag('AvgPool2d', 'ceilMode', opts.ceilMode, false);
    this.countIncludePad = flag('AvgPool2d', 'countIncludePad', opts.countIncludePad, true);
    this.divisorOverride = opts.divisorOverride ?? null;
    checkWindow('AvgPool2d', this);
    const d = this.divisorOverride;
    if (d !== null && !(Number.isInteger(d) && d >= 1)) throw new ArgumentError('AvgPool2d', `divisorOverride must be a positive integer, got ${JSON.stringify(d)}`);
  }
  call(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride,
    });
  }
  describe(): string {
    const extra = [this.ceilMode ? 'ceil' : '', this.countIncludePad ? '' : 'pad not counted', this.divisorOverride === null ? '' : `divisor ${this.divisorOverride}`].filter(Boolean);
    return `AvgPool2d(${this.kernelSize.join('x')}, stride ${this.stride.join('x')}${extra.map((e) => `, ${e}`).join('')})`;
  }
  toJSON(): ModuleJSON {
    return {
      type: 'AvgPool2d', kernel: [...this.kernelSize], stride: [...this.stride], padding: [...this.padding],
      ...(this.ceilMode ? { ceilMode: true } : {}), ...(this.countIncludePad ? {} : { countIncludePad: false }),
      ...(this.divisorOverride === null ? {} : { divisorOverride: this.divisorOverride }),
    };
  }
}

/**
 * Global average pooling: the mean of each channel map, [N, C, H, W] → [N, C] (keepdims gives
 * [N, C, 1, 1] like nn.AdaptiveAvgPool2d(1)), so a Linear classifier can follow directly.
 * @example new GlobalAvgPool2d().forward(features)   // [N, 64, 7, 7] → [N, 64]
 */
export class GlobalAvgPool2d extends Stateless {
  constructor(readonly keepdims = false) {
    super();
    if (typeof keepdims !== 'boolean') throw new ArgumentError('GlobalAvgPool2d', `keepdims must be true or false, got ${JSON.stringify(keepdims)}`);
  }
  call(x: Tensor): Tensor {
    return globalAvgPool2d(x, this.keepdims);
  }
  describe(): string { return 'GlobalAvgPool2d'; }
  toJSON(): ModuleJSON { return { type: 'GlobalAvgPool2d', keepdims: this.keepdims }; }
}
