// Gradient checks of the im2col/col2im primitives and of conv2d/pooling composed from them (float64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, rand, tensor, gradcheck, backward, sum, mul, type Tensor } from '../../src/index.js';
import { run } from '../../src/ops/dispatch.js';
import { avgPool2d, col2im, conv2d, globalAvgPool2d, im2col, maxPool2d } from '../../src/ops/conv.js';

const rng = new Rng(77);
const r = (shape: number[]): Tensor => rand(shape, { rng, lo: -1, hi: 1, dtype: 'float64', requiresGrad: true });

const geometries = [
  { kernel: [2, 3] as [number, number], stride: [1, 1] as [number, number], padding: [0, 0] as [number, number], dilation: [1, 1] as [number, number] },
  { kernel: [3, 2] as [number, number], stride: [2, 1] as [number, number], padding: [1, 1] as [number, number], dilation: [1, 2] as [number, number] },
];

test('im2col and col2im primitives pass gradcheck for several geometries', () => {
  for (const g of geometries) {
    const x = r([2, 2, 5, 6]);
    assert.ok(gradcheck((a) => run('im2col', [a], { ...g, padValue: 0 }), [x]).ok);
    const cols = run('im2col', [x.detach()], { ...g, padValue: 0 });
    const c = r([...cols.shape]);
    assert.ok(gradcheck((a) => run('col2im', [a], { ...g, size: [5, 6] }), [c]).ok);
  }
});

test('col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>', () => {
  const x = r([2, 3, 7, 6]).detach();
  const cols = im2col(x, [3, 2], { stride: 2, padding: 1, dilation: [1, 2] });
  const c = r([...cols.shape]).detach();
  const lhs = sum(mul(cols, c)).item();
  const rhs = sum(mul(x, col2im(c, [7, 6], [3, 2], { stride: 2, padding: 1, dilation: [1, 2] }))).item();
  assert.ok(Math.abs(lhs - rhs) < 1e-10, `${lhs} vs ${rhs}`);
});

test('im2col reads PyTorch unfold layout (row c·kh·kw + i·kw + j, zero padding)', () => {
  const x = tensor([1, 2, 3, 4], { shape: [1, 1, 2, 2], dtype: 'float64' });
  const cols = im2col(x, 2, { padding: 1, stride: 2 });
  // Windows at (-1,-1), (-1,1), (1,-1), (1,1): each sees exactly one pixel.
  assert.deepEqual([...cols.shape], [1, 4, 4]);
  assert.deepEqual(cols.toFlat(), [0, 0, 0, 4, 0, 0, 3, 0, 0, 2, 0, 0, 1, 0, 0, 0]);
});

test('conv2d passes gradcheck in x, weight and bias (groups 1 and 2, stride/padding/dilation)', () => {
  const x = r([2, 4, 6, 5]), w = r([3, 4, 3, 2]), b = r([3]);
  assert.ok(gradcheck((a, k, c) => conv2d(a, k, c, { stride: [2, 1], padding: 1, dilation: [1, 2] }), [x, w, b]).ok);
  const w2 = r([4, 2, 2, 2]);
  assert.ok(gradcheck((a, k) => conv2d(a, k, undefined, { groups: 2, padding: 1 }), [x, w2]).ok);
});

test('pooling passes gradcheck: max (with -inf padding), average, global average', () => {
  const x = r([2, 2, 5, 6]);
  assert.ok(gradcheck((a) => maxPool2d(a, 3, { stride: 2, padding: 1 }), [x]).ok);
  assert.ok(gradcheck((a) => maxPool2d(a, 2), [x]).ok);
  assert.ok(gradcheck((a) => avgPool2d(a, [3, 2], { stride: 1, padding: [1, 1] }), [x]).ok);
  assert.ok(gradcheck((a) => globalAvgPool2d(a), [x]).ok);
});

