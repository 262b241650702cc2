// Conformance: every Backend method on every backend (js, wasm, wasm on 2 threads) against float64 references.
// The wasm part needs `npm run build` (dist/wasm/neurite.wasm); without it those tests skip, saying why.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend, BinaryOp, MatmulParams, ParamGradOp, ParamUnaryOp, UnaryOp, WindowGeometry } from '../../src/backend/backend.js';
import type { Storage } from '../../src/core/dtype.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { adamRule } from '../../src/optim/rules/adam.js';
import { createThreadedWasmBackend, createWasmBackend } from '../../src/backend/wasm/index.js';
import { loadWasmModule } from '../../src/backend/wasm/load.js';
import type { KernelExports } from '../../src/backend/wasm/kernels.js';
import { broadcastPlan, reducePlan } from '../../src/backend/plan.js';
import { broadcastShapes, sizeOf } from '../../src/core/shape.js';
import {
  binaryReference, firstMismatch, logSoftmaxReference, matmulReference, randomArray, randomInts, reduceReference, unaryRef,
} from './reference.js';

type DT = 'float32' | 'float64';
/** One Adam leaf step through `backend`'s rule kernel where it applies, else the rule's JS kernel (as optim/rule.ts runs it). */
function adamLeaf(backend: Backend, p: Storage, g: Storage | null, m0: Storage, v0: Storage, m: Storage, v: Storage, c: { b1: number; b2: number; eps: number; weightDecay: number; bc1: number; bc2Sqrt: number; negLr: number }): void {
  const rule = adamRule({ lr: 1e-3, b1: c.b1, b2: c.b2, eps: c.eps, weightDecay: c.weightDecay, decoupledWeightDecay: 0, amsgrad: false });
  const k = [1 - c.b1, c.b2, 1 - c.b2, c.eps, c.weightDecay, c.bc1, c.bc2Sqrt, c.negLr, 0];
  if (backend.ruleKernels?.adam?.(rule.hyper, p, g, [m0, v0], [m, v], k)) return;
  const f32 = p instanceof Float32Array;
  rule.leaf(f32 ? Math.fround : (x) => x, p, g, [m0, v0], [m, v], f32 ? k.map(Math.fround) : k);
}

const U = 2 ** -24; // float32 unit roundoff
const ATOL = { float32: 1e-5, float64: 1e-12 };
const RTOL = { float32: 1e-4, float64: 1e-12 };

const loaded = await loadWasmModule();
let wasm: Backend | undefined;
if ('module' in loaded) {
  const instance = await WebAssembly.instantiate(loaded.module, {});
  // Cut-off 0: every float32 matmul, however small, runs in WASM here.
  wasm = createWasmBackend(instance.exports as unknown as KernelExports, { minFlops: 0, elementwiseMin: 0 });
}
// Two threads with no size cut-offs, so the row split runs on small odd shapes too.
let wasmMt: Backend | undefined, mtSkip: string | undefined;
try {
  const started = await createThreadedWasmBackend(2, { minFlops: 0, threadMinFlops: 0, elementwiseMin: 0 });
  wasmMt = started.backend;
  after(() => started.pool.close());
} catch (err) {
  mtSkip = `threaded wasm backend unavailable: ${err instanceof Error ? err.message : String(err)}`;
}
const backends: [string, Backend | undefined, string | undefined][] = [
  ['js', jsBackend, undefined],
  ['wasm', wasm, 'reason' in loaded ? `wasm backend unavailable: ${loaded.reason}` : undefined],
  ['wasm-threads', wasmMt, mtSkip],
];

/** Storage of `dtype` holding `values` (rounded to float32 where that is the dtype). */
const store = (dtype: DT, values: ArrayLike<number>): Storage => (dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values));
/** Output storage pre-filled with garbage, so a kernel that skips an element is caught. */
const garbage = (dtype: DT, n: number): Storage => store(dtype, new Array<number>(n).fill(12345.5));

function check(what: string, got: Storage, want: ArrayLike<number>, dtype: DT, extra?: ArrayLike<number>): void {
  const wantR = dtype === 'float32' ? Float32Array.from(want) : want;
  const i = firstMismatch(got, wantR, ATOL[dtype], RTOL[dtype], extra);
  assert.equal(got.length, want.length, `${what}: output length`);
  assert.equal(i, -1, i < 0 ? '' : `${what}: element ${i} is ${got[i]}, expected ${wantR[i]}`);
}

