// Quantization-aware training: fake-quantize Linear/Conv2d inputs and weights in the forward pass, straight-through gradients.
import { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { add, sub } from '../ops/elementwise.js';
import { type Applied, type ApplyContext, Module, type ModuleJSON, type Params, type State, childContext, childParams, modeOf } from '../nn/module.js';
import { Sequential } from '../nn/containers.js';
import { Linear } from '../nn/linear.js';
import { Conv2d } from '../nn/conv.js';
import { noGrad } from '../autograd/graph.js';
import { affineParams, calibrationRange, quantizeWeights, type AffineParams } from './int8.js';
import { roundHalfEven } from '../backend/js/quant.js';

/** How fast the observed input range follows each training batch (PyTorch's MovingAverageMinMaxObserver default). */
const AVERAGING = 0.01;

/** x ↦ the nearest value the int8 affine grid holds (what quantize-then-dequantize gives). */
function fakeQuantInput(x: Tensor, p: AffineParams): Tensor {
  const out = new Float32Array(x.size), s = p.scale, z = p.zeroPoint;
  x.data.forEach((v, i) => {
    const q = Math.max(-128, Math.min(127, roundHalfEven(Math.fround(v / s)) + z));
    out[i] = (q - z) * s;
  });
  return new Tensor(out, x.shape);
}

/** W ↦ its per-output-channel symmetric int8 values, dequantized. */
function fakeQuantWeight(w: Tensor): Tensor {
  const channels = w.shape[0]!, k = w.size / channels;
  const { q, scale } = quantizeWeights(w.data, channels, k);
  const out = new Float32Array(w.size);
  for (let i = 0; i < w.size; i++) out[i] = q[i]! * scale[Math.floor(i / k)]!;
  return new Tensor(out, w.shape);
}

/** The straight-through estimator: the forward value of `fq`, the gradient of identity. */
const straightThrough = (x: Tensor, fq: Tensor): Tensor => add(x, sub(fq, x).detach());

/**
 * A Linear or Conv2d trained as it will run in int8: its input and weights are fake-quantized in the
 * forward pass (rounded to the int8 grid, as {@link quantize} will), gradients pass straight through.
 * The input range starts from calibration and follows training batches as a moving average.
 */
export class FakeQuant extends Module {
  /** The observed input range [lo, hi] (its state `observed`, updated in train mode). */
  private readonly observed: Tensor;

  constructor(readonly layer: Linear | Conv2d, initialRange: [number, number]) {
    super();
    this.observed = new Tensor(Float64Array.from(initialRange), [2]);
  }

  override get state(): State {
    return { observed: this.observed };
  }

  override loadState(state: State): void {
    const t = state.observed;
    if (t instanceof Tensor && t !== this.observed) this.observed.data.set(t.data);
  }

  override children(): [string, Module][] {
    return [['layer', this.layer]];
  }

  override get params(): Params {
    return { layer: this.layer.params };
  }

  override set params(p: Params) {
    this.layer.params = childParams(p, 'layer') as typeof this.layer.params;
  }

  /** The observed input range [lo, hi] that quantize() will calibrate close to. */
  inputRange(): [number, number] {
    return [this.observed.data[0]!, this.observed.data[1]!];
  }

  /** Pure: in train mode the moving-average range is returned as the new state `observed`, never written here. */
  run(params: Params, x: Tensor, ctx: ApplyContext): Applied {
    const before = ctx.state?.observed;
    const range = before instanceof Tensor ? [before.data[0]!, before.data[1]!] : this.inputRange();
    let state = ctx.state ?? {};
    if (modeOf(this, ctx) === 'train') {
      const [lo, hi] = noGrad(() => calibrationRange(x.data, 'minmax'));
      range[0] = range[0]! + AVERAGING * (lo - range[0]!);
      range[1] = range[1]! + AVERAGING * (hi - range[1]!);
      state = { ...state, observed: new Tensor(Float64Array.from(range), [2]) };
    }
    const inner = childParams(params, 'layer');
    const w = inner.weight as Tensor;
    const xq = straightThrough(x, fakeQuantInput(x, affineParams(range[0]!, range[1]!)));
    const y = this.layer.apply({ ...inner, weight: straightThrough(w, fakeQuantWeight(w)) }, xq, childContext(ctx, 'layer')).y;
    return { y, state };
  }

  describe(): string {
    return `FakeQuant(${this.layer.describe()})`;
  }

  toJSON(): ModuleJSON {
    throw new ArgumentError('FakeQuant', 'a quantization-aware training wrapper is not saved: train it, then save quantize(model, calibration) or the float model');
  }
}

/**
 * Prepares quantization-aware training: a Sequential sharing `model`'s layers in which every
 * Linear/Conv2d is wrapped in {@link FakeQuant}. Train it with `fit` like any model (the shared
 * layers learn), then `quantize(model, calibration)` the original.
 * @example
 * const qat = prepareQat(model, xTrain);
 * fit({ model: qat, head, optimizer: new Optimizer(adam({ lr: 1e-3 }), qat), x: xTrain, y: yTrain, epochs: 3 });
 * const int8 = quantize(model, narrow(xTrain, 0, 0, 256));
 */
export function prepareQat(model: Module, calibration: Tensor): Sequential {
  const layers = model instanceof Sequential ? model.layers : [model];
  const wasTraining = model.training;
  model.eval();
  try {
    let h = calibration;
    const wrapped = noGrad(() => layers.map((m) => {
      const out = m instanceof Linear || m instanceof Conv2d ? new FakeQuant(m, calibrationRange(h.data, 'minmax')) : m;
      h = m.forward(h);
      return out;
    }));
    return new Sequential(...wrapped).train(wasTraining);
  } finally {
    model.train(wasTraining);
  }
}
