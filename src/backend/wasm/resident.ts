// TypeScript side of resident packed weights (assembly/resident.as): Linear weights packed once into WASM memory, repacked when they change.
import { storageVersion, unwatchStorage, watchStorage } from '../../core/storage-version.js';
import type { LinearAct } from '../backend.js';
import type { WasmArena } from './kernels.js';
import { actCode, type LinearActLimits } from './infer.js';

/** The exports of assembly/resident.as (absent from modules built before it: the backend then copies per call). */
export interface ResidentExports {
  residentBytes?(k: number, n: number): number;
  residentPack?(w: number, k: number, n: number, dst: number): void;
  residentLinear?(x: number, pw: number, b: number, out: number, m: number, k: number, n: number, act: number, p: number, q: number, tmp: number): void;
}

/** Rows up to which the product runs over resident panels (one-sample inference); more rows use the packed matmul. */
export const RESIDENT_MAX_ROWS = 4;
/** Weights with fewer elements are copied per call (cheap there), never kept. */
export const RESIDENT_MIN_WEIGHTS = 16384;
/** Resident bytes kept at most: past it every kept region is dropped and packing starts over. */
export const RESIDENT_MAX_BYTES = 64 * 2 ** 20;
/** Weight storages tracked at most (seen once or packed) before the same reset. */
const MAX_ENTRIES = 256;

interface Entry {
  readonly k: number;
  readonly n: number;
  /** Version of the storage when last seen (core/storage-version.ts). */
  version: number;
  /** Offset of the packed panels, -1 before the first packing. */
  ptr: number;
  /** Bytes of the block at `ptr` (0 before the first packing). */
  bytes: number;
  /** True while the panels at `ptr` hold the values of `version`. */
  packed: boolean;
}

const align = (x: number): number => Math.ceil(x / 64) * 64;

/**
 * How often weights were packed into resident memory and how often a product ran over them (all
 * WASM backend instances together): what tests and benchmarks read to see the path taken.
 * @example const before = residentCounters.packs; const packedSince = (): number => residentCounters.packs - before;
 */
export const residentCounters = { packs: 0, hits: 0 };

/**
 * The resident weights of one WASM backend instance. A storage is packed the second time it is seen
 * with the same version (a weight that changes between every pair of calls, as in training, is never
 * packed) and used while its version holds; any `Tensor.data` read of its buffer bumps the version.
 * @example const panels = new ResidentWeights(exports, arena).panels(w, 784, 256); // -1 on the first sight
 */
export class ResidentWeights {
  private readonly entries = new Map<Float32Array, Entry>();
  /** Bytes reserved from the arena so far (kept for good; reused through `free`). */
  private bytes = 0;
  private readonly free: Array<{ readonly at: number; readonly bytes: number }> = [];

  constructor(private readonly ex: ResidentExports, private readonly arena: WasmArena) {}

  /** Offset of w's current packed panels, or -1 (first sight, changed since the last call, or not kept). */
  panels(w: Float32Array, k: number, n: number): number {
    const ex = this.ex;
    if (!ex.residentPack || !ex.residentBytes || w.length !== n * k) return -1;
    const v = storageVersion(w);
    const e = this.entries.get(w);
    if (e === undefined || v === undefined) {
      if (e === undefined && this.entries.size >= MAX_ENTRIES) this.reset();
      const version = watchStorage(w);
      if (version === undefined) return -1; // a frozen buffer carries no version: never kept
      if (e) Object.assign(e, { version, packed: false });
      else this.entries.set(w, { k, n, version, ptr: -1, bytes: 0, packed: false });
      return -1;
    }
    if (e.k !== k || e.n !== n) return -1;
    if (e.version !== v) {
      e.version = v;
      e.packed = false;
      return -1;
    }
    if (!e.packed && !this.pack(w, e)) return -1;
    return e.ptr;
  }

  /**
   * Forgets every kept storage; their blocks go to the free list for later weights. Reserved memory is
   * never handed back to the arena: other kernels (the int8 chain's resident weights) reserve above it.
   */
  reset(): void {
    for (const [w, e] of this.entries) {
      unwatchStorage(w);
      if (e.ptr >= 0) this.free.push({ at: e.ptr, bytes: e.bytes });
    }
    this.entries.clear();
  }

  /** Packs w into its block (placing one first); false when no block fits within the budget even after a reset. */
  private pack(w: Float32Array, e: Entry): boolean {
    const need = this.ex.residentBytes!(e.k, e.n);
    if (e.ptr < 0 && !this.place(e, need)) {
      this.reset();
      this.entries.set(w, e);
      e.version = watchStorage(w)!;
      if (!this.place(e, need)) return false;
    }
    const src = this.arena.base;
    this.arena.ensure(src + w.length * 4);
    this.arena.f32().set(w, src / 4);
    this.ex.residentPack!(src, e.k, e.n, e.ptr);
    e.packed = true;
    residentCounters.packs++;
    return true;
  }

  /** Gives e a block of at least `need` bytes: a freed one, or newly reserved while under the budget. */
  private place(e: Entry, need: number): boolean {
    const i = this.free.findIndex((b) => b.bytes >= need);
    if (i >= 0) {
      const b = this.free.splice(i, 1)[0]!;
      Object.assign(e, { ptr: b.at, bytes: b.bytes });
      return true;
    }
    if (this.bytes + need > RESIDENT_MAX_BYTES) return false;
    Object.assign(e, { ptr: this.arena.reserve(need), bytes: need });
    this.bytes += need;
    return true;
  }
}

/** Runs the unary or parametrised activation the eager path would run after the matmul (on whichever kernels it picks). */
export type ActAfter = (act: LinearAct, out: Float32Array) => void;

/**
 * out = act(x @ wᵀ + b) over w's resident panels, for a few rows: true when done, false (nothing
 * done) when w is not resident now (the caller then takes the copying path). Where the eager path
 * would run the activation on the JS kernels, the product and bias run here and `after` applies it.
 * @example if (!residentLinearWasm(exports, arena, new ResidentWeights(exports, arena), x, w, b, out, 1, 784, 256, null, limits, () => {})) composeInstead();
 */
export function residentLinearWasm(
  ex: ResidentExports, arena: WasmArena, resident: ResidentWeights, x: Float32Array, w: Float32Array, b: Float32Array | null,
  out: Float32Array, m: number, k: number, n: number, act: LinearAct | null, limits: LinearActLimits, after: ActAfter,
): boolean {
  if (!ex.residentLinear || m > RESIDENT_MAX_ROWS || k === 0 || n * k < RESIDENT_MIN_WEIGHTS || m * k * n < limits.minFlops) return false;
  const pw = resident.panels(w, k, n);
  if (pw < 0) return false;
  const fused = actCode(act, m * n, limits, true);
  const xo = arena.base, bo = xo + align(m * k * 4), oo = bo + align(n * 4), tmp = oo + align(m * n * 4);
  arena.ensure(tmp + 32 * 4);
  const mem = arena.f32();
  mem.set(x.length === m * k ? x : x.subarray(0, m * k), xo / 4);
  if (b) mem.set(b.length === n ? b : b.subarray(0, n), bo / 4);
  const [p, q] = act?.kind === 'param' ? [act.p, act.q] : [0, 0];
  residentCounters.hits++;
  ex.residentLinear(xo, pw, b ? bo : 0, oo, m, k, n, fused ?? -1, p, q, tmp);
  out.set(mem.subarray(oo / 4, oo / 4 + m * n));
  if (fused === null && act !== null) after(act, out);
  return true;
}