const SIZES = [1, 3, 17, 33, 65];
const UNARY: UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'abs', 'sign', 'relu', 'sigmoid', 'tanh', 'softplus', 'sin', 'cos', 'softsign'];
const BINARY: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'gt', 'ge', 'lt', 'le', 'eq', 'reluGrad', 'sigmoidGrad', 'tanhGrad', 'softsignGrad'];
const BROADCASTS: [number[], number[]][] = [
  [[17], [17]], [[3, 17], [17]], [[5, 1], [5, 4]], [[], [65]], [[33], []], [[3, 1, 5], [4, 1]],
  [[2, 3, 4], [2, 1, 4]], [[1], [1]], [[33, 2], [1, 2]], [[1, 65], [3, 1]], [[0, 3], [3]],
  // NCHW channel broadcasts (conv bias, batch norm) and a rank-4 plan with a broadcast inner dim.
  [[2, 3, 4, 5], [1, 3, 1, 1]], [[1, 3, 1, 1], [2, 3, 4, 5]], [[2, 3, 4, 5], [3, 4, 1]], [[2, 1, 3, 5], [4, 1, 5]],
];

for (const [name, backend, skip] of backends) {
  for (const dtype of ['float32', 'float64'] as const) {
    test(`${name} ${dtype}: unary ops agree with the reference`, { skip }, () => {
      for (const op of UNARY) {
        for (const n of [...SIZES, 0]) {
          const [lo, hi] = op === 'log' || op === 'sqrt' ? [0.01, 5] : op === 'sigmoid' || op === 'softplus' ? [-40, 40] : [-3, 3];
          const x = store(dtype, randomArray(n, 7 + n, lo, hi));
          if (n >= 3 && op !== 'log' && op !== 'sqrt') x[1] = 0;
          const out = garbage(dtype, n);
          backend!.unary(op, x, out);
          check(`${op} n=${n}`, out, Array.from(x, unaryRef[op]), dtype);
        }
        // Special values, overflow and underflow edges, and tiny arguments (vector body and tail).
        const x = store(dtype, [NaN, Infinity, -Infinity, 0, -0, 88, 89, -87, -100, -110, 1e-3, -1e-3, 0.6, -0.7, 20, -20, 1e-30]);
        const out = garbage(dtype, x.length);
        backend!.unary(op, x, out);
        check(`${op} of special values`, out, Array.from(x, unaryRef[op]), dtype);
      }
    });

    test(`${name} ${dtype}: binary ops with broadcast plans agree with the reference`, { skip }, () => {
      for (const op of BINARY) {
        for (const [aShape, bShape] of BROADCASTS) {
          const outShape = broadcastShapes(op, aShape, bShape);
          const na = sizeOf(aShape), nb = sizeOf(bShape);
          const tie = ['maximum', 'minimum', 'gt', 'ge', 'lt', 'le', 'eq', 'reluGrad'].includes(op);
          const a = store(dtype, tie ? randomInts(na, 3, -2, 2) : op === 'pow' ? randomArray(na, 3, 0.5, 2) : randomArray(na, 3));
          const b = store(dtype, tie ? randomInts(nb, 5, -2, 2) : op === 'div' ? randomArray(nb, 5, 0.5, 2) : op === 'pow' ? randomArray(nb, 5, -2, 2) : randomArray(nb, 5));
          const out = garbage(dtype, sizeOf(outShape));
          backend!.binary(op, a, b, out, broadcastPlan(aShape, bShape, outShape));
          check(`${op} [${aShape}] with [${bShape}]`, out, binaryReference(op, a, aShape, b, bShape, outShape), dtype);
        }
      }
    });

    test(`${name} ${dtype}: hardtanh and leaky relu, forward and backward, agree with the reference (PyTorch's kinks)`, { skip }, () => {
      // PyTorch's values: hardtanh'(x) = 0 at both bounds and outside, 1 inside, 1 for NaN; leaky'(0) = slope.
      const fwd: { [K in ParamUnaryOp]: (x: number, p: number, q: number) => number } = {
        hardtanh: (x, p, q) => (x !== x ? x : Math.min(Math.max(x, p), q)), leakyRelu: (x, p) => (x > 0 ? x : x * p),
      };
      const bwd: { [K in ParamGradOp]: (g: number, x: number, p: number, q: number) => number } = {
        hardtanhGrad: (g, x, p, q) => (x <= p || x >= q ? 0 : g), leakyReluGrad: (g, x, p) => (x > 0 ? g : g * p),
      };
      const special = [NaN, Infinity, -Infinity, 0, -0, -1, 1, -2, 2, -0.5, 0.5, 1e-30, -1e-30];
      for (const [op, grad, p, q] of [['hardtanh', 'hardtanhGrad', -1, 1], ['hardtanh', 'hardtanhGrad', -2, 2], ['leakyRelu', 'leakyReluGrad', 0.01, 0], ['leakyRelu', 'leakyReluGrad', 0.3, 0]] as const) {
        for (const n of [...SIZES, 0, special.length]) {
          const x = store(dtype, n === special.length ? special : randomInts(n, 9 + n, -3, 3).map((v, i) => (i % 2 ? v : v / 2)));
          const g = store(dtype, randomArray(x.length, 31 + n));
          const r = dtype === 'float32' ? Math.fround : (v: number) => v;
          const out = garbage(dtype, x.length), dx = garbage(dtype, x.length);
          backend!.unaryParam(op, x, out, p, q);
          backend!.gradParam(grad, g, x, dx, p, q);
          check(`${op}(${p}, ${q}) n=${n}`, out, Array.from(x, (v) => fwd[op](v, r(p), r(q))), dtype);
          check(`${grad}(${p}, ${q}) n=${n}`, dx, Array.from(x, (v, i) => bwd[grad](g[i]!, v, r(p), r(q))), dtype);
          assert.deepEqual(Array.from(out, Object.is.bind(null, -0)), Array.from(x, (v) => Object.is(fwd[op](v, p, q), -0)), `${op}: -0 stays -0`);
        }
      }
    });

    test(`${name} ${dtype}: sum and max reductions agree with the reference`, { skip }, () => {
      const cases: [number[], number[]][] = [
        [[17], [0]], [[3, 17], [1]], [[3, 17], [0]], [[2, 3, 4], [0, 2]], [[2, 3, 4], [1]], [[4, 1, 5], [0, 1, 2]], [[65, 3], [0]], [[1], [0]],
        // Batch-norm statistics and conv-bias gradients over NCHW (SIMD bodies and tails), and empty inputs.
        [[4, 3, 5, 7], [0, 2, 3]], [[9, 130], [0]], [[2, 67], [1]], [[3, 2, 33], [0, 2]], [[0, 3], [0]], [[3, 0], [1]],
      ];
      for (const [shape, axes] of cases) {
        const x = store(dtype, randomArray(sizeOf(shape), 11));
        const len = axes.reduce((acc, ax) => acc * shape[ax]!, 1);
        const absSum = reduceReference('sum', Array.from(x, Math.abs), shape, axes);
        for (const op of ['sum', 'max'] as const) {
          const want = reduceReference(op, x, shape, axes);
          const out = garbage(dtype, want.length);
          backend!.reduce(op, x, out, reducePlan(shape, axes));
          check(`${op} of [${shape}] over [${axes}]`, out, want, dtype, dtype === 'float32' ? absSum.map((s) => len * U * s) : undefined);
        }
      }
    });

    test(`${name} ${dtype}: the Adam rule's kernel (backend's where it has one) agrees with the float64 formula and, in float32, with the JS kernel bit for bit`, { skip }, () => {
      for (const n of [...SIZES, 0, 258]) {
        for (const [weightDecay, withGrad] of [[0, true], [0.01, true], [0.01, false]] as const) {
          const c = { b1: 0.9, b2: 0.999, eps: 1e-8, weightDecay, bc1: 1 - 0.9 ** 3, bc2Sqrt: Math.sqrt(1 - 0.999 ** 3), negLr: -1e-3 };
          const p = store(dtype, randomArray(n, 21 + n)), g = withGrad ? store(dtype, randomArray(n, 22 + n)) : null;
          const m0 = store(dtype, randomArray(n, 23 + n, -0.1, 0.1)), v0 = store(dtype, randomArray(n, 24 + n, 0, 0.1));
          const [p0, m0c, v0c] = [p.slice(), m0.slice(), v0.slice()];
          const [m, v] = [garbage(dtype, n), garbage(dtype, n)];
          const [pj, mj, vj] = [p.slice(), garbage(dtype, n), garbage(dtype, n)];
          adamLeaf(backend!, p, g, m0, v0, m, v, c);
          adamLeaf(jsBackend, pj, g, m0, v0, mj, vj, c);
          assert.deepEqual([Array.from(m0), Array.from(v0)], [Array.from(m0c), Array.from(v0c)], 'inputs are not written');
          const x = Array.from(p0, (pv, i) => (g ? g[i]! : 0) + weightDecay * pv);
          const wantM = x.map((xi, i) => m0[i]! + (xi - m0[i]!) * 0.1), wantV = x.map((xi, i) => 0.999 * v0[i]! + 0.001 * xi * xi);
          const wantP = Array.from(p0, (pv, i) => (g ? pv - 1e-3 * (wantM[i]! / c.bc1) / (Math.sqrt(wantV[i]!) / c.bc2Sqrt + 1e-8) : pv));
          check(`adamStep m n=${n}`, m, wantM, dtype);
          check(`adamStep v n=${n}`, v, wantV, dtype);
          check(`adamStep p n=${n} wd=${weightDecay}`, p, wantP, dtype);
          assert.deepEqual([Array.from(p), Array.from(m), Array.from(v)], [Array.from(pj), Array.from(mj), Array.from(vj)], `n=${n}: same bits as the JS kernel`);
        }
      }
    });

    test(`${name} ${dtype}: logSoftmax agrees with the reference`, { skip }, () => {
      for (const [outer, n, inner] of [[1, 1, 1], [3, 17, 1], [2, 5, 3], [1, 65, 2], [4, 33, 1]] as const) {
        const x = store(dtype, randomArray(outer * n * inner, 13, -5, 5));
        const out = garbage(dtype, x.length);
        backend!.logSoftmax(x, out, outer, n, inner);
        check(`logSoftmax [${outer},${n},${inner}]`, out, logSoftmaxReference(x, outer, n, inner), dtype);
      }
    });

    test(`${name} ${dtype}: matmul agrees with the reference for every transpose, odd sizes and batch strides`, { skip }, () => {
      const run = (p: MatmulParams, seed: number): void => {
        const aLen = (p.aBatchStride === 0 ? 1 : p.batch) * p.m * p.k, bLen = (p.bBatchStride === 0 ? 1 : p.batch) * p.k * p.n;
        const a = store(dtype, randomArray(aLen, seed)), b = store(dtype, randomArray(bLen, seed + 1));
        const out = garbage(dtype, p.batch * p.m * p.n);
        backend!.matmul(a, b, out, p);
        const ref = matmulReference(a, b, p);
        check(`matmul ${JSON.stringify(p)}`, out, ref.c, dtype, dtype === 'float32' ? ref.scale.map((s) => (p.k + 2) * U * s) : undefined);
      };
      let seed = 1;
      for (const m of SIZES) for (const k of SIZES) for (const n of SIZES) {
        for (const transA of [false, true]) for (const transB of [false, true]) {
          run({ batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0 }, seed++);
        }
      }
      // Batches: both batched, A shared, B shared (the folded tall-A path), with transposes.
      for (const [m, k, n] of [[3, 17, 5], [17, 33, 65], [1, 3, 1], [65, 1, 17]] as const) {
        for (const transA of [false, true]) for (const transB of [false, true]) {
          run({ batch: 3, m, k, n, transA, transB, aBatchStride: m * k, bBatchStride: k * n }, seed++);
          run({ batch: 3, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: k * n }, seed++);
          run({ batch: 3, m, k, n, transA, transB, aBatchStride: m * k, bBatchStride: 0 }, seed++);
        }
      }
      // Sizes past the cache blocks (KC=256, MC=128, NC=2048), and empty dimensions.
      for (const [m, k, n] of [[130, 300, 70], [5, 3, 2100], [257, 513, 9], [4, 0, 8], [0, 5, 3], [3, 5, 0]] as const) {
        for (const transA of [false, true]) for (const transB of [false, true]) {
          run({ batch: 2, m, k, n, transA, transB, aBatchStride: m * k, bBatchStride: 0 }, seed++);
        }
      }
    });
  }
}

