// QuantizedSequential: an int8 inference model — Linear/Conv2d as exact integer products, everything else in float32.
import { Tensor } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { getBackend } from '../backend/registry.js';
import { im2col } from '../ops/conv.js';
import { noGrad } from '../autograd/graph.js';
import { type ApplyContext, Module, type ModuleJSON, type Params } from '../nn/module.js';
import { type AffineParams, packPanels, paddedLength, unpackPanels } from './int8.js';
import type { Int8ChainLayer } from '../backend/js/quant.js';
import { type PlanItem, buildPlan } from './plan.js';

/** A Linear or Conv2d layer with int8 weights and a calibrated int8 input. */
export interface QuantLayerJSON {
  readonly kind: 'linear' | 'conv2d';
  readonly in: number;
  readonly out: number;
  readonly bias: boolean;
  /** conv2d only: [kh, kw], [sh, sw], [ph, pw], [dh, dw]. */
  readonly kernel?: [number, number];
  readonly stride?: [number, number];
  readonly padding?: [number, number];
  readonly dilation?: [number, number];
  /**
   * The calibrated input's affine int8 parameters (scale a float32). Files written before they moved here
   * hold them as the tensors `N.input_scale` / `N.input_zero_point` instead, which still load.
   */
  readonly input?: AffineParams;
}

/** One step of a quantized model: an int8 layer, or a float32 module (activation, pooling, Flatten, ...). */
export type QuantStep = { readonly quant: QuantLayerJSON } | { readonly float: Module };

/** The stored float tensors of an int8 layer besides its weights (held packed: see QuantizedSequential.panels). */
interface LayerState {
  weight_scale: Tensor;
  bias?: Tensor;
  /** Only in files whose layer JSON has no `input` (the earlier layout). */
  input_scale?: Tensor;
  input_zero_point?: Tensor;
}

const fanIn = (l: QuantLayerJSON): number => (l.kind === 'linear' ? l.in : l.in * l.kernel![0] * l.kernel![1]);

/**
 * An int8 model made by {@link quantize}: each Linear/Conv2d multiplies int8 activations by int8
 * weights in exact int32 (the backend's `int8Matmul`: WASM SIMD `i32x4.dot_i16x8_s`, or the JS
 * reference), then rescales to float32 and adds the bias; the other modules run in float32. It is
 * for inference (no gradients): train in float32 (optionally with quantization-aware training) and
 * quantize after. State dict names follow the float model (`0.weight`, `0.bias`) plus
 * `0.weight_scale`; model files store `weight` as I8, and each layer's input scale/zero point in its JSON.
 * @example
 * const q = quantize(model, xTrain.slice(0, 0, 256)); // calibrated on 256 training rows
 * q.forward(x); // ≈ model.forward(x)
 */
export class QuantizedSequential extends Module {
  private readonly states: (LayerState | null)[];
  private plan: PlanItem[] = [];
  /** Each int8 layer's weights, packed once for the kernels (2 bytes a weight; the state dict's `N.weight` is unpacked from them). */
  private readonly panels: (Int16Array | null)[];

  constructor(readonly steps: readonly QuantStep[], readonly calibration: Record<string, unknown> = {}) {
    super();
    this.states = steps.map((s) => ('quant' in s ? emptyState(s.quant) : null));
    this.panels = steps.map((s) => ('quant' in s ? packPanels(new Int8Array(s.quant.out * fanIn(s.quant)), s.quant.out, fanIn(s.quant), paddedLength(fanIn(s.quant))) : null));
    this.repack();
    this.eval();
  }

  /** Sets one int8 layer's tensors (used by quantize(); the input's parameters are in the layer's JSON). */
  setLayer(index: number, state: { q: Int8Array; scale: Float32Array; bias?: ArrayLike<number> }): void {
    const st = this.states[index];
    if (!st) throw new ArgumentError('QuantizedSequential', `step ${index} is not an int8 layer`);
    const l = (this.steps[index] as { quant: QuantLayerJSON }).quant, k = fanIn(l);
    this.panels[index] = packPanels(state.q, l.out, k, paddedLength(k));
    st.weight_scale.data.set(state.scale);
    if (st.bias && state.bias) st.bias.data.set(state.bias);
    this.repack();
  }

