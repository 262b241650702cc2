// The captured plan as one generated JS function: kernels that ran on the JS reference kernels are inlined with their shapes as constants.
//
// A replayed plan of small tensors is dominated by the fixed cost of each kernel call (argument
// objects, generic loops over a broadcast plan, a matmul dispatching on its transpose flags). Here
// the plan's calls that ran on the JS kernels (jsBackend, directly or because the WASM backend
// handed a small op to it) become straight-line code over the plan's fixed buffers, one `new
// Function` per plan; everything else (WASM kernels, engine-side ops, kernels without an emitter
// here) is called as before. Every emitter writes the JS kernel's own arithmetic — the same
// expressions in the same order per element, rounded at the same points (a float32 store, or
// Math.fround where the kernel stores and reloads) — so the generated code is bit-identical to
// the kernels (test/train/codegen.test.ts compares every emitter with its kernel).
import type { Storage } from '../../core/dtype.js';
import type { BinaryOp, BroadcastPlan, MatmulParams, ReducePlan, UnaryOp } from '../../backend/backend.js';
import type { Buffer, CaptureEvent } from './record.js';

/** Kernels above this many multiply-adds or elements are left to the kernels themselves (loops there are tuned for size). */
const MAX_WORK = 65536;
/** Products with k and n up to these are written out term by term (k·n statements per row). */
const UNROLL = 16;
const UNROLL_COLS = 8;

/** A binary row kernel's expression over x = a[·], y = b[·] (R: Math.fround, for float32 outputs only where the kernel rounds). */
const BINARY: Partial<Record<BinaryOp, (f32: boolean) => string>> = {
  add: () => 'x + y', sub: () => 'x - y', mul: () => 'x * y', div: () => 'x / y', pow: () => 'Math.pow(x, y)',
  maximum: () => '(x !== x || x > y ? x : y)', minimum: () => '(x !== x || x < y ? x : y)',
  gt: () => '(x > y ? 1 : 0)', ge: () => '(x >= y ? 1 : 0)', lt: () => '(x < y ? 1 : 0)', le: () => '(x <= y ? 1 : 0)', eq: () => '(x === y ? 1 : 0)',
  reluGrad: () => '(y > 0 ? x : 0)', sigmoidGrad: () => 'x * y * (1 - y)', tanhGrad: () => 'x * (1 - y * y)',
  softsignGrad: (f32) => (f32 ? 'x / R(R(1 + Math.abs(y)) * R(1 + Math.abs(y)))' : 'x / ((1 + Math.abs(y)) * (1 + Math.abs(y)))'),
};

/** A unary kernel's expression over v = x[·]. */
const UNARY: Partial<Record<UnaryOp, () => string>> = {
  neg: () => '-v', exp: () => 'Math.exp(v)', log: () => 'Math.log(v)', sqrt: () => 'Math.sqrt(v)', abs: () => 'Math.abs(v)',
  sign: () => 'Math.sign(v)', relu: () => '(v <= 0 ? 0 : v)', tanh: () => 'Math.tanh(v)', sin: () => 'Math.sin(v)', cos: () => 'Math.cos(v)',
};

const f32 = (s: unknown): boolean => s instanceof Float32Array;
const sameType = (...xs: unknown[]): boolean => xs.every((x) => x instanceof Float32Array) || xs.every((x) => x instanceof Float64Array);
const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The names of buffers in the generated code: one local per distinct buffer. */
class Slots {
  readonly buffers: Buffer[] = [];
  private readonly ids = new Map<Buffer, number>();
  name(b: unknown): string {
    let i = this.ids.get(b as Buffer);
    if (i === undefined) { i = this.buffers.length; this.ids.set(b as Buffer, i); this.buffers.push(b as Buffer); }
    return `b${i}`;
  }
}

/** matmulJs over fixed shapes: per element the sum over k in order (NT accumulates in float64, NN/TN round every step as their stores do). */
function emitMatmul(s: Slots, [a, b, c, p]: readonly unknown[]): string | null {
  const { batch, m, k, n, transA, transB } = p as MatmulParams;
  if (batch !== 1 || (transA && transB) || !sameType(a, b, c) || (c as Storage).length !== m * n || m * k * n > MAX_WORK) return null;
  if (m * n === 0) return '';
  const A = s.name(a), B = s.name(b), C = s.name(c);
  const at = (q: string): string => (transA ? `${A}[${q} * ${m} + i]` : `${A}[i * ${k} + ${q}]`);
  const bt = (q: string, j: string): string => (transB ? `${B}[${j} * ${k} + ${q}]` : `${B}[${q} * ${n} + ${j}]`);
  const step = (t: string, q: string, j: string): string => {
    const prod = `${at(q)} * ${bt(q, j)}`;
    return transB ? `${t} += ${prod};` : f32(c) ? `${t} = R(${t} + ${prod});` : `${t} = ${t} + ${prod};`;
  };
  const range = (len: number): string[] => Array.from({ length: len }, (_, i) => String(i));
  if (k <= UNROLL && n <= UNROLL_COLS) {
    // Short sums of a few columns written out, the columns' sums interleaved term by term (independent chains).
    const ts = range(n).map((j) => `t${j}`);
    const terms = range(k).flatMap((q) => range(n).map((j) => step(ts[+j]!, q, j)));
    return `for (let i = 0; i < ${m}; i++) { let ${ts.map((t) => `${t} = 0`).join(', ')}; ${terms.join(' ')} ${ts.map((t, j) => `${C}[i * ${n} + ${j}] = ${t};`).join(' ')} }`;
  }
  return `for (let i = 0; i < ${m}; i++) for (let j = 0; j < ${n}; j++) { let t = 0; for (let q = 0; q < ${k}; q++) ${step('t', 'q', 'j')} ${C}[i * ${n} + j] = t; }`;
}

