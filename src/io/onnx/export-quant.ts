// ONNX export rule of int8 models (QuantizedSequential) as QDQ: QuantizeLinear/DequantizeLinear around float Gemm/Conv.
import { Tensor } from '../../tensor/tensor.js';
import { QuantizedSequential, type QuantLayerJSON } from '../../quant/quantized-model.js';
import type { AddRule, ExportContext } from './exporters.js';
import type { Value } from './builder.js';
import type { AffineParams } from '../../quant/int8.js';

/** The output shape of an int8 layer on input shape `x` (Linear [N, out]; Conv2d [N, out, OH, OW]). */
function layerOutShape(l: QuantLayerJSON, x: readonly number[]): number[] {
  if (l.kind === 'linear') return [x[0]!, l.out];
  const out = [0, 1].map((d) => Math.floor((x[2 + d]! + 2 * l.padding![d]! - l.dilation![d]! * (l.kernel![d]! - 1) - 1) / l.stride![d]!) + 1);
  return [x[0]!, l.out, ...out];
}

/**
 * One int8 layer as QDQ: the input through QuantizeLinear(input_scale, input_zero_point) and
 * DequantizeLinear (per tensor), the INT8 weights through DequantizeLinear(weight_scale, 0, axis 0)
 * (per output channel), then Gemm (transB) or Conv, and an Add of the float32 bias.
 */
function emitLayer(l: QuantLayerJSON, state: Record<string, Tensor>, input: AffineParams, x: Value, path: string, { b, key }: ExportContext): string {
  const xScale = b.weight(key(path, 'input_scale'), new Tensor(Float32Array.of(input.scale), []));
  const xZero = b.int8s(key(path, 'input_zero_point'), [input.zeroPoint], []);
  const [xq] = b.node('QuantizeLinear', [x.name, xScale, xZero], {}, `${path}/input`);
  const [xd] = b.node('DequantizeLinear', [xq!, xScale, xZero], {}, `${path}/input`);
  const w = state.weight!;
  const wq = b.int8s(key(path, 'weight'), w.data, w.shape);
  const wScale = b.weight(key(path, 'weight_scale'), state.weight_scale!);
  const wZero = b.int8s(`const:${path}/weight_zero_point`, new Array<number>(l.out).fill(0), [l.out]);
  const [wd] = b.node('DequantizeLinear', [wq, wScale, wZero], { axis: 0 }, `${path}/weight`);
  const [y] = l.kind === 'linear' ? b.node('Gemm', [xd!, wd!], { transB: 1 }, path)
    : b.node('Conv', [xd!, wd!], { kernel_shape: [...l.kernel!], strides: [...l.stride!], pads: [...l.padding!, ...l.padding!], dilations: [...l.dilation!], group: 1 }, path);
  if (!state.bias) return y!;
  // A separate Add keeps the float32 bias: ONNX Runtime quantizes a Gemm/Conv bias input to int32 (s_x·s_w steps).
  let bias = b.weight(key(path, 'bias'), state.bias);
  if (l.kind === 'conv2d') bias = b.node('Reshape', [bias, b.ints(`${path}/bias_shape`, [l.out, 1, 1])], {}, path)[0]!;
  return b.node('Add', [y!, bias], {}, path)[0]!;
}

/** The steps in order: int8 layers as QDQ, float modules by their own rules (paths `N`, as in the state dict). */
function quantizedRule(m: QuantizedSequential, _params: unknown, x: Value, path: string, ctx: ExportContext): string {
  const stored = m.buffers();
  let h = x;
  m.steps.forEach((s, i) => {
    const at = ctx.key(path, String(i));
    if ('float' in s) {
      h = ctx.emit(s.float, s.float.params, h, at);
      return;
    }
    const state: Record<string, Tensor> = {};
    for (const k of ['weight', 'weight_scale', 'bias']) if (stored[`${i}.${k}`]) state[k] = stored[`${i}.${k}`]!;
    h = { name: emitLayer(s.quant, state, m.inputOf(i), h, at, ctx), shape: layerOutShape(s.quant, h.shape) };
  });
  return h.name;
}

/**
 * Adds the export rule of QuantizedSequential (int8 models from quantize()) to a rule table
 * (exporters.ts builds the table from these lists, so no import is needed for its side effects).
 * @example addQuantRules((ctor, rule) => table.set(ctor, rule));
 */
export function addQuantRules(add: AddRule): void {
  add(QuantizedSequential, quantizedRule);
}