/** Windows of x [n, c, h, w] as columns, straight from the definition (the reference for im2col and col2im). */
function im2colReference(x: ArrayLike<number>, shape: number[], g: WindowGeometry, padValue: number): { cols: number[]; oh: number; ow: number } {
  const [n, c, h, w] = shape as [number, number, number, number];
  const [kh, kw] = g.kernel;
  const oh = Math.floor((h + 2 * g.padding[0] - g.dilation[0] * (kh - 1) - 1) / g.stride[0]) + 1;
  const ow = Math.floor((w + 2 * g.padding[1] - g.dilation[1] * (kw - 1) - 1) / g.stride[1]) + 1;
  const cols: number[] = [];
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    for (let r = 0; r < oh; r++) for (let q = 0; q < ow; q++) {
      const y = r * g.stride[0] - g.padding[0] + i * g.dilation[0], z = q * g.stride[1] - g.padding[1] + j * g.dilation[1];
      cols.push(y < 0 || y >= h || z < 0 || z >= w ? padValue : x[((b * c + ch) * h + y) * w + z]!);
    }
  }
  return { cols, oh, ow };
}

const WINDOWS: [number[], WindowGeometry][] = [
  [[2, 3, 8, 9], { kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] }],
  [[1, 2, 7, 11], { kernel: [2, 3], stride: [2, 3], padding: [1, 0], dilation: [1, 1] }],
  [[2, 1, 9, 9], { kernel: [3, 2], stride: [1, 2], padding: [2, 1], dilation: [2, 3] }],
  [[3, 2, 28, 28], { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] }],
  [[1, 1, 3, 3], { kernel: [3, 3], stride: [1, 1], padding: [3, 3], dilation: [1, 1] }],
  // Stride 1 with output rows as wide as the input's (WASM copies a tap's rows as one block): dilated, and taps whose rows all miss.
  [[2, 2, 6, 10], { kernel: [3, 3], stride: [1, 1], padding: [2, 2], dilation: [2, 2] }],
  [[1, 2, 2, 5], { kernel: [5, 3], stride: [1, 1], padding: [2, 1], dilation: [1, 1] }],
];

