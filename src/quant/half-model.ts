// HalfModel: a float16/bfloat16 model that stays 16-bit in memory, its weights widened to float32 a layer (or a block of a Linear's rows) at a time while it runs.
import { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { type HalfFormat, unpackHalf } from '../core/half.js';
import { noGrad } from '../autograd/graph.js';
import { linear } from '../ops/matmul.js';
import { entries, map } from '../tree/tree.js';
import { type ApplyContext, Module, type ModuleJSON, type Params } from '../nn/module.js';
import { Sequential } from '../nn/containers.js';
import { Linear } from '../nn/linear.js';
import type { SafetensorsHeader } from '../io/safetensors-header.js';

/** The most float32 weights widened at once: a Linear larger than this runs in blocks of output rows (256 KiB). */
export const HALF_BLOCK_FLOATS = 65536;

interface HalfLeaf {
  readonly bits: Uint16Array;
  readonly shape: readonly number[];
}

/** One layer: its parameter tree with 1-element placeholders (the structure only), and each leaf's 16 bits by path. */
interface HalfLayer {
  readonly module: Module;
  readonly template: Params;
  readonly leaves: ReadonlyMap<string, HalfLeaf>;
}

const placeholder = (): Tensor => new Tensor(new Float32Array(1), [1]);

/**
 * A Sequential model whose parameters are held as float16 (or bfloat16) bits — 2 bytes each instead of
 * 4 — and widened to float32 (exactly) only for the layer that is running: a Linear layer in blocks of at
 * most {@link HALF_BLOCK_FLOATS} weights, any other layer whole. Buffers (BatchNorm statistics) stay
 * float32. For inference: `forward` runs in eval mode; it is never captured (train/compile.ts), as its
 * widening runs in JS between the kernels. Outputs equal the widened model's up to float32 summation order.
 * @example
 * const m = new HalfModel(seq, weights, 'float16'); // weights: a Uint16Array of float16 bits per state-dict name of seq's parameters
 * m.forward(x); m.parameterBytes(); // ≈ half of seq's float32 parameters
 */
export class HalfModel extends Module {
  /** Tells train/compile.ts never to capture this model. */
  readonly uncaptured = true;
  private readonly layers: readonly HalfLayer[];

  /** Takes over `inner`: its float32 parameter tensors are dropped (only the bits are kept). */
  constructor(private readonly inner: Sequential, bits: Readonly<Record<string, Uint16Array>>, readonly format: HalfFormat) {
    super();
    this.layers = inner.layers.map((module, i) => {
      const leaves = new Map<string, HalfLeaf>();
      for (const [path, t] of entries(module.params)) {
        const b = bits[`${i}.${path}`];
        if (!b || b.length !== t.size) throw new ArgumentError('HalfModel', `parameter "${i}.${path}" needs ${t.size} ${format} values, got ${b ? b.length : 'none'}`);
        leaves.set(path, { bits: b, shape: [...t.shape] });
      }
      const template = map(module.params, placeholder);
      module.params = template;
      return { module, template, leaves };
    });
    void inner.params; // refreshes the Sequential's cached tree, which still held the float32 tensors
    inner.eval();
    this.eval();
  }

  /** Bytes the parameters hold between calls (their 16-bit storage). @example m.parameterBytes() // 470292 for 784-256-128-10 */
  parameterBytes(): number {
    let n = 0;
    for (const l of this.layers) for (const leaf of l.leaves.values()) n += leaf.bits.byteLength;
    return n;
  }

  override get params(): Params {
    return {};
  }

  /** The state dict widened to float32 (saving a HalfModel with weightsDType float16 writes the same bits back). */
  override stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    this.layers.forEach((l, i) => { for (const [path] of l.leaves) out[`${i}.${path}`] = this.widen(l, path); });
    return { ...out, ...this.inner.buffers() };
  }

  override loadStateDict(): void {
    throw new ArgumentError('HalfModel', 'a HalfModel is read from a float16 model file; load new weights into a float32 model (loadModel without keepHalf) instead');
  }

  private widen(l: HalfLayer, path: string): Tensor {
    const leaf = l.leaves.get(path)!;
    return new Tensor(unpackHalf(leaf.bits, this.format), leaf.shape);
  }

  /** Inference only: every layer in eval mode, whatever `ctx.mode`. */
  run(_params: Params, x: Tensor, _ctx: ApplyContext): Tensor {
    return noGrad(() => this.layers.reduce((h, l) => this.runLayer(l, h), x));
  }

  private runLayer(l: HalfLayer, x: Tensor): Tensor {
    const w = l.leaves.get('weight');
    if (l.module instanceof Linear && w && w.shape.length === 2 && x.rank === 2 && w.bits.length > HALF_BLOCK_FLOATS) return this.blockedLinear(l, x);
    const params = map(l.template, (_, path) => this.widen(l, path));
    return l.module.apply(params, x, { mode: 'eval', state: l.module.state }).y;
  }

  /** A large Linear: y[:, c0:c1] = x · W[c0:c1]ᵀ + b[c0:c1], each block of rows widened when it is used. */
  private blockedLinear(l: HalfLayer, x: Tensor): Tensor {
    const w = l.leaves.get('weight')!, b = l.leaves.get('bias');
    const [outF, inF] = w.shape as [number, number], m = x.shape[0]!;
    const rows = Math.max(1, Math.floor(HALF_BLOCK_FLOATS / inF));
    const out = new Float32Array(m * outF);
    for (let c0 = 0; c0 < outF; c0 += rows) {
      const c1 = Math.min(outF, c0 + rows), width = c1 - c0;
      const wBlock = new Tensor(unpackHalf(w.bits.subarray(c0 * inF, c1 * inF), this.format), [width, inF]);
      const bBlock = b ? new Tensor(unpackHalf(b.bits.subarray(c0, c1), this.format), [width]) : undefined;
      const y = linear(x, wBlock, bBlock).data;
      for (let r = 0; r < m; r++) for (let c = 0; c < width; c++) out[r * outF + c0 + c] = y[r * width + c]!;
    }
    return new Tensor(out, [m, outF]);
  }

  describe(): string {
    return `HalfModel(${this.format}, ${this.inner.describe()})`;
  }

  /** The architecture of the float model it holds (a HalfModel is a way of loading a file, not a saved type). */
  toJSON(): ModuleJSON {
    return this.inner.toJSON();
  }
}

