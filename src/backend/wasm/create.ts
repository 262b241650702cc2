// Builds the WASM SIMD backend object: float32 matmul, common elementwise ops, sums and im2col/col2im in WebAssembly; the rest on the JS kernels.
import type { Backend, BinaryOp, BroadcastPlan, LinearAct, MatmulParams, UnaryOp } from '../backend.js';
import type { Storage } from '../../core/dtype.js';
import { jsBackend } from '../js/index.js';
import { hasSharedMemory, loadWasmModule } from './load.js';
import { matmulWasm, THREAD_MIN_FLOPS, WasmArena, type KernelExports } from './kernels.js';
import { MatmulThreadPool } from './threads.js';
import { BINARY_CODES, binaryWasm, PARAM_CODES, paramWasm, UNARY_CODES, unaryWasm } from './elementwise.js';
import { adamRuleKernel } from './optim.js';
import { int8ChainWasm, int8MatmulWasm } from './quant.js';
import { linearActWasm } from './infer.js';
import { ResidentWeights, residentLinearWasm } from './resident.js';
import { col2imWasm, im2colWasm, maxPoolGradWasm, maxPoolIndexWasm, maxPoolWasm } from './conv.js';
import { reduceSumWasm } from './reduce.js';
import { batchNormGradWasm, batchNormReluGradWasm, batchNormReluPoolGradWasm, batchNormReluPoolWasm, batchNormStatsWasm, batchNormWasm } from './norm.js';
import { conv2dGradWasm, conv2dWasm } from './conv2d.js';
import { lstmCellGradWasm, lstmCellWasm } from './recurrent.js';

/**
 * Matmuls with fewer multiply-adds than this stay in JS: below it, copying operands into WASM
 * memory and the call itself cost about as much as the product (measured with bench/matmul.ts).
 */
export const WASM_MATMUL_MIN_FLOPS = 16 * 16 * 16;

/** Elementwise ops on fewer elements stay in JS: around 256 the call and copies eat the gain (bench/elementwise.ts). */
export const WASM_ELEMENTWISE_MIN = 256;

/** Tuning and wiring of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /** Matmuls with fewer multiply-adds run on the JS kernels (default {@link WASM_MATMUL_MIN_FLOPS}). */
  readonly minFlops?: number;
  /** Elementwise ops on fewer elements run on the JS kernels (default {@link WASM_ELEMENTWISE_MIN}). */
  readonly elementwiseMin?: number;
  /** Matmuls with fewer multiply-adds stay on the calling thread (default {@link THREAD_MIN_FLOPS}). */
  readonly threadMinFlops?: number;
  /** Worker threads sharing the kernels' memory (see {@link createThreadedWasmBackend}). */
  readonly pool?: MatmulThreadPool;
  /** The memory the kernels use when it is imported rather than exported (the threaded build). */
  readonly memory?: WebAssembly.Memory;
}

/**
 * Builds the backend object around one instantiated kernels module: float32 matmul and the common
 * elementwise ops, sum reductions, im2col/col2im in WASM; float64, max, log-softmax and the rarer ops on the JS kernels.
 * @example const wasm = createWasmBackend(instance.exports as unknown as KernelExports, { minFlops: 0 });
 */
