// The captured step's recorder: a backend that logs every kernel call it forwards, and an op observer for engine-side ops.
import type { Tensor } from '../../tensor/tensor.js';
import type { Storage } from '../../core/dtype.js';
import type { Backend } from '../../backend/backend.js';
import { jsBackend } from '../../backend/js/index.js';
import type { OpName } from '../../ops/spec.js';

/** A buffer a kernel reads or writes: float storage, or max pooling's Int32 routing. */
export type Buffer = Storage | Int32Array;

/** One recorded backend call: the method, its arguments as passed, and the buffers it reads and writes. */
export interface KernelEvent {
  readonly kind: 'kernel';
  readonly method: string;
  readonly args: readonly unknown[];
  readonly reads: readonly Buffer[];
  readonly writes: readonly Buffer[];
  /** True when the call ran on the JS reference kernels (jsBackend itself, or handed to it with the same arguments). */
  readonly js: boolean;
}

/** One engine-side primitive (a movement op computed in JS) whose output is a fresh buffer. */
export interface OpEvent {
  readonly kind: 'op';
  readonly op: OpName;
  readonly inputs: readonly Tensor[];
  readonly args: unknown;
  readonly out: Tensor;
  readonly reads: readonly Buffer[];
  readonly writes: readonly Buffer[];
}

export type CaptureEvent = KernelEvent | OpEvent;

/** Which arguments of each Backend method are read and written buffers (by position). */
const ACCESS: Readonly<Record<string, { reads: readonly number[]; writes: readonly number[] }>> = {
  unary: { reads: [1], writes: [2] },
  binary: { reads: [1, 2], writes: [3] },
  unaryParam: { reads: [1], writes: [2] },
  gradParam: { reads: [1, 2], writes: [3] },
  reduce: { reads: [1], writes: [2] },
  matmul: { reads: [0, 1], writes: [2] },
  logSoftmax: { reads: [0], writes: [1] },
  linearAct: { reads: [0, 1, 2], writes: [3] },
  im2col: { reads: [0], writes: [1] },
  col2im: { reads: [0], writes: [1] },
  maxPoolIndex: { reads: [0], writes: [1] },
  maxPool: { reads: [0], writes: [1, 2] },
  maxPoolGrad: { reads: [0, 1], writes: [2] },
  conv2d: { reads: [0, 1, 2], writes: [3] },
  lstmCell: { reads: [0, 1, 2, 3], writes: [4] },
  lstmCellGrad: { reads: [0, 1, 2, 3, 4], writes: [5, 6] },
  conv2dGrad: { reads: [0, 1, 2], writes: [3, 4, 5] },
  batchNormStats: { reads: [0], writes: [1, 2] },
  batchNorm: { reads: [0, 1, 2], writes: [3, 8, 9] },
  batchNormGrad: { reads: [0, 1, 2], writes: [3, 4, 5] },
  batchNormRelu: { reads: [0, 1, 2], writes: [3, 8, 9] },
  batchNormReluGrad: { reads: [0, 1, 2, 3], writes: [4, 5, 6] },
  batchNormReluPool: { reads: [0, 1, 2], writes: [3, 4, 10, 11] },
  batchNormReluPoolGrad: { reads: [0, 1, 2, 3, 4], writes: [5, 6, 7] },
  int8Matmul: { reads: [0, 1], writes: [2] },
  int8Chain: { reads: [0], writes: [3] }, // the layers' weights are constants of the model
};

/** Primitives whose forward runs in the engine (JS), not through a backend kernel. */
const ENGINE_OPS = new Set<OpName>(['where', 'argmax', 'reshape', 'permute', 'broadcastTo', 'slice', 'pad', 'concat', 'indexSelect', 'indexAdd', 'cast']);

/**
 * Runs one backend call and says whether it ran on the JS reference kernel of the same method with
 * the same arguments (a backend other than jsBackend is watched by wrapping jsBackend's method for
 * the duration of the call): what the plan's code generator may inline (capture/codegen.ts).
 */