  /**
   * The affine parameters of int8 step `index`'s input: from its JSON, or from the tensors of an earlier file.
   * @example model.inputOf(0) // { scale: 0.0039215689, zeroPoint: -128 } (model: a QuantizedSequential)
   */
  inputOf(index: number): AffineParams {
    const s = this.steps[index], st = this.states[index];
    if (!s || !('quant' in s) || !st) throw new ArgumentError('QuantizedSequential', `step ${index} is not an int8 layer`);
    return s.quant.input ?? { scale: st.input_scale!.data[0]!, zeroPoint: st.input_zero_point!.data[0]! };
  }

  override children(): [string, Module][] {
    return this.steps.flatMap((s, i) => ('float' in s ? [[String(i), s.float] as [string, Module]] : []));
  }

  override get params(): Params {
    return {};
  }

  override buffers(): Record<string, Tensor> {
    const out = super.buffers();
    this.states.forEach((st, i) => {
      if (!st) return;
      const l = (this.steps[i] as { quant: QuantLayerJSON }).quant, k = fanIn(l);
      out[`${i}.weight`] = new Tensor(unpackPanels(this.panels[i]!, l.out, k, paddedLength(k)), weightShape(l));
      for (const [name, t] of Object.entries(st)) if (t) out[`${i}.${name}`] = t as Tensor;
    });
    for (const [name, child] of this.children()) for (const [k, t] of Object.entries(child.params)) if (t instanceof Tensor) out[`${name}.${k}`] = t;
    return out;
  }

  /** The safetensors dtype each stored tensor should have: the int8 weights as I8, the rest float. */
  storageDTypes(): Record<string, 'I8'> {
    const out: Record<string, 'I8'> = {};
    this.states.forEach((st, i) => { if (st) out[`${i}.weight`] = 'I8'; });
    return out;
  }

  /** Loads like any module (names and shapes checked); the int8 weights must be integers in [-128, 127] and are packed. */
  override loadStateDict(state: Record<string, Tensor>, strict = true): void {
    super.loadStateDict(state, strict); // the weights land in unpacked copies (discarded): names and shapes are checked
    this.states.forEach((st, i) => {
      if (!st) return;
      const w = state[`${i}.weight`]!.data, l = (this.steps[i] as { quant: QuantLayerJSON }).quant, k = fanIn(l);
      const bad = w.findIndex((v) => !Number.isInteger(v) || v < -128 || v > 127);
      if (bad >= 0) throw new ArgumentError('QuantizedSequential', `"${i}.weight"[${bad}] = ${w[bad]} is not an int8 value`);
      checkLegacyInput(st, i);
      this.panels[i] = packPanels(w, l.out, k, paddedLength(k));
    });
    this.repack();
  }

  /** Packs every int8 layer's weights (panels, int16) once and groups the steps into fused chains. */
  private repack(): void {
    const layers = this.steps.map((s, i): Int8ChainLayer | null => {
      if (!('quant' in s)) return null;
      const st = this.states[i]!, k = fanIn(s.quant), kp = paddedLength(k), n = s.quant.out;
      const colScale = new Float32Array(n);
      for (let c = 0; c < n; c++) colScale[c] = Math.fround(this.inputOf(i).scale * st.weight_scale.data[c]!);
      const bias = st.bias ? Float32Array.from(st.bias.data) : null;
      const input = this.inputOf(i);
      return { k, kp, n, w: this.panels[i]!, colScale, bias, input, act: { kind: 'none' } };
    });
    this.plan = buildPlan(this.steps, layers);
  }

  /** Inference only: float steps run in eval mode (running statistics, no dropout) whatever `ctx.mode`, so nothing changes. */
  run(_params: Params, x: Tensor, _ctx: ApplyContext): Tensor {
    return noGrad(() => {
      let h = x;
      for (const item of this.plan) {
        if (item.kind === 'float') {
          const f = (this.steps[item.index] as { float: Module }).float;
          h = f.apply(f.params, h, { mode: 'eval', state: f.state }).y;
        } else if (item.kind === 'conv') h = this.conv(item.index, item.layer, h);
        else h = this.chain(item.from, item.layers, h);
      }
      return h;
    });
  }