for (const [name, backend, skip] of backends) {
  for (const dtype of ['float32', 'float64'] as const) {
    test(`${name} ${dtype}: im2col and col2im agree with the definition`, { skip }, () => {
      for (const [shape, g] of WINDOWS) {
        const x = store(dtype, randomArray(sizeOf(shape), shape[3]!, -3, 3));
        for (const padValue of [0, -Infinity, -0]) {
          const { cols, oh, ow } = im2colReference(x, shape, g, padValue);
          const out = garbage(dtype, cols.length);
          backend!.im2col(x, out, shape, g, padValue);
          check(`im2col ${JSON.stringify({ shape, g, padValue })}`, out, cols, dtype);
          if (padValue === -0) assert.ok(Object.is(out[0], cols[0]), 'im2col keeps the sign of a -0 pad');
          if (padValue !== 0) continue;
          // col2im is the adjoint: <im2col(x), y> = <x, col2im(y)> for random y, and per element a sum of the taps reading it.
          const y = store(dtype, randomArray(cols.length, oh * ow, -3, 3));
          const back = garbage(dtype, x.length);
          backend!.col2im(y, back, shape, g);
          const want = new Float64Array(x.length);
          const index = im2colReference(Float64Array.from({ length: x.length }, (_, i) => i), shape, g, -1).cols;
          index.forEach((src, t) => { if (src >= 0) want[src] = want[src]! + y[t]!; });
          check(`col2im ${JSON.stringify({ shape, g })}`, back, want, dtype);
        }
      }
    });
  }
}

