// Conformance of the fused convolution kernels (Backend.conv2d / conv2dGrad) on js and wasm against float64 definitions, and the primitive against its composition.
// The wasm part needs `npm run build` (dist/wasm/neurite.wasm); without it those tests skip, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WindowGeometry } from '../../src/backend/backend.js';
import type { Storage } from '../../src/core/dtype.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import { hasWasmSimd } from '../../src/backend/wasm/load.js';
import { windowOut } from '../../src/backend/js/conv.js';
import { getBackend, setBackend } from '../../src/backend/registry.js';
import { Rng, rand, add, sum, mul, matmul, reshape, im2col, backward, type Tensor } from '../../src/index.js';
import { conv2d, perChannelRow } from '../../src/ops/conv.js';
import { firstMismatch, randomArray } from './reference.js';
import { kernelBackends, store } from './kernel-backends.js';
import { assertClose } from '../helpers/fixtures.js';

const backends = await kernelBackends();
type DT = 'float32' | 'float64';
const TOL = { float32: [1e-4, 2e-4], float64: [1e-11, 1e-11] } as const;
const geo = (k: [number, number], s: [number, number], p: [number, number], d: [number, number]): WindowGeometry => ({ kernel: k, stride: s, padding: p, dilation: d });

/** y, gx, gw, gb of a convolution straight from the sums that define them (float64). */
function reference(x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, dy: ArrayLike<number>, [n, c, h, wd]: number[], o: number, g: WindowGeometry) {
  const [kh, kw] = g.kernel, oh = windowOut(h!, kh, g.stride[0], g.padding[0], g.dilation[0]), ow = windowOut(wd!, kw, g.stride[1], g.padding[1], g.dilation[1]);
  const y = new Float64Array(n! * o * oh * ow), gx = new Float64Array(x.length), gw = new Float64Array(w.length), gb = new Float64Array(o);
  for (let i = 0; i < n!; i++) for (let r = 0; r < o; r++) for (let p = 0; p < oh; p++) for (let q = 0; q < ow; q++) {
    const yi = ((i * o + r) * oh + p) * ow + q;
    let s = b[r]!;
    gb[r] = gb[r]! + dy[yi]!;
    for (let ch = 0; ch < c!; ch++) for (let a = 0; a < kh; a++) for (let e = 0; e < kw; e++) {
      const ih = p * g.stride[0] - g.padding[0] + a * g.dilation[0], iw = q * g.stride[1] - g.padding[1] + e * g.dilation[1];
      if (ih < 0 || ih >= h! || iw < 0 || iw >= wd!) continue;
      const xi = ((i * c! + ch) * h! + ih) * wd! + iw, wi = ((r * c! + ch) * kh + a) * kw + e;
      s += w[wi]! * x[xi]!;
      gx[xi] = gx[xi]! + w[wi]! * dy[yi]!;
      gw[wi] = gw[wi]! + x[xi]! * dy[yi]!;
    }
    y[yi] = s;
  }
  return { y, gx, gw, gb };
}

