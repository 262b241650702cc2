// Conformance of the batch-norm kernels (Backend.batchNormStats / batchNorm / batchNormGrad, and the fused ReLU and ReLU + max-pool forms) on js and wasm against float64 definitions and the unfused kernels.
// The wasm part needs `npm run build` (dist/wasm/neurite.wasm); without it those tests skip, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Storage } from '../../src/core/dtype.js';
import type { WindowGeometry } from '../../src/backend/backend.js';
import { firstMismatch, randomArray } from './reference.js';
import { kernelBackends, store } from './kernel-backends.js';

const backends = await kernelBackends();
type DT = 'float32' | 'float64';
const TOL = { float32: [2e-5, 2e-4], float64: [1e-12, 1e-11] } as const;

/** Straight from the definition, in float64: per channel of x [n, c, l] mean, biased variance, y and the gradient for upstream g. */
function reference(x: ArrayLike<number>, g: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, n: number, c: number, l: number, eps: number) {
  const m = n * l, at = (i: number, ch: number, j: number): number => (i * c + ch) * l + j;
  const mean: number[] = [], variance: number[] = [], gw: number[] = [], gb: number[] = [];
  const y = new Float64Array(x.length), gx = new Float64Array(x.length);
  for (let ch = 0; ch < c; ch++) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) idx.push(at(i, ch, j));
    const mu = idx.reduce((s, k) => s + x[k]!, 0) / m;
    const v = idx.reduce((s, k) => s + (x[k]! - mu) ** 2, 0) / m;
    const xhat = (k: number): number => (x[k]! - mu) / Math.sqrt(v + eps);
    mean.push(mu); variance.push(v);
    gb.push(idx.reduce((s, k) => s + g[k]!, 0));
    gw.push(idx.reduce((s, k) => s + g[k]! * xhat(k), 0));
    for (const k of idx) {
      y[k] = xhat(k) * w[ch]! + b[ch]!;
      gx[k] = (w[ch]! / Math.sqrt(v + eps) / m) * (m * g[k]! - gb[ch]! - xhat(k) * gw[ch]!);
    }
  }
  return { mean, variance, y, gx, gw, gb };
}

