// Torch options of the pooling and conv layers (ceilMode, countIncludePad, divisorOverride, padding 'same'/'valid')
// against PyTorch 1.13 goldens (scripts/goldens/pool_options.py): outputs and gradients, float64 and float32.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, backward, type DType, type Tensor } from '../../src/index.js';
import { fixture, toTensor, assertClose, type FixtureTensor } from '../helpers/fixtures.js';

type Opts = Record<string, unknown> & { kernel?: number | [number, number] };
type PoolCase = { name: string; opts: Opts; x: FixtureTensor; g: FixtureTensor; y: FixtureTensor; dx: FixtureTensor };
type ConvCase = PoolCase & { in: number; out: number; kernel: number | [number, number]; weight: FixtureTensor; bias: FixtureTensor; dweight: FixtureTensor; dbias: FixtureTensor };
const golden = fixture<{ maxPool: PoolCase[]; avgPool: PoolCase[]; conv: ConvCase[] }>('pool_options.json');
const tol: Record<DType, [number, number]> = { float64: [1e-10, 1e-9], float32: [2e-5, 2e-4] };

function checkPool(c: PoolCase, layer: nn.Module, dtype: DType): void {
  const [atol, rtol] = tol[dtype];
  const x = toTensor(c.x, dtype, true);
  const y = layer.forward(x);
  assertClose(y, c.y, `${c.name} (${dtype}) y`, atol, rtol);
  backward(y, toTensor(c.g, dtype));
  assertClose(x.grad!, c.dx, `${c.name} (${dtype}) dx`, atol, rtol);
}

const withoutKernel = ({ kernel: _k, ...rest }: Opts): Opts => rest;

for (const dtype of ['float64', 'float32'] as const) {
  test(`MaxPool2d with ceilMode matches PyTorch, forward and backward (${dtype})`, () => {
    assert.equal(golden.maxPool.length, 5);
    for (const c of golden.maxPool) checkPool(c, new nn.MaxPool2d(c.opts.kernel!, withoutKernel(c.opts) as never), dtype);
  });
  test(`AvgPool2d with ceilMode / countIncludePad / divisorOverride matches PyTorch (${dtype})`, () => {
    assert.equal(golden.avgPool.length, 7);
    for (const c of golden.avgPool) checkPool(c, new nn.AvgPool2d(c.opts.kernel!, withoutKernel(c.opts) as never), dtype);
  });
  test(`Conv2d padding 'same' / 'valid' matches PyTorch, weight and bias gradients included (${dtype})`, () => {
    const [atol, rtol] = tol[dtype];
    assert.equal(golden.conv.length, 5);
    for (const c of golden.conv) {
      const conv = new nn.Conv2d(c.in, c.out, c.kernel, { ...(c.opts as object), dtype });
      const w = toTensor(c.weight, dtype, true), b = toTensor(c.bias, dtype, true);
      conv.loadStateDict({ weight: w, bias: b });
      const x = toTensor(c.x, dtype, true);
      const y = conv.forward(x);
      assertClose(y, c.y, `${c.name} (${dtype}) y`, atol, rtol);
      backward(y, toTensor(c.g, dtype));
      const p = conv.params as Record<string, Tensor>;
      assertClose(x.grad!, c.dx, `${c.name} dx`, atol, rtol);
      assertClose(p.weight!.grad!, c.dweight, `${c.name} dweight`, atol, rtol);
      assertClose(p.bias!.grad!, c.dbias, `${c.name} dbias`, atol, rtol);
    }
  });
}

test('the new options survive toJSON → moduleFromJSON (shapes as PyTorch)', () => {
  const layers = [
    new nn.MaxPool2d(2, { ceilMode: true }),
    new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false, divisorOverride: 2 }),
    new nn.Conv2d(1, 2, 4, { padding: 'same' }),
  ];
  const x = toTensor(golden.maxPool[0]!.x).detach();
  const one = x.shape[1] === 1 ? x : toTensor({ shape: [1, 1, 5, 5], data: x.toFlat().slice(0, 25) });
  for (const layer of layers) {
    const copy = nn.moduleFromJSON(JSON.parse(JSON.stringify(layer.toJSON())));
    assert.deepEqual(copy.toJSON(), layer.toJSON());
    assert.deepEqual(copy.forward(one).shape, layer.forward(one).shape, layer.describe());
  }
  assert.deepEqual(new nn.MaxPool2d(2, { ceilMode: true }).forward(one).shape, [1, 1, 3, 3]);   // PyTorch: 3x3 (floor: 2x2)
  assert.deepEqual(new nn.Conv2d(1, 2, 4, { padding: 'same' }).forward(one).shape, [1, 2, 5, 5]);
});

test("padding 'same' needs stride 1, and option values are type-checked", () => {
  assert.throws(() => new nn.Conv2d(1, 1, 3, { padding: 'same', stride: 2 }), /Conv2d: padding 'same' needs stride 1 \(as PyTorch\), got stride 2x2/);
  assert.throws(() => new nn.Conv2d(1, 1, 3, { padding: 'full' as never }), /Conv2d: padding must be a number, a \[h, w\] pair, 'same' or 'valid', got "full"/);
  assert.throws(() => new nn.MaxPool2d(2, { ceilMode: 'yes' as never }), /MaxPool2d: ceilMode must be true or false, got "yes"/);
  assert.throws(() => new nn.AvgPool2d(2, { divisorOverride: 0 }), /AvgPool2d: divisorOverride must be a positive integer, got 0/);
});