function check(what: string, got: Storage, want: ArrayLike<number>, dtype: DT): void {
  const [atol, rtol] = TOL[dtype];
  const i = firstMismatch(got, dtype === 'float32' ? Float32Array.from(want) : want, atol, rtol);
  assert.equal(i, -1, i < 0 ? '' : `${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
}

// [shape, out channels, geometry]: SIMD bodies and tails, strides, padding, dilation, k = l > 256 (KC slices).
const CASES: [number[], number, WindowGeometry][] = [
  [[2, 3, 8, 9], 5, geo([3, 3], [1, 1], [1, 1], [1, 1])],
  [[3, 2, 7, 11], 4, geo([2, 3], [2, 3], [1, 0], [1, 1])],
  [[2, 1, 9, 9], 3, geo([3, 2], [1, 2], [2, 1], [2, 3])],
  [[2, 2, 20, 20], 9, geo([3, 3], [1, 1], [1, 1], [1, 1])],
  [[1, 1, 3, 3], 2, geo([3, 3], [1, 1], [3, 3], [1, 1])],
];

for (const [name, backend, skip] of backends) {
  for (const dtype of ['float32', 'float64'] as const) {
    test(`${name} ${dtype}: conv2d and conv2dGrad agree with the definition (with and without bias; any subset of gradients)`, { skip }, () => {
      for (const [s, [shape, o, g]] of CASES.entries()) {
        const xLen = shape.reduce((a, v) => a * v, 1), wLen = o * shape[1]! * g.kernel[0] * g.kernel[1];
        const x = store(dtype, randomArray(xLen, 3 + s, -2, 2)), w = store(dtype, randomArray(wLen, 5 + s, -1, 1)), b = store(dtype, randomArray(o, 7 + s, -1, 1));
        const zero = new Float64Array(o);
        const ref = reference(x, w, b, [], shape, o, g), dy = store(dtype, randomArray(ref.y.length, 9 + s, -1, 1));
        const want = reference(x, w, b, dy, shape, o, g), what = `${dtype} ${JSON.stringify({ shape, o, g })}`;
        const y = store(dtype, new Array(ref.y.length).fill(12345.5));
        backend!.conv2d(x, w, b, y, shape, o, g);
        check(`y ${what}`, y, want.y, dtype);
        backend!.conv2d(x, w, null, y, shape, o, g);
        check(`y without bias ${what}`, y, reference(x, w, zero, dy, shape, o, g).y, dtype);
        const gx = store(dtype, new Array(xLen).fill(9)), gw = store(dtype, new Array(wLen).fill(9)), gb = store(dtype, new Array(o).fill(9));
        backend!.conv2dGrad(dy, x, w, gx, gw, gb, shape, o, g);
        check(`gx ${what}`, gx, want.gx, dtype);
        check(`gw ${what}`, gw, want.gw, dtype);
        check(`gb ${what}`, gb, want.gb, dtype);
        const gw2 = store(dtype, new Array(wLen).fill(9));
        backend!.conv2dGrad(dy, x, w, null, gw2, null, shape, o, g);
        assert.deepEqual(gw2, gw, `gw alone ${what}`);
      }
    });
  }
}

const withWasm = hasWasmSimd() && (await initWasmBackend({ select: false }));
/** conv2d as the composition the primitive replaced: im2col, one broadcast matmul, the bias as a row. */
function composed(x: Tensor, w: Tensor, b: Tensor, padding: number): Tensor {
  const [n, o] = [x.shape[0]!, w.shape[0]!], l = x.shape[2]! * x.shape[3]!;
  const y = matmul(reshape(w, [o, w.size / o]), im2col(x, [w.shape[2]!, w.shape[3]!], { padding }));
  return reshape(add(reshape(y, [n, o * l]), perChannelRow(b, l)), [n, o, x.shape[2]!, x.shape[3]!]);
}

for (const name of withWasm ? ['js', 'wasm'] : ['js']) {
  test(`conv2d primitive on ${name}: forward bit-identical to the composition, gradients close; second derivatives (createGraph) equal the composition's`, () => {
    const prev = getBackend().name;
    setBackend(name);
    try {
      const rng = new Rng(2);
      const x = rand([4, 3, 12, 12], { rng, requiresGrad: true }), w = rand([8, 3, 3, 3], { rng, requiresGrad: true }), b = rand([8], { rng, requiresGrad: true });
      const up = rand([4, 8, 12, 12], { rng });
      const y = conv2d(x, w, b, { padding: 1 }), yc = composed(x, w, b, 1);
      assert.deepEqual(y.data, yc.data, 'forward bit-identical');
      const grads = (out: Tensor): Tensor[] => { for (const t of [x, w, b]) t.grad = null; backward(out, up); return [x.grad!, w.grad!, b.grad!]; };
      const [g1, g2] = [grads(y), grads(yc)];
      g1.forEach((g, i) => assertClose(g, g2[i]!, `grad ${i}`, 1e-4, 1e-4));
      // Second order in float64: d/dx of Σ (∂(Σ y·u)/∂w)².
      const x64 = rand([2, 2, 5, 5], { rng, dtype: 'float64' }), w64 = rand([3, 2, 3, 3], { rng, dtype: 'float64' }), b64 = rand([3], { rng, dtype: 'float64' });
      const u = rand([2, 3, 5, 5], { rng, dtype: 'float64' });
      const second = (f: (a: Tensor, k: Tensor, c: Tensor) => Tensor): Tensor => {
        const xa = x64.detach().requireGrad(), wa = w64.detach().requireGrad();
        backward(sum(mul(f(xa, wa, b64), u)), undefined, { createGraph: true });
        const gwa = wa.grad!;
        xa.grad = null;
        backward(sum(mul(gwa, gwa)));
        return xa.grad!;
      };
      assertClose(second((a, k, c) => conv2d(a, k, c, { padding: 1 })), second((a, k, c) => composed(a, k, c, 1)), 'second derivative', 1e-10, 1e-9);
    } finally {
      setBackend(prev);
    }
  });
}