function check(what: string, got: Storage, want: ArrayLike<number>, dtype: DT): void {
  const [atol, rtol] = TOL[dtype];
  const i = firstMismatch(got, dtype === 'float32' ? Float32Array.from(want) : want, atol, rtol);
  assert.equal(i, -1, i < 0 ? '' : `${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
}

// [n, c, l]: SIMD bodies, ragged tails, one value per image, one image.
const SHAPES: [number, number, number][] = [[4, 3, 16], [3, 2, 7], [5, 4, 1], [1, 2, 9], [8, 16, 49]];

for (const [name, backend, skip] of backends) {
  for (const dtype of ['float32', 'float64'] as const) {
    test(`${name} ${dtype}: batchNormStats, batchNorm and batchNormGrad agree with the definition (out = x and gx = g allowed)`, { skip }, () => {
      for (const [s, [n, c, l]] of SHAPES.entries()) {
        const len = n * c * l, eps = 1e-5;
        // An offset mean (values in [2, 5]) so centring matters.
        const x = store(dtype, randomArray(len, 11 + s, 2, 5)), g = store(dtype, randomArray(len, 23 + s, -1, 1));
        const w = store(dtype, randomArray(c, 5 + s, 0.5, 2)), b = store(dtype, randomArray(c, 7 + s, -1, 1));
        const want = reference(x, g, w, b, n, c, l, eps), what = `${dtype} [${n}, ${c}, ${l}]`;
        const mean = store(dtype, new Array(c).fill(9)), variance = store(dtype, new Array(c).fill(9));
        backend!.batchNormStats(x, mean, variance, n, c, l);
        check(`mean ${what}`, mean, want.mean, dtype);
        check(`variance ${what}`, variance, want.variance, dtype);
        const y = store(dtype, new Array(len).fill(12345.5));
        backend!.batchNorm(x, w, b, y, n, c, l, eps, null, null);
        check(`y ${what}`, y, want.y, dtype);
        // The forward kernels' own statistics are batchNormStats' values, bit for bit.
        for (const kernel of ['batchNorm', 'batchNormRelu'] as const) {
          const m2 = store(dtype, new Array(c).fill(7)), v2 = store(dtype, new Array(c).fill(7)), y2 = store(dtype, new Array(len).fill(0));
          backend![kernel](x, w, b, y2, n, c, l, eps, m2, v2);
          assert.deepEqual([m2, v2], [mean, variance], `${kernel} statistics ${what}`);
        }
        const inPlace = x.slice();
        backend!.batchNorm(inPlace, w, b, inPlace, n, c, l, eps, null, null);
        assert.deepEqual(inPlace, y, `batchNorm in place ${what}`);
        const gx = store(dtype, new Array(len).fill(12345.5)), gw = store(dtype, new Array(c).fill(9)), gb = store(dtype, new Array(c).fill(9));
        backend!.batchNormGrad(g, x, w, gx, gw, gb, n, c, l, eps);
        check(`gx ${what}`, gx, want.gx, dtype);
        check(`gw ${what}`, gw, want.gw, dtype);
        check(`gb ${what}`, gb, want.gb, dtype);
        const gInPlace = g.slice();
        backend!.batchNormGrad(gInPlace, x, w, gInPlace, gw, gb, n, c, l, eps);
        assert.deepEqual(gInPlace, gx, `batchNormGrad in place ${what}`);
      }
    });
  }
}

/** Bitwise equality of two storages (signed zeros and NaN payloads included), naming the first differing element. */
function sameBits(got: Storage, want: Storage, what: string): void {
  const a = new Uint8Array(got.buffer, got.byteOffset, got.byteLength), b = new Uint8Array(want.buffer, want.byteOffset, want.byteLength);
  const i = a.findIndex((v, k) => v !== b[k]);
  assert.equal(i, -1, i < 0 ? '' : `${what}: element ${Math.floor(i / got.BYTES_PER_ELEMENT)} is ${got[Math.floor(i / got.BYTES_PER_ELEMENT)]}, the pair gives ${want[Math.floor(i / got.BYTES_PER_ELEMENT)]}`);
}

for (const [name, backend, skip] of backends) {
  for (const dtype of ['float32', 'float64'] as const) {
    test(`${name} ${dtype}: batchNormRelu and batchNormReluGrad equal batchNorm then relu, and reluGrad then batchNormGrad, bit for bit`, { skip }, () => {
      const plan = (len: number) => ({ shape: [len], aStrides: [1], bStrides: [1] });
      for (const [s, [n, c, l]] of SHAPES.entries()) {
        const len = n * c * l, eps = 1e-5;
        // Values around the mean so about half the outputs are clipped; channel 0 symmetric about 0 with
        // a zero bias, so its centre element normalises to exactly 0 (ReLU's gradient there is 0).
        const x = store(dtype, randomArray(len, 31 + s, -2, 2)), g = store(dtype, randomArray(len, 37 + s, -1, 1));
        const w = store(dtype, randomArray(c, 41 + s, 0.5, 2)), b = store(dtype, randomArray(c, 43 + s, -0.5, 0.5));
        b[0] = 0;
        const ch0 = Array.from({ length: n }, (_, i) => i * c * l);
        ch0.forEach((o, i) => { for (let j = 0; j < l; j++) x[o + j] = i * l + j - (n * l - 1) / 2; });
        const pair = store(dtype, new Array(len).fill(0));
        backend!.batchNorm(x, w, b, pair, n, c, l, eps, null, null);
        backend!.unary('relu', pair, pair);
        const fused = store(dtype, new Array(len).fill(12345.5));
        backend!.batchNormRelu(x, w, b, fused, n, c, l, eps, null, null);
        sameBits(fused, pair, `batchNormRelu ${dtype} [${n}, ${c}, ${l}]`);
        const inPlace = x.slice();
        backend!.batchNormRelu(inPlace, w, b, inPlace, n, c, l, eps, null, null);
        sameBits(inPlace, pair, `batchNormRelu in place ${dtype} [${n}, ${c}, ${l}]`);

        const masked = store(dtype, new Array(len).fill(0)), gx = store(dtype, new Array(len).fill(0));
        const gw = store(dtype, new Array(c).fill(0)), gb = store(dtype, new Array(c).fill(0));
        backend!.binary('reluGrad', g, pair, masked, plan(len));
        backend!.batchNormGrad(masked, x, w, gx, gw, gb, n, c, l, eps);
        const fgx = store(dtype, new Array(len).fill(12345.5)), fgw = store(dtype, new Array(c).fill(9)), fgb = store(dtype, new Array(c).fill(9));
        backend!.batchNormReluGrad(g, x, w, b, fgx, fgw, fgb, n, c, l, eps);
        const what = `${dtype} [${n}, ${c}, ${l}]`;
        sameBits(fgx, gx, `gx ${what}`);
        sameBits(fgw, gw, `gw ${what}`);
        sameBits(fgb, gb, `gb ${what}`);
        if (n * l % 2 === 1) {
          const centre = ch0[(n * l - 1) / 2 / l | 0]! + ((n * l - 1) / 2) % l;
          assert.ok(Object.is(pair[centre], 0), `the centre of channel 0 normalises to 0 (${pair[centre]})`);
          assert.equal(masked[centre], 0, 'reluGrad is 0 at 0');
        }
      }
    });
  }
}

for (const [name, backend, skip] of backends) {
  for (const dtype of ['float32', 'float64'] as const) {
    test(`${name} ${dtype}: batchNormReluPool and its gradient equal batchNormRelu then maxPool, and maxPoolGrad then batchNormReluGrad, bit for bit`, { skip }, () => {
      const geometries: [WindowGeometry, number, number][] = [
        [{ kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] }, 3, 4], // 6×9 → 3×4, the last column left out
        [{ kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] }, 6, 9], // overlapping windows
      ];
      for (const [s, [geo, oh, ow]] of geometries.entries()) {
        const [n, c, h, wd] = [3, 4, 6, 9], len = n * c * h * wd, count = n * c * oh * ow, eps = 1e-5, shape = [n, c, h, wd];
        const x = store(dtype, randomArray(len, 51 + s, -2, 2)), g = store(dtype, randomArray(count, 53 + s, -1, 1));
        const w = store(dtype, randomArray(c, 55 + s, 0.5, 2)), b = store(dtype, randomArray(c, 57 + s, -0.5, 0.5));
        const y = store(dtype, new Array(len).fill(0)), index = new Int32Array(count), pooled = store(dtype, new Array(count).fill(0));
        backend!.batchNormRelu(x, w, b, y, n, c, h * wd, eps, null, null);
        backend!.maxPool(y, index, pooled, shape, geo, oh, ow);
        const fIndex = new Int32Array(count).fill(-7), fOut = store(dtype, new Array(count).fill(12345.5));
        backend!.batchNormReluPool(x, w, b, fIndex, fOut, shape, geo, oh, ow, eps, null, null);
        const what = `${dtype} ${JSON.stringify(geo.kernel)}`;
        assert.deepEqual(fIndex, index, `routing ${what}`);
        const mean = store(dtype, new Array(c).fill(0)), variance = store(dtype, new Array(c).fill(0)), m2 = store(dtype, new Array(c).fill(7)), v2 = store(dtype, new Array(c).fill(7));
        backend!.batchNormStats(x, mean, variance, n, c, h * wd);
        backend!.batchNormReluPool(x, w, b, new Int32Array(count), store(dtype, new Array(count).fill(0)), shape, geo, oh, ow, eps, m2, v2);
        assert.deepEqual([m2, v2], [mean, variance], `batchNormReluPool statistics ${what}`);
        sameBits(fOut, pooled, `values ${what}`);
        const gy = store(dtype, new Array(len).fill(0)), gx = store(dtype, new Array(len).fill(0)), gw = store(dtype, new Array(c).fill(0)), gb = store(dtype, new Array(c).fill(0));
        backend!.maxPoolGrad(g, index, gy);
        backend!.batchNormReluGrad(gy, x, w, b, gx, gw, gb, n, c, h * wd, eps);
        const fgx = store(dtype, new Array(len).fill(12345.5)), fgw = store(dtype, new Array(c).fill(9)), fgb = store(dtype, new Array(c).fill(9));
        backend!.batchNormReluPoolGrad(g, index, x, w, b, fgx, fgw, fgb, shape, eps);
        sameBits(fgx, gx, `gx ${what}`);
        sameBits(fgw, gw, `gw ${what}`);
        sameBits(fgb, gb, `gb ${what}`);
      }
    });
  }
}