test('maxPool2d routes the gradient of a tie to the first maximum of each window', () => {
  const x = tensor(new Array(16).fill(1), { shape: [1, 1, 4, 4], dtype: 'float64', requiresGrad: true });
  backward(sum(maxPool2d(x, 2)));
  const expected = [1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0];
  assert.deepEqual(x.grad!.toFlat(), expected);
});

test('maxPool2d: NaN wins (the first NaN), a window of −∞ routes to its first in-image tap (PyTorch), a window with no tap inside gives −∞', () => {
  const f64 = { dtype: 'float64' as const, requiresGrad: true };
  const nan = tensor([1, NaN, 5, NaN], { ...f64, shape: [1, 1, 1, 4] });
  const y = maxPool2d(nan, [1, 4]);
  assert.ok(Number.isNaN(y.toFlat()[0]));
  backward(sum(y));
  assert.deepEqual(nan.grad!.toFlat(), [0, 1, 0, 0]);
  // Windows (pad, x0) and (x1, pad): each −∞ window's gradient goes to its in-image tap, not the padding.
  const inf = tensor([-Infinity, -Infinity], { ...f64, shape: [1, 1, 1, 2] });
  const z = maxPool2d(inf, [1, 2], { padding: [0, 1] });
  assert.deepEqual(z.toFlat(), [-Infinity, -Infinity]);
  backward(sum(mul(z, tensor([1, 2], { dtype: 'float64', shape: [1, 1, 1, 2] }))));
  assert.deepEqual(inf.grad!.toFlat(), [1, 2]);
  // Kernel 2, dilation 3, padding 1 over a 2x2 image: the taps −1 and 2 both miss it.
  const lone = maxPool2d(tensor([5, 6, 7, 8], { shape: [1, 1, 2, 2], dtype: 'float64' }), 2, { padding: 1, dilation: 3 });
  assert.deepEqual(lone.toFlat(), [-Infinity]);
});

test('conv and pooling errors name the op and the shapes', () => {
  const x = r([2, 3, 7, 6]).detach();
  assert.throws(() => conv2d(x, r([4, 2, 3, 3]).detach()), /conv2d: input \[2,3,7,6\] has 3 channels, weight \[4,2,3,3\] expects 2/);
  assert.throws(() => conv2d(r([2, 3, 2, 2]).detach(), r([4, 3, 3, 3]).detach()), /conv2d: input \[2,3,2,2\] is smaller than the kernel 3x3/);
  assert.throws(() => conv2d(r([3, 7, 6]).detach(), r([4, 3, 3, 3]).detach()), /conv2d: expected an NCHW input of rank 4, got \[3,7,6\]/);
  assert.throws(() => maxPool2d(x, 2, { padding: 2 }), /maxPool2d: padding 2x2 must be at most half the kernel 2x2/);
  assert.throws(() => conv2d(x, r([4, 3, 3, 3]).detach(), r([3]).detach()), /conv2d: bias \[3\] must be \[4\]/);
});

test('broadcastTo (run-based kernel used by conv/batch-norm backward) matches index arithmetic', () => {
  const cases: [number[], number[]][] = [[[3], [2, 3]], [[2, 1], [2, 4]], [[1, 3, 1], [2, 3, 4]], [[2, 1, 3, 1], [2, 4, 3, 5]], [[1], [3, 2]], [[4, 1, 1], [4, 2, 3]], [[1, 1], [1, 1]]];
  for (const [from, to] of cases) {
    const x = rand(from, { rng, dtype: 'float64' });
    const y = x.broadcastTo(to);
    const strides = from.map((_, i) => from.slice(i + 1).reduce((a, b) => a * b, 1));
    const pad = to.length - from.length;
    for (let k = 0; k < y.size; k++) {
      let rem = k, src = 0;
      for (let i = to.length - 1; i >= 0; i--) {
        const idx = rem % to[i]!;
        rem = Math.floor(rem / to[i]!);
        const j = i - pad;
        if (j >= 0 && from[j] !== 1) src += idx * strides[j]!;
      }
      assert.equal(y.data[k], x.data[src], `${JSON.stringify(from)} → ${JSON.stringify(to)} at ${k}`);
    }
  }
});