  /** Int8 Linear steps from `from` (their activations fused) on rows [m, in]: one backend call. */
  private chain(from: number, layers: readonly Int8ChainLayer[], x: Tensor): Tensor {
    const first = layers[0]!, last = layers[layers.length - 1]!;
    if (x.rank !== 2 || x.shape[1] !== first.k) throw new ShapeError('QuantizedSequential', `step ${from} (int8 Linear ${first.k}→${first.n}) needs input [N, ${first.k}], got ${fmtShape(x.shape)}`);
    const m = x.shape[0]!;
    return new Tensor(this.product(layers, x.data, m), [m, last.n]);
  }

  private product(layers: readonly Int8ChainLayer[], rows: ArrayLike<number>, m: number): Float32Array {
    const out = new Float32Array(m * layers[layers.length - 1]!.n);
    getBackend().int8Chain(rows instanceof Float32Array ? rows : Float32Array.from(rows), m, layers, out);
    return out;
  }

  /** Conv2d as im2col (on float32 input) then the int8 product per output position. */
  private conv(i: number, layer: Int8ChainLayer, x: Tensor): Tensor {
    const l = (this.steps[i] as { quant: QuantLayerJSON }).quant;
    if (x.rank !== 4 || x.shape[1] !== l.in) throw new ShapeError('QuantizedSequential', `step ${i} (int8 Conv2d ${l.in}→${l.out}) needs input [N, ${l.in}, H, W], got ${fmtShape(x.shape)}`);
    const [n, , h, w] = x.shape as [number, number, number, number];
    const [kh, kw] = l.kernel!, [sh, sw] = l.stride!, [ph, pw] = l.padding!, [dh, dw] = l.dilation!;
    const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1, ow = Math.floor((w + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
    const cols = im2col(x, [kh, kw], { stride: [sh, sw], padding: [ph, pw], dilation: [dh, dw] }).data; // [n, k, oh·ow]
    const k = fanIn(l), pos = oh * ow;
    const rows = new Float32Array(n * pos * k); // [n·oh·ow, k]
    for (let b = 0; b < n; b++) for (let r = 0; r < k; r++) for (let p = 0; p < pos; p++) rows[(b * pos + p) * k + r] = cols[(b * k + r) * pos + p]!;
    const y = this.product([layer], rows, n * pos); // [n·pos, out]
    const out = new Float32Array(n * l.out * pos);
    for (let b = 0; b < n; b++) for (let p = 0; p < pos; p++) for (let c = 0; c < l.out; c++) out[(b * l.out + c) * pos + p] = y[(b * pos + p) * l.out + c]!;
    return new Tensor(out, [n, l.out, oh, ow]);
  }

  describe(): string {
    const layers = this.steps.filter((s) => 'quant' in s).length;
    return `QuantizedSequential(${this.steps.length} steps, ${layers} int8 layers)`;
  }

  toJSON(): ModuleJSON {
    return {
      type: 'QuantizedSequential',
      steps: this.steps.map((s) => ('quant' in s ? { quant: { ...s.quant, ...(s.quant.input ? { input: { ...s.quant.input } } : {}) } } : { float: s.float.toJSON() })),
      calibration: this.calibration,
    };
  }
}

/** The input scale/zero point tensors of an earlier file, when present: an int8 zero point and a positive scale. */
function checkLegacyInput(st: LayerState, i: number): void {
  if (!st.input_scale || !st.input_zero_point) return;
  const z = st.input_zero_point.data[0]!;
  if (!Number.isInteger(z) || z < -128 || z > 127) throw new ArgumentError('QuantizedSequential', `"${i}.input_zero_point" = ${z} is not an int8 value`);
  if (!(st.input_scale.data[0]! > 0)) throw new ArgumentError('QuantizedSequential', `"${i}.input_scale" = ${st.input_scale.data[0]} must be > 0`);
}

const weightShape = (l: QuantLayerJSON): number[] => (l.kind === 'linear' ? [l.out, l.in] : [l.out, l.in, l.kernel![0], l.kernel![1]]);

function emptyState(l: QuantLayerJSON): LayerState {
  return {
    weight_scale: new Tensor(new Float32Array(l.out).fill(1), [l.out]),
    ...(l.bias ? { bias: new Tensor(new Float32Array(l.out), [l.out]) } : {}),
    ...(l.input ? {} : { input_scale: new Tensor(Float32Array.of(1), [1]), input_zero_point: new Tensor(new Float32Array(1), [1]) }),
  };
}
