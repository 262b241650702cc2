// Conformance of max pooling's one-kernel forward and backward (Backend.maxPool / maxPoolGrad) on js and wasm: the routing of maxPoolIndex, the routed values, the scatter-add.
// The wasm part needs `npm run build` (dist/wasm/neurite.wasm); without it those tests skip, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WindowGeometry } from '../../src/backend/backend.js';
import { windowOut } from '../../src/backend/js/conv.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { randomArray, randomInts } from './reference.js';
import { kernelBackends, store } from './kernel-backends.js';

const backends = await kernelBackends();
const g2: WindowGeometry = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] };
const CASES: [number[], WindowGeometry][] = [
  [[3, 2, 28, 28], g2], [[2, 3, 5, 11], g2], [[1, 1, 8, 18], g2],
  [[2, 3, 8, 9], { kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] }], // overlapping windows: the scatter adds
  [[1, 2, 7, 11], { kernel: [2, 3], stride: [2, 3], padding: [1, 0], dilation: [1, 1] }],
  [[1, 2, 2, 2], { kernel: [2, 2], stride: [1, 1], padding: [1, 1], dilation: [3, 3] }], // windows with no tap inside
];

for (const [name, backend, skip] of backends) {
  for (const dtype of ['float32', 'float64'] as const) {
    test(`${name} ${dtype}: maxPool routes as maxPoolIndex and writes the routed values; maxPoolGrad scatter-adds in window order`, { skip }, () => {
      for (const [s, [shape, g]] of CASES.entries()) {
        const [n, c, h, w] = shape as [number, number, number, number];
        const oh = windowOut(h, g.kernel[0], g.stride[0], g.padding[0], g.dilation[0]), ow = windowOut(w, g.kernel[1], g.stride[1], g.padding[1], g.dilation[1]);
        const x = store(dtype, randomInts(n * c * h * w, 3 + s, -2, 2));
        for (let i = 0; i < x.length; i += 7) x[i] = i % 2 ? NaN : -Infinity;
        const want = new Int32Array(n * c * oh * ow);
        jsBackend.maxPoolIndex(x, want, shape, g, oh, ow);
        const index = new Int32Array(want.length).fill(12345), out = store(dtype, new Array(want.length).fill(12345.5));
        backend!.maxPool(x, index, out, shape, g, oh, ow);
        const what = `${JSON.stringify({ shape, g })}`;
        assert.deepEqual(index, want, `maxPool index ${what}`);
        want.forEach((at, t) => assert.ok(Object.is(out[t], at < 0 ? -Infinity : x[at]), `maxPool value ${t} ${what}: ${out[t]} for x[${at}]`));
        if (s === CASES.length - 1) assert.ok(want.includes(-1), 'the last case has a window without a tap');
        const gy = store(dtype, randomArray(want.length, 9 + s, -1, 1)), gx = store(dtype, new Array(x.length).fill(12345.5));
        backend!.maxPoolGrad(gy, index, gx);
        const sums = store(dtype, new Array(x.length).fill(0));
        want.forEach((at, t) => { if (at >= 0) sums[at] = sums[at]! + gy[t]!; }); // storage rounding after each add, in window order
        assert.deepEqual(gx, sums, `maxPoolGrad ${what}`);
      }
    });
  }
}