/** The 16 bits of each value of a little-endian F16/BF16 tensor's bytes, as a Uint16Array of its own. */
function bitsOf(raw: Uint8Array): Uint16Array {
  const out = new Uint16Array(raw.length / 2);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = v.getUint16(2 * i, true);
  return out;
}

/**
 * The loaded model as a {@link HalfModel} when that keeps it 16-bit: a Sequential whose parameters are all
 * F16 (or all BF16) in the file; otherwise null (the caller keeps the widened float32 model).
 * @example const half = keepHalfModel(module, bytes, header) ?? module;
 */
export function keepHalfModel(module: Module, bytes: Uint8Array, header: SafetensorsHeader): HalfModel | null {
  if (!(module instanceof Sequential)) return null;
  const names = new Set(entries(module.params).map(([name]) => name));
  const stored = header.entries.filter((e) => names.has(e.name));
  const dtype = stored[0]?.dtype;
  if ((dtype !== 'F16' && dtype !== 'BF16') || stored.length !== names.size || stored.some((e) => e.dtype !== dtype)) return null;
  const bits = Object.fromEntries(stored.map((e) => [e.name, bitsOf(bytes.subarray(header.dataStart + e.begin, header.dataStart + e.end))]));
  return new HalfModel(module, bits, dtype === 'F16' ? 'float16' : 'bfloat16');
}
