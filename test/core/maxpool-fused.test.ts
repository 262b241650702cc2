// The maxPool2d primitive (one backend kernel each way) against the composition it replaced (maxPoolIndex routing, an indexSelect gather, its indexAdd scatter): bit-identical values and gradients on js and wasm, and under createGraph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, rand, backward, sum, mul, maxPool2d, indexSelect, type Tensor } from '../../src/index.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import { getBackend, setBackend } from '../../src/backend/registry.js';
import { hasWasmSimd } from '../../src/backend/wasm/load.js';
import { windowOut } from '../../src/backend/js/conv.js';
import type { WindowGeometry } from '../../src/backend/backend.js';

const wasm = hasWasmSimd() && (await initWasmBackend({ select: false }));
const backends = wasm ? ['js', 'wasm'] : ['js'];

/** The former maxPool2d: the backend's routing, then a recorded gather (whose gradient is a scatter-add). */
function composedMaxPool(x: Tensor, g: WindowGeometry): Tensor {
  const oh = windowOut(x.shape[2]!, g.kernel[0], g.stride[0], g.padding[0], g.dilation[0]), ow = windowOut(x.shape[3]!, g.kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
  const index = new Int32Array(x.shape[0]! * x.shape[1]! * oh * ow);
  getBackend().maxPoolIndex(x.data, index, x.shape, g, oh, ow);
  return indexSelect(x.reshape([x.size]), 0, index).reshape([x.shape[0]!, x.shape[1]!, oh, ow]);
}

function sameBits(got: Tensor, want: Tensor, what: string): void {
  assert.deepEqual(got.shape, want.shape, what);
  assert.deepEqual(new Uint8Array(got.data.buffer, got.data.byteOffset, got.data.byteLength), new Uint8Array(want.data.buffer, want.data.byteOffset, want.data.byteLength), what);
}

const GEOMETRIES: WindowGeometry[] = [
  { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] },
  { kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1] },
  { kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] }, // overlapping windows
];

for (const name of backends) test(`maxPool2d on ${name}: values and gradients bit-identical to routing + gather + scatter-add (float32 and float64)`, () => {
  const prev = getBackend().name;
  setBackend(name);
  try {
    for (const dtype of ['float32', 'float64'] as const) for (const [k, g] of GEOMETRIES.entries()) {
      const rng = new Rng(20 + k);
      // Integers in a small range: many ties, so the routing decides every gradient.
      const x0 = rand([4, 3, 14, 14], { rng, dtype, lo: -3, hi: 3 });
      x0.data.forEach((v, i) => { x0.data[i] = Math.round(v); });
      const x1 = x0.detach().requireGrad(), x2 = x0.detach().requireGrad();
      const y1 = maxPool2d(x1, g.kernel, { stride: g.stride, padding: g.padding }), y2 = composedMaxPool(x2, g);
      sameBits(y1, y2, `${dtype} ${JSON.stringify(g)} values`);
      const u = rand(y1.shape, { rng, dtype });
      backward(sum(mul(y1, u)));
      backward(sum(mul(y2, u)));
      sameBits(x1.grad!, x2.grad!, `${dtype} ${JSON.stringify(g)} gradient`);
      const x3 = x0.detach().requireGrad();
      // With u trainable, the gradient is itself differentiable (in u): the recorded indexAdd path.
      backward(sum(mul(maxPool2d(x3, g.kernel, { stride: g.stride, padding: g.padding }), u.detach().requireGrad())), undefined, { createGraph: true });
      sameBits(x3.grad!, x1.grad!, `${dtype} ${JSON.stringify(g)} gradient under createGraph`);
      assert.ok(x3.grad!.requiresGrad, 'the createGraph gradient is itself differentiable');
    }
  } finally {
    setBackend(prev);
  }
});