/** binaryJs over a plan of rank 1 or 2: rows of the innermost dim with the plan's strides. */
function emitBinary(s: Slots, [op, a, b, out, plan]: readonly unknown[]): string | null {
  const expr = BINARY[op as BinaryOp], { shape, aStrides, bStrides } = plan as BroadcastPlan, r = shape.length;
  if (!expr || r < 1 || r > 2 || !sameType(a, b, out) || (out as Storage).length !== size(shape) || size(shape) > MAX_WORK) return null;
  if (size(shape) === 0) return '';
  const rows = r === 2 ? shape[0]! : 1, n = shape[r - 1]!, [sa0, sb0] = r === 2 ? [aStrides[0]!, bStrides[0]!] : [0, 0];
  const A = s.name(a), B = s.name(b), O = s.name(out), sa = aStrides[r - 1]!, sb = bStrides[r - 1]!;
  return `for (let q = 0; q < ${rows}; q++) for (let i = 0; i < ${n}; i++) { const x = ${A}[q * ${sa0} + i * ${sa}], y = ${B}[q * ${sb0} + i * ${sb}]; ${O}[q * ${n} + i] = ${expr(f32(out))}; }`;
}

/** The unary kernels with a plain expression (sigmoid, softplus, softsign keep their own loops). */
function emitUnary(s: Slots, [op, x, out]: readonly unknown[]): string | null {
  const expr = UNARY[op as UnaryOp];
  if (!expr || !sameType(x, out) || (x as Storage).length > MAX_WORK) return null;
  const X = s.name(x), O = s.name(out);
  return `for (let i = 0; i < ${(x as Storage).length}; i++) { const v = ${X}[i]; ${O}[i] = ${expr()}; }`;
}

/** reduceJs's sum over a plan of rank 1 or 2: the output zeroed, then each row summed in float64 and added, or added lane by lane. */
function emitReduce(s: Slots, [op, x, out, plan]: readonly unknown[]): string | null {
  const { shape, outStrides } = plan as ReducePlan, r = shape.length;
  if (op !== 'sum' || r < 1 || r > 2 || !sameType(x, out) || (x as Storage).length !== size(shape) || size(shape) > MAX_WORK) return null;
  const X = s.name(x), O = s.name(out), n = shape[r - 1]!, rows = r === 2 ? shape[0]! : 1, so0 = r === 2 ? outStrides[0]! : 0;
  const zero = `${O}.fill(0);`;
  if (size(shape) === 0) return zero;
  if (outStrides[r - 1] === 0) {
    return `${zero} for (let q = 0; q < ${rows}; q++) { let t = 0; for (let i = 0; i < ${n}; i++) t += ${X}[q * ${n} + i]; ${O}[q * ${so0}] = ${O}[q * ${so0}] + t; }`;
  }
  const so = outStrides[r - 1]!;
  return `${zero} for (let q = 0; q < ${rows}; q++) for (let i = 0; i < ${n}; i++) ${O}[q * ${so0} + i * ${so}] = ${O}[q * ${so0} + i * ${so}] + ${X}[q * ${n} + i];`;
}

const EMITTERS: Record<string, (s: Slots, args: readonly unknown[]) => string | null> = {
  matmul: emitMatmul, binary: emitBinary, unary: emitUnary, reduce: emitReduce,
};

/** One event's inlined code, or null when it must be called as recorded. */
function emit(s: Slots, e: CaptureEvent): string | null {
  if (e.kind !== 'kernel' || !e.js) return null;
  return EMITTERS[e.method]?.(s, e.args) ?? null;
}

/**
 * The plan's events as one function: inlined JS kernels, the recorded calls (`steps[i]`) for the
 * rest, in order. Null where nothing could be inlined or the host forbids `new Function` (a
 * Content-Security-Policy without 'unsafe-eval'): the plan then runs its steps one by one.
 * @example const gen = generatePlan(plan.events, plan.steps); if (gen) gen.run();
 */
export function generatePlan(events: readonly CaptureEvent[], steps: readonly (() => void)[]): { run: () => void; inlined: number } | null {
  const s = new Slots(), lines: string[] = [];
  let inlined = 0;
  events.forEach((e, i) => {
    const code = emit(s, e);
    if (code === null) lines.push(`S[${i}]();`);
    else { lines.push(`{ ${code} }`); inlined++; }
  });
  if (inlined === 0) return null;
  // The buffers as locals of the function itself (not of its closure): V8 keeps them in registers.
  const locals = s.buffers.map((_, i) => `const b${i} = B[${i}];`).join(' ');
  try {
    const f = new Function('B', 'S', 'R', `'use strict';\nreturn function replayPlan() {\n${locals}\n${lines.join('\n')}\n};`) as (b: Buffer[], st: readonly (() => void)[], r: (x: number) => number) => () => void;
    return { run: f(s.buffers, steps, Math.fround), inlined };
  } catch {
    return null;
  }
}
