import '../src/ops/dispatch.js';
import { mlp } from '../src/nn/mlp.js';
import { Tensor } from '../src/core/tensor.js';
import { initWasmBackend } from '../src/backend/wasm/index.js';
import { quantize } from '../src/quant/quantize.js';
import { noGrad } from '../src/autograd/graph.js';
import { inferFast } from '../src/nn/infer.js';
await initWasmBackend();
const model = mlp({ sizes: [784, 256, 128, 10], activation: 'relu', seed: 1 }).eval();
const x = new Tensor(Float32Array.from({ length: 256 * 784 }, () => Math.random()), [256, 784]);
const q = quantize(model, x);
for (let r = 0; r < 3; r++) {
  let t = performance.now(); for (let i = 0; i < 50; i++) noGrad(() => q.forward(x)); const a = (performance.now() - t) / 50;
  t = performance.now(); for (let i = 0; i < 50; i++) noGrad(() => inferFast(model, x)); const b = (performance.now() - t) / 50;
  console.log(`int8 ${a.toFixed(2)} ms  f32 ${b.toFixed(2)} ms  ratio ${(b / a).toFixed(2)}`);
}