export function createWasmBackend(exports: KernelExports, options: WasmBackendOptions = {}): Backend {
  const { minFlops = WASM_MATMUL_MIN_FLOPS, threadMinFlops = THREAD_MIN_FLOPS, elementwiseMin = WASM_ELEMENTWISE_MIN, pool } = options;
  const base = exports.heapBase() + (pool ? MatmulThreadPool.controlBytes(pool.size) : 0);
  const arena = new WasmArena(options.memory ?? exports.memory, base);
  const resident = new ResidentWeights(exports, arena);
  const backend: Backend = {
    name: 'wasm',
    unary(op: UnaryOp, x: Storage, out: Storage): void {
      const code = UNARY_CODES[op];
      if (code === undefined || x.length < elementwiseMin || !(x instanceof Float32Array && out instanceof Float32Array)) return jsBackend.unary(op, x, out);
      unaryWasm(exports, arena, code, x, out);
    },
    binary(op: BinaryOp, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void {
      const code = BINARY_CODES[op];
      const f32 = a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array;
      if (code === undefined || out.length < elementwiseMin || !f32 || !binaryWasm(exports, arena, code, a, b, out, plan)) {
        jsBackend.binary(op, a, b, out, plan);
      }
    },
    unaryParam(op, x, out, p, q): void {
      if (x.length < elementwiseMin || !(x instanceof Float32Array && out instanceof Float32Array) || typeof exports.unaryParam !== 'function') {
        return jsBackend.unaryParam(op, x, out, p, q);
      }
      paramWasm(exports, arena, PARAM_CODES[op], null, x, out, p, q);
    },
    gradParam(op, g, x, out, p, q): void {
      const f32 = g instanceof Float32Array && x instanceof Float32Array && out instanceof Float32Array;
      if (x.length < elementwiseMin || !f32 || typeof exports.gradParam !== 'function') return jsBackend.gradParam(op, g, x, out, p, q);
      paramWasm(exports, arena, PARAM_CODES[op], g, x, out, p, q);
    },
    reduce(op, x, out, plan): void {
      // Max stays on JS (its -0/+0 tie rule is the reference's, not f32x4.max's).
      if (op !== 'sum' || x.length < elementwiseMin || !(x instanceof Float32Array && out instanceof Float32Array) || typeof exports.reduceSum !== 'function') return jsBackend.reduce(op, x, out, plan);
      reduceSumWasm(exports, arena, x, out, plan);
    },
    logSoftmax: jsBackend.logSoftmax,
    // Declared optimizer rules with a WASM kernel (a module built before the kernel existed lacks the export).
    ruleKernels: typeof exports.adamStep === 'function' ? { adam: adamRuleKernel(exports, arena, elementwiseMin) } : {},
    matmul(a: Storage, b: Storage, out: Storage, p: MatmulParams): void {
      const f32 = a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array;
      if (!f32 || p.batch * p.m * p.k * p.n < minFlops) return jsBackend.matmul(a, b, out, p);
      matmulWasm(exports, arena, a, b, out, p, pool, threadMinFlops);
    },
    linearAct(x, w, b, out, m, k, n, act): boolean {
      const f32 = x instanceof Float32Array && w instanceof Float32Array && out instanceof Float32Array && (b === null || b instanceof Float32Array);
      // Matmuls the eager path splits over worker threads stay there (the caller composes them).
      const threaded = pool !== undefined && pool.size > 0 && m >= 8 * (pool.size + 1) && m * k * n >= threadMinFlops;
      if (!f32 || threaded) return false;
      const bias = b as Float32Array | null, limits = { minFlops, elementwiseMin };
      // A few rows (one sample) run over the weights kept packed in WASM memory while they are unchanged.
      return residentLinearWasm(exports, arena, resident, x, w, bias, out, m, k, n, act, limits, after)
        || linearActWasm(exports, arena, x, w, bias, out, m, k, n, act, limits);
    },
    im2col(x, out, shape, g, padValue): void {
      if (!(x instanceof Float32Array && out instanceof Float32Array) || out.length < elementwiseMin || typeof exports.im2col !== 'function') return jsBackend.im2col(x, out, shape, g, padValue);
      im2colWasm(exports, arena, x, out, shape, g, padValue);
    },
    col2im(cols, out, shape, g): void {
      if (!(cols instanceof Float32Array && out instanceof Float32Array) || cols.length < elementwiseMin || typeof exports.col2im !== 'function') return jsBackend.col2im(cols, out, shape, g);
      col2imWasm(exports, arena, cols, out, shape, g);
    },
    maxPoolIndex(x, index, shape, g, oh, ow): void {
      if (!(x instanceof Float32Array) || x.length < elementwiseMin || typeof exports.maxPoolIndex !== 'function') return jsBackend.maxPoolIndex(x, index, shape, g, oh, ow);
      maxPoolIndexWasm(exports, arena, x, index, shape, g, oh, ow);
    },
    maxPool(x, index, out, shape, g, oh, ow): void {
      if (!(x instanceof Float32Array && out instanceof Float32Array) || x.length < elementwiseMin || typeof exports.maxPool !== 'function') return jsBackend.maxPool(x, index, out, shape, g, oh, ow);
      maxPoolWasm(exports, arena, x, index, out, shape, g, oh, ow);
    },
    maxPoolGrad(g, index, gx): void {
      if (!(g instanceof Float32Array && gx instanceof Float32Array) || gx.length < elementwiseMin || typeof exports.maxPoolGrad !== 'function') return jsBackend.maxPoolGrad(g, index, gx);
      maxPoolGradWasm(exports, arena, g, index, gx);
    },
    conv2d(x, w, b, out, shape, o, g): void {
      const f32 = x instanceof Float32Array && w instanceof Float32Array && out instanceof Float32Array && (b === null || b instanceof Float32Array);
      if (!f32 || out.length < elementwiseMin || typeof exports.conv2dForward !== 'function') return jsBackend.conv2d(x, w, b, out, shape, o, g);
      conv2dWasm(exports, arena, x, w, b as Float32Array | null, out, shape, o, g);
    },
    conv2dGrad(dy, x, w, gx, gw, gb, shape, o, g): void {
      const f32 = [dy, x, w].every((a) => a instanceof Float32Array) && [gx, gw, gb].every((a) => a === null || a instanceof Float32Array);
      if (!f32 || shape[0] === 0 || dy.length < elementwiseMin || typeof exports.conv2dBackward !== 'function') return jsBackend.conv2dGrad(dy, x, w, gx, gw, gb, shape, o, g);
      conv2dGradWasm(exports, arena, dy as Float32Array, x as Float32Array, w as Float32Array, gx as Float32Array | null, gw as Float32Array | null, gb as Float32Array | null, shape, o, g);
    },
    lstmCell(xg, hg, b, c0, out, h, n): void {
      const f32 = [xg, hg, c0, out].every((a) => a instanceof Float32Array) && (b === null || b instanceof Float32Array);
      // Cut-off on the [h, n] size of the composed cell's activations, so both forms run on the same kernels.
      if (!f32 || h * n < elementwiseMin || typeof exports.lstmCell !== 'function') return jsBackend.lstmCell(xg, hg, b, c0, out, h, n);
      lstmCellWasm(exports, arena, xg as Float32Array, hg as Float32Array, b as Float32Array | null, c0 as Float32Array, out as Float32Array, h, n);
    },
    lstmCellGrad(xg, hg, b, c0, dout, dgates, dc0, h, n): void {
      const f32 = [xg, hg, c0, dout, dgates, dc0].every((a) => a instanceof Float32Array) && (b === null || b instanceof Float32Array);
      if (!f32 || h * n < elementwiseMin || typeof exports.lstmCellGrad !== 'function') return jsBackend.lstmCellGrad(xg, hg, b, c0, dout, dgates, dc0, h, n);
      lstmCellGradWasm(exports, arena, xg as Float32Array, hg as Float32Array, b as Float32Array | null, c0 as Float32Array, dout as Float32Array, dgates as Float32Array, dc0 as Float32Array, h, n);
    },
    batchNormStats(x, mean, variance, n, c, l): void {
      if (!(x instanceof Float32Array && mean instanceof Float32Array && variance instanceof Float32Array) || x.length < elementwiseMin || typeof exports.batchNormStats !== 'function') return jsBackend.batchNormStats(x, mean, variance, n, c, l);
      batchNormStatsWasm(exports, arena, x, mean, variance, n, c, l);
    },
    batchNorm(x, w, b, out, n, c, l, eps, mean, variance): void {
      const f32 = [x, w, b, out].every((a) => a instanceof Float32Array) && (mean === null || (mean instanceof Float32Array && variance instanceof Float32Array));
      if (!f32 || x.length < elementwiseMin || typeof exports.batchNorm !== 'function') return jsBackend.batchNorm(x, w, b, out, n, c, l, eps, mean, variance);
      batchNormWasm(exports.batchNorm!, arena, x as Float32Array, w as Float32Array, b as Float32Array, out as Float32Array, n, c, l, eps, mean as Float32Array | null, variance as Float32Array | null);
    },
    // Same cut-offs as batchNorm / batchNormGrad and relu / reluGrad, so the fused pair runs where the pair would.
    batchNormRelu(x, w, b, out, n, c, l, eps, mean, variance): void {
      const f32 = [x, w, b, out].every((a) => a instanceof Float32Array) && (mean === null || (mean instanceof Float32Array && variance instanceof Float32Array));
      if (!f32 || x.length < elementwiseMin || typeof exports.batchNormRelu !== 'function') return jsBackend.batchNormRelu(x, w, b, out, n, c, l, eps, mean, variance);
      batchNormWasm(exports.batchNormRelu!, arena, x as Float32Array, w as Float32Array, b as Float32Array, out as Float32Array, n, c, l, eps, mean as Float32Array | null, variance as Float32Array | null);
    },
    batchNormReluGrad(g, x, w, b, gx, gw, gb, n, c, l, eps): void {
      const f32 = [g, x, w, b, gx, gw, gb].every((a) => a instanceof Float32Array);
      if (!f32 || x.length < elementwiseMin || typeof exports.batchNormReluGrad !== 'function') return jsBackend.batchNormReluGrad(g, x, w, b, gx, gw, gb, n, c, l, eps);
      batchNormReluGradWasm(exports, arena, g as Float32Array, x as Float32Array, w as Float32Array, b as Float32Array, gx as Float32Array, gw as Float32Array, gb as Float32Array, n, c, l, eps);
    },
    batchNormReluPool(x, w, b, index, out, shape, g, oh, ow, eps, mean, variance): void {
      const f32 = [x, w, b, out].every((a) => a instanceof Float32Array) && (mean === null || (mean instanceof Float32Array && variance instanceof Float32Array));
      if (!f32 || x.length < elementwiseMin || typeof exports.batchNormReluPool !== 'function') return jsBackend.batchNormReluPool(x, w, b, index, out, shape, g, oh, ow, eps, mean, variance);
      batchNormReluPoolWasm(exports, arena, x as Float32Array, w as Float32Array, b as Float32Array, index, out as Float32Array, shape, g, oh, ow, eps, mean as Float32Array | null, variance as Float32Array | null);
    },
    batchNormReluPoolGrad(g, index, x, w, b, gx, gw, gb, shape, eps): void {
      const f32 = [g, x, w, b, gx, gw, gb].every((a) => a instanceof Float32Array);
      if (!f32 || x.length < elementwiseMin || typeof exports.batchNormReluPoolGrad !== 'function') return jsBackend.batchNormReluPoolGrad(g, index, x, w, b, gx, gw, gb, shape, eps);
      batchNormReluPoolGradWasm(exports, arena, g as Float32Array, index, x as Float32Array, w as Float32Array, b as Float32Array, gx as Float32Array, gw as Float32Array, gb as Float32Array, shape, eps);
    },
    batchNormGrad(g, x, w, gx, gw, gb, n, c, l, eps): void {
      const f32 = [g, x, w, gx, gw, gb].every((a) => a instanceof Float32Array);
      if (!f32 || x.length < elementwiseMin || typeof exports.batchNormGrad !== 'function') return jsBackend.batchNormGrad(g, x, w, gx, gw, gb, n, c, l, eps);
      batchNormGradWasm(exports, arena, g as Float32Array, x as Float32Array, w as Float32Array, gx as Float32Array, gw as Float32Array, gb as Float32Array, n, c, l, eps);
    },
    int8Matmul(x, w, out, m, kp, n): void {
      if (m * kp * n < minFlops || !int8MatmulWasm(exports, arena, x, w, out, m, kp, n)) jsBackend.int8Matmul(x, w, out, m, kp, n);
    },
    int8Chain(x, m, layers, out): void {
      // Exact integers and the same float32 roundings on both sides: which backend runs it never changes the result.
      const flops = layers.reduce((f, l) => f + m * l.kp * l.n, 0);
      if (flops < minFlops || !int8ChainWasm(exports, arena, x, m, layers, out)) jsBackend.int8Chain(x, m, layers, out);
    },
  };
  // The activation after a resident product, where the eager path runs it on its own kernels (small outputs on JS).
  const after = (act: LinearAct, out: Float32Array): void => {
    if (act.kind === 'unary') backend.unary(act.op, out, out);
    else backend.unaryParam(act.op, out, out, act.p, act.q);
  };
  return backend;
}

/**
 * Instantiates the threaded build on a shared memory and starts `threads - 1` workers on it: a backend
 * named 'wasm' that is not registered (initWasmBackend does that), and its pool to close when done.
 * @example
 * const { backend, pool } = await createThreadedWasmBackend(2);
 * setBackend(backend.name);
 * await pool.close();
 */
export async function createThreadedWasmBackend(
  threads: number, options: Omit<WasmBackendOptions, 'pool' | 'memory'> = {},
): Promise<{ backend: Backend; pool: MatmulThreadPool }> {
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) {
    throw new Error('this page is not crossOriginIsolated: serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (docs/browser.md › Threads)');
  }
  if (!hasSharedMemory()) throw new Error('this engine cannot create a shared WebAssembly.Memory');
  const loaded = await loadWasmModule('neurite-threads.wasm');
  if ('reason' in loaded) throw new Error(loaded.reason);
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
  const instance = await WebAssembly.instantiate(loaded.module, { env: { memory } });
  const exports = instance.exports as unknown as KernelExports;
  const pool = await MatmulThreadPool.start(loaded.module, memory, exports.heapBase(), threads - 1);
  return { backend: createWasmBackend(exports, { ...options, pool, memory }), pool };
}
