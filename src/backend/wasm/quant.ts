// TypeScript side of the int8 kernels (assembly/quant.as, quant-chain.as): the exact int32 matmul, and the fused layer chain in one call.
import type { WasmArena } from './kernels.js';
import type { Int8ChainLayer } from '../js/quant.js';

/** The export of assembly/quant.as (absent from modules built before it existed: callers use JS). */
export interface QuantExports {
  int8Matmul?(x: number, w: number, out: number, m: number, kp: number, n: number): void;
  int8Chain?(desc: number, count: number, x: number, m: number, out: number): void;
}

const align = (x: number): number => Math.ceil(x / 64) * 64;

/**
 * Runs out[m, n] = x[m, kp] · w[n, kp]ᵀ (int16 in, exact int32 out) in WASM; false when the module lacks the kernel.
 * @example
 * const x = Int16Array.of(2, 3, 0, 0, 0, 0, 0, 0), w = Int16Array.of(4, -1, 0, 0, 0, 0, 0, 0), out = new Int32Array(1);
 * if (!int8MatmulWasm(exports, arena, x, w, out, 1, 8, 1)) int8MatmulJs(x, w, out, 1, 8, 1);   // out[0] = 5 either way
 */
export function int8MatmulWasm(
  ex: QuantExports & { readonly memory: WebAssembly.Memory }, arena: WasmArena, x: Int16Array, w: Int16Array, out: Int32Array, m: number, kp: number, n: number,
): boolean {
  if (typeof ex.int8Matmul !== 'function' || kp % 8 !== 0) return false;
  const xAt = arena.base, wAt = xAt + align(m * kp * 2), outAt = wAt + align(n * kp * 2);
  arena.ensure(outAt + m * n * 4);
  const buf = ex.memory.buffer;
  new Int16Array(buf, xAt, m * kp).set(x.subarray(0, m * kp));
  new Int16Array(buf, wAt, n * kp).set(w.subarray(0, n * kp));
  ex.int8Matmul(xAt, wAt, outAt, m, kp, n);
  out.set(new Int32Array(ex.memory.buffer, outAt, m * n));
  return true;
}

/** The most linear memory int8 weights keep resident per module; past it, weights are copied in on every call. */
export const RESIDENT_MAX_BYTES = 64 * 2 ** 20;

interface Block { readonly at: number; readonly bytes: number }

/**
 * Panel-packed int8 weights kept in WASM memory between calls (they never change once packed), keyed by
 * the packed array: the first call copies them in, later calls use them in place. A block whose array was
 * garbage-collected is reused for later weights of at most its size.
 */
class ResidentWeights {
  private readonly blocks = new WeakMap<Int16Array, Block>();
  private readonly free: Block[] = [];
  private used = 0;
  private readonly registry = new FinalizationRegistry<Block>((b) => this.free.push(b));

  constructor(private readonly arena: WasmArena) {}

  /** The address of `w` in linear memory, copying it in the first time; null when the budget is spent. */
  place(ex: { readonly memory: WebAssembly.Memory }, w: Int16Array): number | null {
    const known = this.blocks.get(w);
    if (known) return known.at;
    const bytes = w.length * 2;
    const reuse = this.free.findIndex((b) => b.bytes >= bytes);
    let block: Block;
    if (reuse >= 0) block = this.free.splice(reuse, 1)[0]!;
    else if (this.used + bytes <= RESIDENT_MAX_BYTES) {
      block = { at: this.arena.reserve(bytes), bytes };
      this.used += bytes;
    } else return null;
    new Int16Array(ex.memory.buffer, block.at, w.length).set(w);
    this.blocks.set(w, block);
    this.registry.register(w, block);
    return block.at;
  }
}

const residents = new WeakMap<WasmArena, ResidentWeights>();

/** Bytes of one layer record read by assembly/quant-chain.as (12 four-byte fields). */
const DESC = 48;
const ACT_CODES = { none: 0, relu: 1, hardtanh: 2 } as const;

/**
 * Runs a chain of int8 Linear layers (quantize once, each product's epilogue requantizes into the next
 * layer's input, the last writes float32) in one WASM call; false when the module lacks it. The weights
 * stay resident in WASM memory after the first call (see ResidentWeights): never mutate a layer's `w`.
 * @example
 * const w = new Int16Array(32); w[0] = 4; w[1] = -1;
 * const layer = { k: 2, kp: 8, n: 1, w, colScale: Float32Array.of(0.25), bias: Float32Array.of(0.5), input: { scale: 0.5, zeroPoint: 0 }, act: { kind: 'none' } } as const;
 * const out = new Float32Array(1);
 * if (!int8ChainWasm(exports, arena, Float32Array.of(0.5, -1), 1, [layer], out)) int8ChainJs(Float32Array.of(0.5, -1), 1, [layer], out);   // out[0] = 2
 */
export function int8ChainWasm(
  ex: QuantExports & { readonly memory: WebAssembly.Memory }, arena: WasmArena, x: Float32Array, m: number, layers: readonly Int8ChainLayer[], out: Float32Array,
): boolean {
  if (typeof ex.int8Chain !== 'function' || layers.length === 0 || layers.some((l) => l.kp % 8 !== 0)) return false;
  const last = layers[layers.length - 1]!;
  let pool = residents.get(arena);
  if (!pool) residents.set(arena, (pool = new ResidentWeights(arena)));
  const resident = layers.map((l) => pool.place(ex, l.w)); // before the scratch layout: placing may move arena.base
  const descAt = arena.base, xAt = descAt + align(layers.length * DESC), outAt = xAt + align(m * layers[0]!.k * 4);
  let at = outAt + align(m * last.n * 4);
  const places = layers.map((l, i) => {
    const copy = resident[i] === null, w = copy ? at : resident[i]!, s = copy ? w + align(l.w.length * 2) : at;
    const b = s + align(l.n * 4), xq = b + align(l.n * 4);
    at = xq + align(m * l.kp * 2);
    return { w, s, b, xq, copy };
  });
  arena.ensure(at);
  const buf = ex.memory.buffer, i32 = new Int32Array(buf, descAt, layers.length * 12), f32 = new Float32Array(buf, descAt, layers.length * 12);
  layers.forEach((l, i) => {
    const p = places[i]!, d = i * 12;
    if (p.copy) new Int16Array(buf, p.w, l.w.length).set(l.w);
    new Float32Array(buf, p.s, l.n).set(l.colScale.subarray(0, l.n));
    if (l.bias) new Float32Array(buf, p.b, l.n).set(l.bias.subarray(0, l.n));
    i32.set([l.k, l.kp, l.n, p.w, p.s, l.bias ? p.b : 0], d);
    f32[d + 6] = l.input.scale;
    i32[d + 7] = l.input.zeroPoint;
    i32[d + 8] = ACT_CODES[l.act.kind];
    f32[d + 9] = l.act.kind === 'hardtanh' ? l.act.lo : 0;
    f32[d + 10] = l.act.kind === 'hardtanh' ? l.act.hi : 0;
    i32[d + 11] = p.xq;
  });
  new Float32Array(buf, xAt, m * layers[0]!.k).set(x.subarray(0, m * layers[0]!.k));
  ex.int8Chain(descAt, layers.length, xAt, m, outAt);
  out.set(new Float32Array(ex.memory.buffer, outAt, m * last.n));
  return true;
}
