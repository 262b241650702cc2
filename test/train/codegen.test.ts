// The captured plan's generated code (autograd/capture/codegen.ts): every inlined kernel is bit-identical to its JS kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { jsBackend } from '../../src/backend/js/index.js';
import type { BinaryOp, UnaryOp } from '../../src/backend/backend.js';
import { generatePlan } from '../../src/autograd/capture/codegen.js';
import type { Buffer, KernelEvent } from '../../src/autograd/capture/record.js';

type Arr = Float32Array | Float64Array;
const SPECIAL = [0, -0, Number.NaN, Infinity, -Infinity, 1e-45, -3e38, 1, -1];

/** Random values with the special ones sprinkled in. */
function values(n: number, f64: boolean, seed: number): Arr {
  const rng = new Rng(seed), a = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = i % 7 === 3 ? SPECIAL[(i + seed) % SPECIAL.length]! : rng.normal() * 3;
  return a;
}

const hex = (a: Arr): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

/**
 * Runs the event once through the generated code and once through jsBackend on copies of the
 * inputs; asserts the code inlined it and the outputs are equal bit for bit.
 */
function check(method: string, make: (f64: boolean) => unknown[], outAt: number, label: string): void {
  for (const f64 of [false, true]) {
    const args = make(f64), ref = args.map((a) => (ArrayBuffer.isView(a) ? (a as Arr).slice() : a));
    const ev: KernelEvent = { kind: 'kernel', method, args, reads: [], writes: [args[outAt] as Buffer], js: true };
    const gen = generatePlan([ev], [() => { throw new Error('not inlined'); }]);
    assert.ok(gen && gen.inlined === 1, `${label}: inlined`);
    gen.run();
    (jsBackend as unknown as Record<string, (...a: unknown[]) => void>)[method]!(...ref);
    assert.equal(hex(args[outAt] as Arr), hex(ref[outAt] as Arr), `${label} (${f64 ? 'float64' : 'float32'})`);
  }
}

test('matmul: NN, NT, TN over short (written-out) and long sums, rows and columns of one', () => {
  for (const [m, k, n] of [[10, 2, 8], [10, 8, 1], [1, 10, 8], [3, 40, 5], [7, 16, 9], [4, 0, 3], [0, 3, 2], [3, 2, 0]] as const) {
    for (const [transA, transB] of [[false, false], [false, true], [true, false]] as const) {
      check('matmul', (f64) => [values(m * k, f64, m + k), values(k * n, f64, n * 3), values(m * n, f64, 1),
        { batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0 }], 2, `matmul ${m}x${k}x${n} ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`);
    }
  }
});

test('binary: every op, same shapes, row and column broadcasts, scalars, in place', () => {
  const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'gt', 'ge', 'lt', 'le', 'eq', 'reluGrad', 'sigmoidGrad', 'tanhGrad', 'softsignGrad'];
  const plans = [
    { shape: [10, 8], aStrides: [8, 1], bStrides: [0, 1], aLen: 80, bLen: 8 },
    { shape: [10, 8], aStrides: [8, 1], bStrides: [1, 0], aLen: 80, bLen: 10 },
    { shape: [80], aStrides: [1], bStrides: [1], aLen: 80, bLen: 80 },
    { shape: [10], aStrides: [1], bStrides: [0], aLen: 10, bLen: 1 },
    { shape: [1], aStrides: [0], bStrides: [0], aLen: 1, bLen: 1 },
  ];
  for (const op of ops) {
    for (const p of plans) {
      check('binary', (f64) => [op, values(p.aLen, f64, 5), values(p.bLen, f64, 6), values(size(p.shape), f64, 7), p], 3, `${op} ${JSON.stringify(p.shape)}`);
    }
    // In place (out = a), as the bias add runs.
    check('binary', (f64) => { const a = values(80, f64, 8); return [op, a, values(8, f64, 9), a, plans[0]]; }, 3, `${op} in place`);
  }
});

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

test('unary: every inlined op, and in place', () => {
  const ops: UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'abs', 'sign', 'relu', 'tanh', 'sin', 'cos'];
  for (const op of ops) {
    check('unary', (f64) => [op, values(37, f64, 11), values(37, f64, 12)], 2, op);
    check('unary', (f64) => { const x = values(37, f64, 13); return [op, x, x]; }, 2, `${op} in place`);
  }
});

test('reduce sum: to one value, over rows, over columns, no reduction', () => {
  const plans = [
    { shape: [10], outStrides: [0], out: 1 },
    { shape: [10, 8], outStrides: [0, 1], out: 8 },
    { shape: [10, 8], outStrides: [1, 0], out: 10 },
    { shape: [6], outStrides: [1], out: 6 },
  ];
  for (const p of plans) check('reduce', (f64) => ['sum', values(size(p.shape), f64, 21), values(p.out, f64, 22), p], 2, `sum ${JSON.stringify(p)}`);
});

test('calls it cannot inline stay recorded calls, in order', () => {
  const order: number[] = [];
  const x = new Float32Array(4).fill(2), out = new Float32Array(4);
  const events: KernelEvent[] = [
    { kind: 'kernel', method: 'unary', args: ['sigmoid', x, out], reads: [x], writes: [out], js: true },
    { kind: 'kernel', method: 'unary', args: ['neg', x, out], reads: [x], writes: [out], js: true },
    { kind: 'kernel', method: 'unary', args: ['neg', x, out], reads: [x], writes: [out], js: false },
  ];
  const gen = generatePlan(events, [() => order.push(0), () => order.push(1), () => order.push(2)]);
  assert.ok(gen);
  assert.equal(gen.inlined, 1);
  gen.run();
  assert.deepEqual(order, [0, 2]);
  assert.deepEqual([...out], [-2, -2, -2, -2]);
  assert.equal(generatePlan([events[2]!], [() => {}]), null, 'nothing to inline: no generated function');
});

test('where new Function is forbidden (a strict Content-Security-Policy) the plan runs call by call', () => {
  const x = new Float32Array(4).fill(3), out = new Float32Array(4);
  const ev: KernelEvent = { kind: 'kernel', method: 'unary', args: ['neg', x, out], reads: [x], writes: [out], js: true };
  const real = globalThis.Function;
  globalThis.Function = function refused() { throw new EvalError('Refused to evaluate a string as JavaScript (CSP)'); } as unknown as FunctionConstructor;
  try {
    assert.equal(generatePlan([ev], [() => {}]), null);
  } finally {
    globalThis.Function = real;
  }
  assert.ok(generatePlan([ev], [() => {}]));
});
