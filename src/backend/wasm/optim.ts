// TypeScript side of the WASM kernel of the declared Adam rule (optim/rules/adam.ts): copy the leaf, gradient and moments in, call, copy out.
import type { Storage } from '../../core/dtype.js';
import type { BackendRuleKernel } from '../../optim/rule.js';
import type { WasmArena } from './kernels.js';

/** The optimizer kernel the built module exports (see assembly/optim.as). */
export interface OptimExports {
  adamStep(
    p: number, g: number, m: number, v: number, n: number, hasGrad: number,
    c1: number, b2: number, c2: number, eps: number, wd: number, bc1: number, bc2: number, negLr: number,
  ): void;
}

const align = (x: number): number => Math.ceil(x / 64) * 64;

/** Elements per call of the kernel: four 32 KiB arrays in linear memory (within L2). */
const ADAM_CHUNK = 8192;
const f32 = (x: Storage | null | undefined): x is Float32Array => x instanceof Float32Array;

/**
 * The Adam rule's kernel for float32 leaves of at least `minLength` elements, without AMSGrad or
 * AdamW's decoupled decay (it declines those: the rule's JS kernel runs). The rule's float64
 * constants are rounded to float32 where they cross into WASM, as the JS kernel rounds them.
 * @example const ruleKernels = { adam: adamRuleKernel(exports, arena, 256) };   // a Backend's ruleKernels, as createWasmBackend builds them
 */
export function adamRuleKernel(k: OptimExports, arena: WasmArena, minLength: number): BackendRuleKernel {
  return (hyper, p, g, [m0, v0], [m, v], [c1, b2, c2, eps, wd, bc1, bc2, negLr]) => {
    if (hyper.amsgrad === true || hyper.decoupledWeightDecay !== 0 || p.length < minLength) return false;
    if (!f32(p) || !(g === null || f32(g)) || !f32(m0) || !f32(v0) || !f32(m) || !f32(v)) return false;
    // In chunks that stay in cache: the copies in and out then cost about what an in-place kernel's
    // own reads and writes would (one pass over the whole leaf's five arrays spilled the caches).
    const chunk = Math.min(ADAM_CHUNK, p.length), bytes = align(chunk * 4);
    const po = arena.base, go = po + bytes, mo = go + bytes, vo = mo + bytes;
    arena.ensure(vo + bytes);
    const mem = arena.f32();
    for (let at = 0; at < p.length; at += chunk) {
      const n = Math.min(chunk, p.length - at), end = at + n;
      mem.set(p.subarray(at, end), po / 4);
      if (g === null) mem.fill(0, go / 4, go / 4 + n);
      else mem.set(g.subarray(at, end), go / 4);
      mem.set(m0.subarray(at, end), mo / 4);
      mem.set(v0.subarray(at, end), vo / 4);
      k.adamStep(po, go, mo, vo, n, g === null ? 0 : 1, c1!, b2!, c2!, eps!, wd!, bc1!, bc2!, negLr!);
      if (g !== null) p.set(mem.subarray(po / 4, po / 4 + n), at);
      m.set(mem.subarray(mo / 4, mo / 4 + n), at);
      v.set(mem.subarray(vo / 4, vo / 4 + n), at);
    }
    return true;
  };
}
