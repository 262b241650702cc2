// TypeScript side of the WASM matmul: lays out inputs, pack buffers and output in linear memory and calls in.
import type { MatmulParams } from '../backend.js';
import type { MatmulThreadPool } from './threads.js';
import type { ElementwiseExports } from './elementwise.js';
import type { OptimExports } from './optim.js';
import type { InferExports } from './infer.js';
import type { ConvExports } from './conv.js';
import type { ReduceExports } from './reduce.js';
import type { QuantExports } from './quant.js';
import type { ResidentExports } from './resident.js';
import type { NormExports } from './norm.js';
import type { Conv2dExports } from './conv2d.js';
import type { RecurrentExports } from './recurrent.js';

/** The functions the built module exports (see assembly/matmul.as, elementwise.as, optim.as, conv.as, reduce.as, infer.as, quant.as, resident.as, norm.as, conv2d.as and recurrent.as). */
export interface KernelExports extends ElementwiseExports, OptimExports, ConvExports, ReduceExports, InferExports, QuantExports, ResidentExports, NormExports, Conv2dExports, RecurrentExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  packABytes(): number;
  packBBytes(): number;
  /** Thread chunks of rows start on multiples of this (the micro-kernel's panel height). */
  matmulRowBlock(): number;
  matmulRange(
    a: number, b: number, c: number, batch: number, m: number, k: number, n: number, transA: number, transB: number,
    aStride: number, bStride: number, pA: number, pB: number, start: number, end: number,
  ): void;
}

/** Byte offsets of one matmul's regions in linear memory. */
export interface MatmulLayout {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** First byte after the output: per-caller pack buffers go from here. */
  readonly scratch: number;
}

const PAGE = 65536;
const align = (x: number): number => Math.ceil(x / 64) * 64;

/**
 * A scratch region of linear memory that grows on demand and is reused by every call (no per-call
 * allocation inside WASM; pages touched once stay warm).
 */
export class WasmArena {
  /** First byte of the per-call scratch: after the regions kept between calls (see {@link reserve}). */
  base: number;
  /** Where the kept regions start (the scratch's base before any {@link reserve}). */
  readonly start: number;
  constructor(readonly memory: WebAssembly.Memory, base: number) {
    this.base = this.start = align(base);
  }

  /** Keeps `bytes` between calls (resident weights): returns their offset; the scratch moves above them. */
  reserve(bytes: number): number {
    const at = this.base;
    this.base = align(at + bytes);
    this.ensure(this.base);
    return at;
  }


  /** Makes sure bytes [0, end) exist, growing the memory in whole pages. */
  ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    if (end > 2 ** 32) throw new RangeError(`wasm backend: needs ${end} bytes, more than the 4 GiB a wasm32 memory can address`);
    this.memory.grow(Math.ceil((end - have) / PAGE));
  }

  /**
   * Lays out arrays of `lengths` floats one after another from the base (each 64-byte aligned),
   * growing the memory as needed, and copies `inputs[i]` (null: an output) into its place; returns
   * the byte offsets.
   */
  place(lengths: readonly number[], inputs: readonly (Float32Array | null)[]): number[] {
    const at: number[] = [];
    let end = this.base;
    for (const len of lengths) { at.push(end); end += align(len * 4); }
    this.ensure(end);
    const mem = this.f32();
    inputs.forEach((a, i) => { if (a) mem.set(a.length === lengths[i] ? a : a.subarray(0, lengths[i]), at[i]! / 4); });
    return at;
  }

  /** A float32 view of the memory (re-created after every grow, which detaches old views). */
  f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }
}

/** Plans where A, B and C go for a matmul and how many bytes that needs (before pack buffers). */
export function matmulLayout(base: number, aLen: number, bLen: number, cLen: number): MatmulLayout {
  const a = base, b = a + align(aLen * 4), c = b + align(bLen * 4);
  return { a, b, c, scratch: c + align(cLen * 4) };
}

/**
 * When A is batched contiguously, not transposed, and B is shared, the batch is one tall product:
 * `[batch*m, k] @ B` runs as a single matmul with larger tiles and one B packing.
 */
export function foldBatch(p: MatmulParams): MatmulParams {
  if (p.batch > 1 && p.bBatchStride === 0 && !p.transA && p.aBatchStride === p.m * p.k) {
    return { ...p, batch: 1, m: p.batch * p.m, aBatchStride: 0 };
  }
  return p;
}

/**
 * Matmuls with at least this many multiply-adds are split over the worker threads (when there are
 * some): below it a sleeping worker's wake-up (~40 µs here) can cost more than the split saves.
 */
export const THREAD_MIN_FLOPS = 128 * 128 * 128;

/**
 * Runs a float32 matmul in WASM: copy in, compute (split by rows of C over `pool`'s workers and the
 * calling thread when given and worth it), copy out.
 */
export function matmulWasm(
  k: KernelExports, arena: WasmArena, a: Float32Array, b: Float32Array, out: Float32Array, params: MatmulParams, pool?: MatmulThreadPool,
  threadMinFlops = THREAD_MIN_FLOPS,
): void {
  const p = foldBatch(params);
  const rows = p.batch * p.m;
  // Copy only what the product reads and writes (storages may be longer, e.g. pooled buffers).
  const aLen = (p.aBatchStride === 0 ? 0 : (p.batch - 1) * p.aBatchStride) + p.m * p.k;
  const bLen = (p.bBatchStride === 0 ? 0 : (p.batch - 1) * p.bBatchStride) + p.k * p.n;
  const cLen = rows * p.n;
  if (a.length < aLen || b.length < bLen || out.length < cLen) {
    throw new RangeError(`wasm matmul: storages of ${a.length}, ${b.length}, ${out.length} elements are too short for ${JSON.stringify(params)}`);
  }
  const lay = matmulLayout(arena.base, aLen, bLen, cLen);
  const packA = align(k.packABytes()), per = packA + align(k.packBBytes());
  const threaded = pool !== undefined && pool.size > 0 && rows >= 8 * (pool.size + 1) && rows * p.k * p.n >= threadMinFlops;
  arena.ensure(lay.scratch + (threaded ? pool.size + 1 : 1) * per);
  const mem = arena.f32();
  mem.set(aLen === a.length ? a : a.subarray(0, aLen), lay.a / 4);
  mem.set(bLen === b.length ? b : b.subarray(0, bLen), lay.b / 4);
  const args = [lay.a, lay.b, lay.c, p.batch, p.m, p.k, p.n, p.transA ? 1 : 0, p.transB ? 1 : 0, p.aBatchStride, p.bBatchStride];
  const local = (pA: number, pB: number, start: number, end: number): void =>
    k.matmulRange(lay.a, lay.b, lay.c, p.batch, p.m, p.k, p.n, args[7]!, args[8]!, p.aBatchStride, p.bBatchStride, pA, pB, start, end);
  if (threaded) {
    pool.run(args, rows, k.matmulRowBlock(), { base: lay.scratch, per, packB: packA }, local);
  } else {
    local(lay.scratch, lay.scratch + packA, 0, rows);
  }
  out.set(arena.f32().subarray(lay.c / 4, lay.c / 4 + cLen));
}
