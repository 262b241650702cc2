// fitAsync: fit's steps (train/loop.ts) driven without blocking — yields to the event loop between
// batches within a time budget, awaits async callbacks, and stops between batches on an AbortSignal.
import { ArgumentError } from '../core/errors.js';
import { checkOptions as checkOptionKeys } from '../core/options.js';
import { type FitOptions, type FitResult, FIT_KEYS, prepareFit } from './fit.js';
import { type AsyncCallback, type LoopEvent, type LoopResult, callHook, fitLoop } from './loop.js';

export type { AsyncCallback } from './loop.js';

/** What fitAsync reads of an AbortSignal (a DOM/Node `AbortSignal` is one). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

/** fit's options, with callbacks that may be async, plus the non-blocking controls. */
export interface FitAsyncOptions extends Omit<FitOptions, 'callbacks'> {
  /** Hooks may return a Promise; the loop awaits it before going on. */
  callbacks?: AsyncCallback[];
  /** Stops the run between batches once aborted; the result then has `aborted: true`. */
  signal?: AbortSignalLike;
  /**
   * Run batches for at most about this many milliseconds before yielding to the event loop
   * (default 16: one frame at 60 Hz); 0 yields after every batch.
   */
  yieldEveryMs?: number;
}

/** fit's result plus whether the run was aborted (then `stopReason` says where, and `state` cannot be resumed). */
export interface FitAsyncResult extends FitResult {
  aborted: boolean;
}

const now: () => number = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

/**
 * Resolves on a fresh macrotask, letting the page paint and other events (messages, input, an
 * abort) run: a MessageChannel message where available (not clamped like nested setTimeout),
 * else setTimeout(0).
 * @example await yieldToEventLoop();
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((ok) => setTimeout(ok, 0));
  return new Promise((ok) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { channel.port1.close(); ok(); };
    channel.port2.postMessage(null);
  });
}

/**
 * fit without blocking the page: the same steps in the same order, so with the same seed the
 * weights and history (all but the wall-time `ms`) are bit-for-bit those of `fit`. Between batches
 * it yields to the event loop once `yieldEveryMs` have passed since the last yield, awaits callbacks
 * that return Promises, and checks `signal`. Aborted, it stops before the next batch and resolves
 * with `aborted: true`: the model keeps the weights of the last completed batch, the partial epoch
 * is not in `history`, onTrainEnd is not called, and `state.stopReason` is set (resume refuses it).
 * A divergence rejects with DivergenceError as fit throws it.
 * @example
 * const ctl = new AbortController();
 * document.getElementById('stop')!.onclick = () => ctl.abort();
 * const { history, aborted } = await fitAsync({ model, head, optimizer, x, y, epochs: 100, signal: ctl.signal });
 */
export async function fitAsync(options: FitAsyncOptions): Promise<FitAsyncResult> {
  const { signal, yieldEveryMs = 16, ...fitOptions } = options;
  checkOptionKeys('fitAsync', options, { ...FIT_KEYS, signal: true, yieldEveryMs: true });
  if (!(typeof yieldEveryMs === 'number' && yieldEveryMs >= 0)) throw new ArgumentError('fitAsync', `yieldEveryMs must be a number >= 0, got ${String(yieldEveryMs)}`);
  if (signal !== undefined && typeof signal?.aborted !== 'boolean') throw new ArgumentError('fitAsync', 'signal must be an AbortSignal (new AbortController().signal)');
  const { opts, epochs, batchSize } = prepareFit(fitOptions as FitOptions);
  const { ctx, callbacks, steps } = fitLoop(opts, epochs, batchSize, () => signal?.aborted === true);
  let next: IteratorResult<LoopEvent, LoopResult> = steps.next();
  let lastYield = now();
  while (!next.done) {
    const ev = next.value;
    try {
      for (const c of callbacks) {
        const pending = callHook(c, ev, ctx);
        if (pending !== undefined) await pending;
      }
      if (ev.hook === 'onBatchEnd' && now() - lastYield >= yieldEveryMs) {
        await yieldToEventLoop();
        lastYield = now();
      }
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next();
  }
  return { ...next.value.result, aborted: next.value.aborted };
}
