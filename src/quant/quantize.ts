// Post-training int8 quantization: calibrate activation ranges on a few hundred rows, quantize Linear/Conv2d weights per channel.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { noGrad } from '../autograd/graph.js';
import type { Module } from '../nn/module.js';
import { Sequential } from '../nn/containers.js';
import { Linear } from '../nn/linear.js';
import { Conv2d } from '../nn/conv.js';
import { moduleFromJSON } from '../nn/registry.js';
import { type CalibrationMethod, affineParams, calibrationRange, quantizeWeights } from './int8.js';
import { QuantizedSequential, type QuantLayerJSON, type QuantStep } from './quantized-model.js';

/** Options of {@link quantize}. */
export interface QuantizeOptions {
  /** How activation ranges are read from the calibration rows: 'minmax' (default) or `{ percentile: 99.99 }`. */
  calibration?: CalibrationMethod;
}

/**
 * Quantizes a trained float model for int8 inference (post-training quantization): Linear and
 * Conv2d weights become per-output-channel symmetric int8, each of their inputs a per-tensor affine
 * int8 whose range is calibrated on `calibration` rows (a few hundred training rows, never test rows);
 * activations, pooling, Flatten, Dropout (identity) and BatchNorm (eval statistics) stay float32.
 * The model must be a Sequential (an MLP or a conv stack) of such modules, or a single Linear.
 * @example
 * const q = quantize(model, xTrain.slice(0, 0, 256), { calibration: { percentile: 99.99 } });
 * q.forward(xTest); // int8 products, float32 in between
 */
export function quantize(model: Module, calibration: Tensor, options: QuantizeOptions = {}): QuantizedSequential {
  checkOptions('quantize', options, ['calibration']);
  const method = options.calibration ?? 'minmax';
  if (method !== 'minmax' && (typeof method !== 'object' || method === null || typeof method.percentile !== 'number')) {
    throw new ArgumentError('quantize', `calibration must be 'minmax' or { percentile: p }, got ${JSON.stringify(method)}`);
  }
  const layers = model instanceof Sequential ? model.layers : [model];
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => build(layers, calibration, method));
  } finally {
    model.train(wasTraining);
  }
}

function build(layers: readonly Module[], calibration: Tensor, method: CalibrationMethod): QuantizedSequential {
  if (calibration.shape[0] === 0) throw new ArgumentError('quantize', 'the calibration tensor has no rows; pass a few hundred training rows');
  const steps: QuantStep[] = [];
  const fills: { index: number; module: Linear | Conv2d }[] = [];
  let h = calibration;
  layers.forEach((m, i) => {
    if (m instanceof Linear || m instanceof Conv2d) {
      steps.push({ quant: { ...layerJSON(m, i), input: affineParams(...calibrationRange(h.data, method)) } });
      fills.push({ index: i, module: m });
    } else {
      rejectNestedLayers(m, String(i));
      steps.push({ float: copyOf(m) });
    }
    h = m.forward(h);
  });
  const q = new QuantizedSequential(steps, { method, rows: calibration.shape[0] });
  for (const f of fills) {
    const w = f.module.params.weight as Tensor, b = f.module.params.bias as Tensor | undefined;
    const channels = w.shape[0]!;
    const { q: qw, scale } = quantizeWeights(w.data, channels, w.size / channels);
    q.setLayer(f.index, { q: qw, scale, ...(b ? { bias: b.data } : {}) });
  }
  return q;
}

function layerJSON(m: Linear | Conv2d, i: number): QuantLayerJSON {
  if (m instanceof Linear) {
    if ((m.params.weight as Tensor).rank !== 2) throw new ArgumentError('quantize', `layer ${i}: a Linear with per-sample weights cannot be quantized`);
    return { kind: 'linear', in: m.inFeatures, out: m.outFeatures, bias: 'bias' in m.params };
  }
  if (m.groups !== 1) throw new ArgumentError('quantize', `layer ${i}: Conv2d with groups=${m.groups} is not supported by int8 quantization (groups=1 only)`);
  const [kh, kw] = m.kernelSize, [dh, dw] = m.dilation;
  let padding: [number, number];
  if (m.padding === 'same') {
    if ((dh * (kh - 1)) % 2 !== 0 || (dw * (kw - 1)) % 2 !== 0) throw new ArgumentError('quantize', `layer ${i}: Conv2d padding 'same' with an even kernel pads unevenly; int8 quantization needs symmetric padding`);
    padding = [(dh * (kh - 1)) / 2, (dw * (kw - 1)) / 2];
  } else padding = m.padding;
  return { kind: 'conv2d', in: m.inChannels, out: m.outChannels, bias: 'bias' in m.params, kernel: [kh, kw], stride: m.stride, padding, dilation: m.dilation };
}

/** A module kept in float32 must not hide Linear/Conv2d layers, which would silently stay unquantized. */
function rejectNestedLayers(m: Module, path: string): void {
  for (const [name, child] of m.children()) {
    const at = `${path}.${name}`;
    if (child instanceof Linear || child instanceof Conv2d) {
      throw new ArgumentError('quantize', `module ${at} (${child.describe()}) sits inside ${m.describe()}; int8 quantization supports a flat Sequential of Linear/Conv2d and float modules`);
    }
    rejectNestedLayers(child, at);
  }
}

/** An independent copy (same architecture and state) so the quantized model shares nothing with the float one. */
function copyOf(m: Module): Module {
  const c = moduleFromJSON(m.toJSON());
  c.loadStateDict(m.stateDict());
  return c.eval();
}
