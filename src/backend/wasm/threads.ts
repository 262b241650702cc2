// Worker pool for the WASM matmul (Node worker_threads or browser module Workers): one shared WebAssembly.Memory, Atomics dispatch.
//
// The control block (in the shared memory) is one 128-byte job slot, then one slot per worker:
//   job int32[0] job sequence number (the caller bumps it; -1 asks the workers to exit)
//   job int32[1] the claim word: (sequence << 8) | next unclaimed chunk of rows
//   job int32[2] chunks finished, job int32[3] 1 when a chunk threw (the workers keep serving)
//   job int32[4..8] chunks, rows per chunk, rows, scratch base, bytes of scratch per participant
//   job int32[9] byte offset of the B pack buffer inside a participant's scratch
//   job int32[10..20] the first 11 arguments of matmulRange
//   worker slot int32[0] the worker's participant index (1, 2, …; 0 is the calling thread)
// The caller and the workers claim chunks from the claim word with compareExchange until none is
// left, so a worker that wakes late (or is descheduled by another process) costs nothing: the caller
// takes its chunk instead of waiting for it. The caller then waits until every chunk has finished.

import { platform } from '#wasm-platform';
import type { KernelWorker } from './platform-types.js';

/** Bytes of one control slot. */
const SLOT = 128;
const SEQ = 0, CLAIM = 1, FINISHED = 2, FAILED = 3, CHUNKS = 4, CHUNK = 5, ROWS = 6, SCRATCH = 7, PER = 8, PACK_B = 9, ARGS = 10, NARGS = 11;
/** The claim word keeps the low 22 bits of the sequence number above the 8-bit chunk index. */
const TAG_MASK = 0x3fffff;
/**
 * Polls before sleeping in Atomics.wait (whose wake-up costs ~40 µs on these VMs, the time of a
 * 96³ matmul): back-to-back matmuls of a training step then start without that latency.
 */
const SPIN = 20000;

/**
 * Claims and runs chunks of job `seq` until none is left: the same loop for the caller and the
 * workers (serialised into WORKER_BODY; it must not close over anything). `run(start, end)` computes
 * rows [start, end); a throw marks the job failed and still counts the chunk as finished.
 */
function claimChunks(job: Int32Array, seq: number, run: (start: number, end: number) => void): void {
  const tag = (seq & 0x3fffff) << 8;
  const chunks = Atomics.load(job, 4), chunk = Atomics.load(job, 5), rows = Atomics.load(job, 6);
  for (;;) {
    const c = Atomics.load(job, 1);
    if ((c & ~255) !== tag || (c & 255) >= chunks) return;
    if (Atomics.compareExchange(job, 1, c, c + 1) !== c) continue;
    const i = c & 255;
    try {
      run(i * chunk, Math.min(rows, (i + 1) * chunk));
    } catch {
      Atomics.store(job, 3, 1);
    }
    Atomics.add(job, 2, 1);
    Atomics.notify(job, 2);
  }
}

/**
 * The worker's program after the host's prelude (which defines `init` and `post`): the same in Node
 * (worker_threads, eval'd) and browsers (a module Worker from a Blob), so both run the same dispatch.
 */
const WORKER_BODY = `
  const { module, memory, ctrlByte } = init;
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const index = new Int32Array(memory.buffer, ctrlByte, 1)[0];
  const job = new Int32Array(memory.buffer, ctrlByte - index * ${SLOT}, ${SLOT / 4});
  const claimChunks = ${claimChunks.toString()};
  post('ready');
  let seen = 0;
  for (;;) {
    for (let i = 0; i < ${SPIN} && Atomics.load(job, ${SEQ}) === seen; i++);
    Atomics.wait(job, ${SEQ}, seen);
    seen = Atomics.load(job, ${SEQ});
    if (seen < 0) break;
    const a = [];
    for (let i = 0; i < ${NARGS}; i++) a.push(Atomics.load(job, ${ARGS} + i));
    const pA = Atomics.load(job, ${SCRATCH}) + index * Atomics.load(job, ${PER}), pB = pA + Atomics.load(job, ${PACK_B});
    claimChunks(job, seen, (start, end) => k.matmulRange(...a, pA, pB, start, end));
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
    return (workers + 1) * SLOT;
  }

  /**
   * Starts `workers` worker threads on the threaded kernels module and shared memory; resolves once
   * each has instantiated it. The control block lives at byte `ctrlByte` of `memory`.
   * @example const pool = await MatmulThreadPool.start(module, memory, base, 1);
   */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, ctrlByte: number, workers: number): Promise<MatmulThreadPool> {
    const ctrl = new Int32Array(memory.buffer, ctrlByte, MatmulThreadPool.controlBytes(workers) / 4);
    ctrl.fill(0);
    for (let w = 1; w <= workers; w++) ctrl[(w * SLOT) / 4] = w;
    const started: KernelWorker[] = [];
    try {
      for (let w = 1; w <= workers; w++) {
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
   * Runs matmulRange over rows [0, rows) in one chunk per participant (aligned to `align` rows), which
   * the workers and `runLocal` (the calling thread) claim: a worker that has not started by the time
   * the caller is done with its chunk leaves its chunk to the caller. `args` are the 11 arguments
   * before the pack buffers; participant i packs into `scratch + i * per` (A) and `+ packB` (B).
   */
  run(args: readonly number[], rows: number, align: number, scratch: { base: number; per: number; packB: number }, runLocal: (pA: number, pB: number, start: number, end: number) => void): void {
    const chunk = Math.ceil(rows / (this.workers.length + 1) / align) * align;
    const seq = (this.seq = (this.seq + 1) & TAG_MASK || 1);
    const job = new Int32Array(this.memory.buffer, this.ctrlByte, SLOT / 4);
    job.set([0, 0, 0, 0, Math.ceil(rows / chunk), chunk, rows, scratch.base, scratch.per, scratch.packB, ...args.slice(0, NARGS)]);
    Atomics.store(job, CLAIM, seq << 8);
    Atomics.store(job, SEQ, seq);
    Atomics.notify(job, SEQ);
    claimChunks(job, seq, (start, end) => runLocal(scratch.base, scratch.base + scratch.packB, start, end));
    const chunks = job[CHUNKS]!;
    for (let i = 0; i < SPIN && Atomics.load(job, FINISHED) < chunks; i++);
    for (let v = Atomics.load(job, FINISHED); v < chunks; v = Atomics.load(job, FINISHED)) if (this.canBlock) Atomics.wait(job, FINISHED, v);
    if (job[FAILED] === 1) throw new Error('wasm backend: a matmul chunk failed (a kernel trapped in a worker thread or the caller)');
  }

  /** Stops the workers; the pool then has size 0 and callers run single-threaded. */
  async close(): Promise<void> {
    const workers = this.workers;
    const job = new Int32Array(this.memory.buffer, this.ctrlByte, SLOT / 4);
    Atomics.store(job, SEQ, -1);
    Atomics.notify(job, SEQ);
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
