// The fused LSTM cell (Backend.lstmCell / lstmCellGrad, ops/lstm-cell.ts): kernels against a float64 definition, and bit-identical to the composed cell on js and wasm.
// The wasm part needs `npm run build` (dist/wasm/neurite.wasm); without it those tests skip, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import { hasWasmSimd } from '../../src/backend/wasm/load.js';
import { getBackend, setBackend } from '../../src/backend/registry.js';
import { Rng, rand, add, mul, sub, sigmoid, tanh, narrow, reshape, backward, sum, gradcheck, type Tensor } from '../../src/index.js';
import { lstmStep } from '../../src/ops/lstm-cell.js';
import { firstMismatch, randomArray } from './reference.js';
import { kernelBackends, store } from './kernel-backends.js';

const backends = await kernelBackends();
const sig = (v: number): number => 1 / (1 + Math.exp(-v));

for (const [name, backend, skip] of backends) {
  for (const dtype of ['float32', 'float64'] as const) {
    test(`${name} ${dtype}: lstmCell and lstmCellGrad agree with the definition (with and without bias, ragged rows)`, { skip }, () => {
      for (const [h, n] of [[3, 5], [2, 8], [16, 7], [1, 1]] as const) {
        const len = h * n, tol = dtype === 'float32' ? [1e-6, 1e-5] : [1e-14, 1e-13];
        const xg = store(dtype, randomArray(4 * len, h + 1, -3, 3)), hg = store(dtype, randomArray(4 * len, n + 2, -3, 3));
        const c0 = store(dtype, randomArray(len, 3, -2, 2)), dout = store(dtype, randomArray(2 * len, 4, -1, 1));
        for (const b of [null, store(dtype, randomArray(4 * h, 5, -1, 1))]) {
          const out = store(dtype, new Array(2 * len).fill(9)), dg = store(dtype, new Array(4 * len).fill(9)), dc0 = store(dtype, new Array(len).fill(9));
          backend!.lstmCell(xg, hg, b, c0, out, h, n);
          backend!.lstmCellGrad(xg, hg, b, c0, dout, dg, dc0, h, n);
          const want = { out: new Float64Array(2 * len), dg: new Float64Array(4 * len), dc0: new Float64Array(len) };
          for (let e = 0; e < len; e++) {
            const p = (k: number): number => xg[k * len + e]! + hg[k * len + e]! + (b ? b[k * h + Math.floor(e / n)]! : 0);
            const [i, f, g, o] = [sig(p(0)), sig(p(1)), Math.tanh(p(2)), sig(p(3))];
            const c = f * c0[e]! + i * g, tc = Math.tanh(c), dh = dout[e]!, dc = dout[len + e]! + dh * o * (1 - tc * tc);
            want.out[e] = o * tc; want.out[len + e] = c;
            [dc * g * i * (1 - i), dc * c0[e]! * f * (1 - f), dc * i * (1 - g * g), dh * tc * o * (1 - o)].forEach((v, k) => { want.dg[k * len + e] = v; });
            want.dc0[e] = dc * f;
          }
          for (const [what, got, w] of [['out', out, want.out], ['dgates', dg, want.dg], ['dc0', dc0, want.dc0]] as const) {
            const at = firstMismatch(got, w, tol[0]!, tol[1]!);
            assert.equal(at, -1, at < 0 ? '' : `${what} [${h}, ${n}] bias ${b !== null}: element ${at} is ${got[at]}, expected ${w[at]}`);
          }
        }
      }
    });
  }
}

/** The cell composed from ops, as LSTM.cell was before the fused primitive (the biases as a column). */
function composedStep(xg: Tensor, hg: Tensor, c0: Tensor, b: Tensor): { h: Tensor; c: Tensor } {
  const h = c0.shape[0]!, p = add(add(xg, hg), reshape(b, [4 * h, 1]));
  const gate = (k: number): Tensor => narrow(p, 0, k * h, h);
  const [i, f, g, o] = [sigmoid(gate(0)), sigmoid(gate(1)), tanh(gate(2)), sigmoid(gate(3))];
  const c = add(mul(f, c0), mul(i, g));
  return { h: mul(o, tanh(c)), c };
}

const withWasm = hasWasmSimd() && (await initWasmBackend({ select: false }));
for (const name of withWasm ? ['js', 'wasm'] : ['js']) {
  test(`lstmCell on ${name}: values and gradients bit-identical to the composed cell (H 64, N 32 and H 3, N 5)`, () => {
    const prev = getBackend().name;
    setBackend(name);
    try {
      for (const [h, n] of [[64, 32], [3, 5]] as const) {
        const rng = new Rng(h);
        const leaves = [[4 * h, n], [4 * h, n], [h, n], [4 * h]].map((s) => rand(s, { rng, lo: -2, hi: 2, requiresGrad: true }));
        const [uh, uc] = [rand([h, n], { rng }), rand([h, n], { rng })];
        const grads = (step: typeof lstmStep): Float32Array[] => {
          leaves.forEach((t) => (t.grad = null));
          const { h: ht, c } = step(leaves[0]!, leaves[1]!, leaves[2]!, leaves[3]!);
          backward(add(sum(mul(ht, uh)), sum(mul(mul(c, c), uc))));
          return [ht.data as Float32Array, c.data as Float32Array, ...leaves.map((t) => t.grad!.data as Float32Array)];
        };
        const [fused, composed] = [grads(lstmStep), grads((a, b, c, d) => composedStep(a, b, c, d!))];
        fused.forEach((v, i) => assert.deepEqual(v, composed[i], `[${h}, ${n}] output/gradient ${i}`));
      }
    } finally {
      setBackend(prev);
    }
  });
}

test('lstmCell passes a float64 gradcheck in every input; bad shapes are named', () => {
  const rng = new Rng(3), h = 2, n = 3;
  const leaves = [[4 * h, n], [4 * h, n], [h, n], [4 * h]].map((s) => rand(s, { rng, dtype: 'float64', lo: -2, hi: 2, requiresGrad: true }));
  const u = rand([h, n], { rng, dtype: 'float64' });
  assert.ok(gradcheck((a, b, c, d) => { const s = lstmStep(a!, b!, c!, d); return add(mul(s.h, u), sub(s.c, mul(s.c, s.c))); }, leaves).ok);
  assert.throws(() => lstmStep(leaves[0]!, leaves[1]!, leaves[0]!), /lstmCell: gates \[8,3\] and \[8,3\] must be \[32, 3\]/);
});
