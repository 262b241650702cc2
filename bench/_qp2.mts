import '../src/ops/dispatch.js';
import { initWasmBackend } from '../src/backend/wasm/index.js';
import { getBackend } from '../src/backend/registry.js';
await initWasmBackend();
const b = getBackend();
for (const [m, k, n] of [[256, 784, 256], [256, 256, 128], [1024, 784, 256]]) {
  const kp = Math.ceil(k / 8) * 8;
  const x = Float32Array.from({ length: m * k }, () => Math.random());
  const w = Int16Array.from({ length: n * kp }, () => (Math.random() * 254 - 127) | 0);
  const xq = Int16Array.from({ length: m * kp }, () => (Math.random() * 254 - 127) | 0);
  const cs = new Float32Array(n).fill(1e-4), bias = new Float32Array(n), out = new Float32Array(m * n), acc = new Int32Array(m * n);
  const wf = Float32Array.from({ length: n * k }, () => Math.random()), of = new Float32Array(m * n);
  const time = (f: () => void): number => { f(); const t = performance.now(); let i = 0; while (performance.now() - t < 300) { f(); i++; } return (performance.now() - t) / i; };
  for (let r = 0; r < 2; r++) {
    const lin = time(() => b.int8Linear(x, m, k, { scale: 0.01, zeroPoint: -3 }, w, kp, n, cs, bias, out));
    const mm = time(() => b.int8Matmul(xq, w, acc, m, kp, n));
    const f = time(() => b.matmul(x, wf, of, { batch: 1, m, k, n, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 }));
    console.log(`${m}x${k}x${n}: int8Linear ${lin.toFixed(2)} ms, int8Matmul ${mm.toFixed(2)}, f32 matmul ${f.toFixed(2)}  (GMAC/s i8 ${(m*k*n/mm/1e6).toFixed(1)}, f32 ${(m*k*n/f/1e6).toFixed(1)})`);
  }
}
