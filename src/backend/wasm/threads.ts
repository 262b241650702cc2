// Worker pool for the WASM matmul (Node worker_threads or browser module Workers): one shared WebAssembly.Memory, Atomics dispatch.
//
// Each worker owns a 128-byte slot of a control block in the shared memory:
//   int32[0] job sequence number (the main thread bumps it; -1 asks the worker to exit)
//   int32[1] the last sequence number the worker finished
//   int32[2] 1 when that job threw (the worker keeps serving)
//   int32[3..17] the 15 arguments of matmulRange
// The main thread computes its own share while the workers run theirs, then waits on each `done`.

import { platform } from '#wasm-platform';
import type { KernelWorker } from './platform-types.js';

/** Bytes of one worker's control slot. */
const SLOT = 128;
const SEQ = 0, DONE = 1, FAILED = 2, ARGS = 3, NARGS = 15;
/**
 * Polls before sleeping in Atomics.wait (whose wake-up costs ~40 µs on these VMs, the time of a
 * 96³ matmul): back-to-back matmuls of a training step then start without that latency.
 */
const SPIN = 20000;

/**
 * The worker's program after the host's prelude (which defines `init` and `post`): the same in Node
 * (worker_threads, eval'd) and browsers (a module Worker from a Blob), so both run the same dispatch.
 */
const WORKER_BODY = `
  const { module, memory, ctrlByte } = init;
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const ctrl = new Int32Array(memory.buffer, ctrlByte, ${SLOT / 4});
  post('ready');
  let seen = 0;
  for (;;) {
    for (let i = 0; i < ${SPIN} && Atomics.load(ctrl, ${SEQ}) === seen; i++);
    Atomics.wait(ctrl, ${SEQ}, seen);
    seen = Atomics.load(ctrl, ${SEQ});
    if (seen < 0) break;
    let failed = 0;
    try {
      const a = [];
      for (let i = 0; i < ${NARGS}; i++) a.push(ctrl[${ARGS} + i]);
      k.matmulRange(...a);
    } catch (e) { failed = 1; }
    Atomics.store(ctrl, ${FAILED}, failed);
    Atomics.store(ctrl, ${DONE}, seen);
    Atomics.notify(ctrl, ${DONE});
  }
`;

/** A started pool: `size` workers besides the calling thread. */
export class MatmulThreadPool {
  private seq = 0;
  private constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly ctrlByte: number,
    private workers: KernelWorker[],
    /** Whether the calling thread may sleep in Atomics.wait (not on a browser's main thread: it spins). */
    private readonly canBlock: boolean,
  ) {}

  /** Bytes of control block a pool of `workers` needs at the start of the scratch region. */
  static controlBytes(workers: number): number {
    return workers * SLOT;
  }

  /**
   * Starts `workers` worker threads on the threaded kernels module and shared memory; resolves once
   * each has instantiated it. The control block lives at byte `ctrlByte` of `memory`.
   * @example const pool = await MatmulThreadPool.start(module, memory, base, 1);
   */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, ctrlByte: number, workers: number): Promise<MatmulThreadPool> {
    new Int32Array(memory.buffer, ctrlByte, (workers * SLOT) / 4).fill(0);
    const started: KernelWorker[] = [];
    try {
      for (let w = 0; w < workers; w++) {
        started.push(await platform.startKernelWorker(WORKER_BODY, { module, memory, ctrlByte: ctrlByte + w * SLOT }));
      }
    } catch (err) {
      await Promise.all(started.map((w) => w.terminate()));
      throw err;
    }
    return new MatmulThreadPool(memory, ctrlByte, started, platform.canBlock());
  }

  /** Number of worker threads (the caller's thread works too). */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs matmulRange over rows [0, rows) split between the workers and `runLocal` (the calling thread),
   * in chunks aligned to `align` rows. `args` are the 13 arguments before (start, end); `scratch(i)`
   * gives the pack-buffer pair of participant i (0 = the caller).
   */
  run(args: readonly number[], rows: number, align: number, scratch: (i: number) => [number, number], runLocal: (pA: number, pB: number, start: number, end: number) => void): void {
    const parts = this.workers.length + 1;
    const chunk = Math.ceil(rows / parts / align) * align;
    const seq = ++this.seq;
    const ctrl = new Int32Array(this.memory.buffer, this.ctrlByte, (this.workers.length * SLOT) / 4);
    const busy: number[] = [];
    for (let w = 0; w < this.workers.length; w++) {
      const start = Math.min(rows, (w + 1) * chunk), end = Math.min(rows, (w + 2) * chunk);
      if (start >= end) continue;
      const base = (w * SLOT) / 4;
      const [pA, pB] = scratch(w + 1);
      ctrl.set(args.slice(0, 11), base + ARGS);
      ctrl.set([pA, pB, start, end], base + ARGS + 11);
      Atomics.store(ctrl, base + SEQ, seq);
      Atomics.notify(ctrl, base + SEQ);
      busy.push(base);
    }
    const [pA, pB] = scratch(0);
    runLocal(pA, pB, 0, Math.min(rows, chunk));
    let failed = false;
    for (const base of busy) {
      for (let i = 0; i < SPIN && Atomics.load(ctrl, base + DONE) !== seq; i++);
      for (let v = Atomics.load(ctrl, base + DONE); v !== seq; v = Atomics.load(ctrl, base + DONE)) if (this.canBlock) Atomics.wait(ctrl, base + DONE, v);
      failed ||= ctrl[base + FAILED] === 1;
    }
    if (failed) throw new Error('wasm backend: a matmul worker thread failed (a kernel trapped)');
  }

  /** Stops the workers; the pool then has size 0 and callers run single-threaded. */
  async close(): Promise<void> {
    const workers = this.workers;
    const ctrl = new Int32Array(this.memory.buffer, this.ctrlByte, (this.workers.length * SLOT) / 4);
    for (let w = 0; w < this.workers.length; w++) {
      Atomics.store(ctrl, (w * SLOT) / 4 + SEQ, -1);
      Atomics.notify(ctrl, (w * SLOT) / 4 + SEQ);
    }
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
