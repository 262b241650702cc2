// Conv2d: a 2-D convolution layer over NCHW images (PyTorch layout, init and parameter names).
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { Rng, defaultRng } from '../core/rng.js';
import type { DType } from '../core/dtype.js';
import { add } from '../ops/elementwise.js';
import { reshape } from '../ops/movement.js';
import { conv2d, type Pair } from '../ops/conv.js';
import type { WeightBias } from './linear.js';
import { Module, type ModuleJSON, type Params } from './module.js';
import { type Initializer, torchDefault, zerosInit } from './init.js';
import { type AllowedKeys, checkOptions } from '../core/options.js';
import { checkDType } from '../core/dtype.js';

export interface Conv2dLayerOptions {
  /** Step between windows (default 1). */
  stride?: Pair;
  /**
   * Zero padding on each side (default 0), or 'same' (stride 1 only; output H×W = input H×W, an odd
   * total padding d·(k−1) puts the extra zero on the right/bottom as PyTorch) or 'valid' (0).
   */
  padding?: Pair | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Independent channel groups (default 1); in and out channels must divide by it. */
  groups?: number;
  /** Learn a bias per output channel (default true). */
  bias?: boolean;
  /** Weight initialiser; default PyTorch's U(±1/√fan_in), fan_in = in/groups·kh·kw. */
  init?: Initializer;
  rng?: Rng;
  dtype?: DType;
}

const asPair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

const CONV2D_OPTIONS: AllowedKeys<Conv2dLayerOptions> = { stride: true, padding: true, dilation: true, groups: true, bias: true, init: true, rng: true, dtype: true };

function paddingOf(p: Conv2dLayerOptions['padding'], stride: [number, number]): [number, number] | 'same' {
  if (p === 'valid') return [0, 0];
  if (p === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new ArgumentError('Conv2d', `padding 'same' needs stride 1 (as PyTorch), got stride ${stride.join('x')}`);
    return 'same';
  }
  if (typeof p === 'string') throw new ArgumentError('Conv2d', `padding must be a number, a [h, w] pair, 'same' or 'valid', got ${JSON.stringify(p)}`);
  return asPair(p ?? 0);
}

/**
 * 2-D convolution layer (LeCun et al. 1989), as torch.nn.Conv2d: y = conv2d(x, W) + b with
 * `weight [out, in/groups, kh, kw]` and `bias [out]`, both initialised U(±1/√fan_in).
 * `apply` takes any parameter tree of that spec; a weight with a leading batch dim
 * (`[N, out, in/groups, kh, kw]`, bias `[N, out]`, as a hypernetwork produces) gives each
 * example its own filters (run as one grouped convolution).
 *
 * @example
 * const conv = new Conv2d(1, 16, 3, { padding: 1 });
 * conv.forward(images);   // [N, 1, 28, 28] → [N, 16, 28, 28]
 */
export class Conv2d extends Module<WeightBias> {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  /** [h, w] zeros on each side, or 'same' (see Conv2dLayerOptions.padding). */
  readonly padding: [number, number] | 'same';
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, opts: Conv2dLayerOptions = {}) {
    super();
    checkOptions('Conv2d', opts, CONV2D_OPTIONS);
    this.kernelSize = asPair(kernelSize);
    this.stride = asPair(opts.stride ?? 1);
    this.padding = paddingOf(opts.padding, this.stride);
    this.dilation = asPair(opts.dilation ?? 1);
    this.groups = opts.groups ?? 1;
    const g = this.groups;
    if (![inChannels, outChannels, g, ...this.kernelSize].every((v) => Number.isInteger(v) && v >= 1) || inChannels % g !== 0 || outChannels % g !== 0) {
      throw new ArgumentError('Conv2d', `channels (${inChannels}→${outChannels}), kernel ${this.kernelSize.join('x')} and groups ${g} must be positive integers, with groups dividing both channel counts`);
    }
    const rng = opts.rng ?? defaultRng();
    const dtype = checkDType(opts.dtype ?? 'float32', 'Conv2d');
    const fanIn = (inChannels / g) * this.kernelSize[0] * this.kernelSize[1];
    const wInit = opts.init ?? torchDefault(fanIn);
    const p: WeightBias = { weight: wInit([outChannels, inChannels / g, ...this.kernelSize], rng, dtype).detach().requireGrad() };
    if (opts.bias ?? true) p.bias = (opts.init ? zerosInit() : torchDefault(fanIn))([outChannels], rng, dtype).detach().requireGrad();
    this.ownParams = p;
  }

  private get geometry(): { stride: Pair; padding: Pair | 'same'; dilation: Pair } {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation };
  }

  run(params: WeightBias, x: Tensor): Tensor {
    const w = params.weight as Tensor;
    const b = params.bias as Tensor | undefined;
    if (x.rank !== 4 || x.shape[1] !== this.inChannels) {
      throw new ShapeError('Conv2d', `input ${fmtShape(x.shape)} must be [N, ${this.inChannels}, H, W]${x.rank === 2 ? ' (reshape flat images first, e.g. a Reshape layer)' : ''}`);
    }
    if (w.rank === 5) return this.applyPerSample(w, b, x);
    return conv2d(x, w, b, { ...this.geometry, groups: this.groups });
  }

  /** Per-sample filters: the batch folds into channel groups, one grouped conv for all examples. */
  private applyPerSample(w: Tensor, b: Tensor | undefined, x: Tensor): Tensor {
    const n = x.shape[0]!;
    if (w.shape[0] !== n || w.shape[1] !== this.outChannels) {
      throw new ShapeError('Conv2d', `per-sample weight ${fmtShape(w.shape)} needs [${n}, ${this.outChannels}, ...] for input ${fmtShape(x.shape)}`);
    }
    const xs = reshape(x, [1, n * this.inChannels, x.shape[2]!, x.shape[3]!]);
    const ws = reshape(w, [n * this.outChannels, ...w.shape.slice(2)]);
    const y = conv2d(xs, ws, undefined, { ...this.geometry, groups: n * this.groups });
    const out = reshape(y, [n, this.outChannels, y.shape[2]!, y.shape[3]!]);
    return b ? add(out, reshape(b, [n, this.outChannels, 1, 1])) : out;
  }

  describe(): string {
    const extra = [
      this.stride.some((s) => s !== 1) ? `stride ${this.stride.join('x')}` : '',
      this.padding === 'same' ? 'pad same' : this.padding.some((s) => s !== 0) ? `pad ${this.padding.join('x')}` : '',
      this.dilation.some((s) => s !== 1) ? `dil ${this.dilation.join('x')}` : '',
      this.groups !== 1 ? `groups ${this.groups}` : '',
      'bias' in this.ownParams ? '' : 'no bias',
    ].filter(Boolean);
    return `Conv2d(${this.inChannels}→${this.outChannels}, ${this.kernelSize.join('x')}${extra.length ? ', ' + extra.join(', ') : ''})`;
  }

  toJSON(): ModuleJSON {
    return {
      type: 'Conv2d', in: this.inChannels, out: this.outChannels, kernel: [...this.kernelSize],
      stride: [...this.stride], padding: this.padding === 'same' ? 'same' : [...this.padding], dilation: [...this.dilation], groups: this.groups,
      bias: 'bias' in this.ownParams,
    };
  }
}