function ranOnJs(real: Backend, method: string, args: readonly unknown[], run: () => unknown): { result: unknown; js: boolean } {
  if (real === jsBackend) return { result: run(), js: true };
  const table = jsBackend as unknown as Record<string, (...a: unknown[]) => unknown>;
  const orig = table[method];
  if (typeof orig !== 'function') return { result: run(), js: false };
  let js = false;
  table[method] = (...a: unknown[]) => {
    if (a.length === args.length && a.every((x, i) => x === args[i])) js = true;
    return orig.apply(jsBackend, a);
  };
  try {
    return { result: run(), js };
  } finally {
    table[method] = orig;
  }
}

/** True when typed arrays `a` and `b` share bytes (a view, not a copy). */
export function overlaps(a: Buffer, b: Buffer): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/**
 * Records one eager run of a step: every kernel call made through `backend` (install it with
 * withBackend) and every engine-side op seen by `observe` (install it with setOpObserver). The
 * first read of a buffer no recorded event wrote before is copied (`snapshots`), unless `skip`
 * holds it (parameters and inputs, which change between steps by design).
 * @example const rec = new Recorder(getBackend(), new Set()); withBackend(rec.backend, step);
 */
export class Recorder {
  readonly events: CaptureEvent[] = [];
  /** Set when the step called a backend method this recorder cannot replay (the plan then refuses). */
  unrecorded: string | null = null;
  readonly snapshots = new Map<Buffer, Buffer>();
  readonly written = new Set<Buffer>();
  readonly backend: Backend;

  constructor(readonly real: Backend, private readonly skip: ReadonlySet<Buffer>) {
    const proxy: Record<string, unknown> = { name: real.name, ruleKernels: real.ruleKernels };
    // Methods without an ACCESS entry (a newer Backend method) still run, but mark the step unreplayable.
    for (const [method, f] of Object.entries(real as unknown as Record<string, unknown>)) {
      if (typeof f !== 'function' || Object.hasOwn(ACCESS, method)) continue;
      proxy[method] = (...args: unknown[]) => {
        this.unrecorded ??= `backend method ${method} is not recorded by the capture`;
        return (f as (...a: unknown[]) => unknown).apply(real, args);
      };
    }
    for (const method of Object.keys(ACCESS)) {
      const f = (real as unknown as Record<string, ((...a: unknown[]) => unknown) | undefined>)[method];
      if (typeof f !== 'function') continue;
      const { reads, writes } = ACCESS[method]!;
      proxy[method] = (...args: unknown[]) => {
        const r = reads.map((i) => args[i]).filter((b): b is Buffer => b !== null && b !== undefined);
        this.noteReads(r);
        const { result, js } = ranOnJs(real, method, args, () => f.apply(real, args));
        // linearAct returns false when it did nothing: the caller then runs (and we record) the three kernels.
        if (result !== false) this.push({ kind: 'kernel', method, args, reads: r, writes: writes.map((i) => args[i]).filter((b): b is Buffer => b !== null && b !== undefined), js });
        return result;
      };
    }
    this.backend = proxy as unknown as Backend;
  }

  /** The op observer to install while recording. */
  readonly observe = (op: OpName, inputs: readonly Tensor[], args: unknown, out: Tensor): void => {
    if (!ENGINE_OPS.has(op) || inputs.some((t) => overlaps(t.data, out.data))) return; // views share their input's buffer
    const reads = inputs.map((t) => t.data);
    this.noteReads(reads);
    this.push({ kind: 'op', op, inputs, args, out, reads, writes: [out.data] });
  };

  private noteReads(reads: readonly Buffer[]): void {
    for (const b of reads) if (!this.written.has(b) && !this.skip.has(b) && !this.snapshots.has(b)) this.snapshots.set(b, b.slice());
  }

  private push(e: CaptureEvent): void {
    this.events.push(e);
    for (const w of e.writes) this.written.add(w);
  }
}