/** Max pooling's routing from the definition: per window the first largest in-image tap (NaN largest), −1 if none. */
function maxPoolIndexReference(x: ArrayLike<number>, shape: number[], g: WindowGeometry): { index: number[]; oh: number; ow: number } {
  const at = im2colReference(Float64Array.from({ length: x.length }, (_, i) => i), shape, g, -1);
  const kk = g.kernel[0] * g.kernel[1], l = at.oh * at.ow, index: number[] = [];
  for (let p = 0; p < shape[0]! * shape[1]!; p++) for (let t = 0; t < l; t++) {
    let best = -1;
    for (let k = 0; k < kk; k++) {
      const src = at.cols[(p * kk + k) * l + t]!, v = x[src]!, m = best < 0 ? 0 : x[best]!;
      if (src >= 0 && (best < 0 || v > m || (Number.isNaN(v) && !Number.isNaN(m)))) best = src;
    }
    index.push(best);
  }
  return { index, oh: at.oh, ow: at.ow };
}

for (const [name, backend, skip] of backends) {
  for (const dtype of ['float32', 'float64'] as const) {
    test(`${name} ${dtype}: maxPoolIndex agrees with the definition (ties, NaN, −∞, windows off the image)`, { skip }, () => {
      const pool2: WindowGeometry = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] };
      const offImage: WindowGeometry = { kernel: [2, 2], stride: [1, 1], padding: [1, 1], dilation: [3, 3] };
      // 2×2 stride-2 windows have a four-wide WASM path: odd sizes and widths that leave a scalar tail.
      for (const [shape, g] of [...WINDOWS, [[1, 2, 2, 2], offImage], [[2, 3, 5, 11], pool2], [[1, 1, 8, 18], pool2]] as [number[], WindowGeometry][]) {
        const x = store(dtype, randomInts(sizeOf(shape), shape[2]!, -2, 2));
        for (let i = 0; i < x.length; i += 7) x[i] = i % 2 ? NaN : -Infinity;
        const { index: want, oh, ow } = maxPoolIndexReference(x, shape, g);
        const index = new Int32Array(want.length).fill(12345);
        backend!.maxPoolIndex(x, index, shape, g, oh, ow);
        assert.deepEqual(Array.from(index), want, `maxPoolIndex ${JSON.stringify({ shape, g })}`);
      }
    });
  }
}

