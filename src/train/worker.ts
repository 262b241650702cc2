// Training in a Worker: the page side (trainInWorker) posts the model files, the data (transferred)
// and fit's options; the worker side (serveTraining) runs fitAsync and posts epoch/batch progress,
// weight snapshots and the final weights back. Abort through an AbortSignal. Browser-safe.
import { type NestedArray, Tensor, asTensor } from '../tensor/tensor.js';
import type { RngState } from '../core/rng.js';
import type { Module } from '../nn/module.js';
import type { Head } from '../heads/heads.js';
import { getBackend } from '../backend/registry.js';
import { Optimizer } from '../optim/optimizer.js';
import { type NamedOptimizerOptions, type OptimizerName, optimizerByName } from '../optim/optimizers.js';
import { decodeSafetensors, encodeSafetensors } from '../io/safetensors.js';
import { modelFiles, parseModelFiles } from '../io/model.js';
import type { EpochLog } from './callbacks.js';
import { metricsForHead } from './metrics.js';
import { moduleRngs } from './state.js';
import { type AbortSignalLike, fitAsync } from './fit-async.js';
import { type AllowedKeys, checkOptions } from '../core/options.js';

const WORKER_FIT_KEYS: AllowedKeys<WorkerFitOptions> = {
  model: true, head: true, optimizer: true, x: true, y: true, validation: true, epochs: true, batchSize: true, shuffle: true, seed: true,
  nanGuard: true, divergenceFactor: true, yieldEveryMs: true, metrics: true, signal: true, onEpoch: true, onBatch: true, batchEveryMs: true,
  onSnapshot: true, snapshotEveryEpochs: true,
};

/** A message port: a Worker, `self` inside one, a MessagePort (Node's worker_threads ports too). */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer?: unknown[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  /** MessagePorts deliver nothing until started; called when present. */
  start?(): void;
}

/** An AbortSignal as trainInWorker listens to it. */
export interface AbortSignalEvents extends AbortSignalLike {
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** One batch's progress, posted at most every `batchEveryMs`. */
export interface BatchProgress { epoch: number; batch: number; batches: number; loss: number }

/** Options of {@link trainInWorker}: fit's, with the optimizer named (it is rebuilt in the worker). */
export interface WorkerFitOptions {
  model: Module;
  head: Head;
  /** An optimizer by its config name and options, as optimizerByName takes them. */
  optimizer: { name: OptimizerName } & NamedOptimizerOptions;
  x: Tensor | NestedArray;
  y: Tensor | NestedArray;
  validation?: { x: Tensor | NestedArray; y: Tensor | NestedArray };
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  seed?: number;
  nanGuard?: boolean;
  divergenceFactor?: number | null;
  /** How long the worker computes before it yields to read messages such as an abort (default 16 ms). */
  yieldEveryMs?: number;
  /** Compute the head's metrics (metricsForHead) every epoch (default true). */
  metrics?: boolean;
  signal?: AbortSignalEvents;
  onEpoch?(log: EpochLog): void;
  onBatch?(progress: BatchProgress): void;
  /** Minimum milliseconds between two onBatch calls (default 100; 0: every batch). */
  batchEveryMs?: number;
  /** Called with the weights (safetensors bytes) after every `snapshotEveryEpochs`-th epoch. */
  onSnapshot?(snapshot: { epoch: number; weights: Uint8Array }): void;
  snapshotEveryEpochs?: number;
}

/** What trainInWorker resolves to; the model already holds the final weights. */
export interface WorkerFitResult {
  history: EpochLog[];
  stopReason?: string;
  aborted: boolean;
  /** The backend the worker trained on. */
  backend: string;
}

type Data = { data: Float32Array | Float64Array; shape: number[] };
const PREFIX = 'neurite:';

function pack(t: Tensor | NestedArray, what: string, transfer: unknown[]): Data {
  const x = asTensor(t, 'trainInWorker', what);
  const data = x.data.slice();
  transfer.push(data.buffer);
  return { data, shape: [...x.shape] };
}
const unpack = (d: Data): Tensor => new Tensor(d.data, d.shape);

/**
 * Trains `model` in a Worker that runs {@link serveTraining}, without blocking the page. The model
 * (its files), the data (copied into transferred buffers) and the options go to the worker; epoch
 * logs, throttled batch progress and weight snapshots come back; at the end the final weights (and
 * dropout streams) are loaded into `model`, so the run is bit-for-bit the same as `fit` on the same
 * backend. Aborting the signal stops the worker between batches: resolves with `aborted: true` and
 * the last completed batch's weights. A failure in the worker rejects with its message.
 * @example
 * const losses: number[] = [];
 * const worker = new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' });
 * const r = await trainInWorker(worker, { model, head, optimizer: { name: 'adam', lr: 0.01 }, x, y, epochs: 50,
 *   onEpoch: (log) => { losses.push(log.loss); } });
 */
export function trainInWorker(worker: MessageEndpoint, options: WorkerFitOptions): Promise<WorkerFitResult> {
  checkOptions('trainInWorker', options, WORKER_FIT_KEYS);
  const { model, head, signal, onEpoch, onBatch, onSnapshot, x, y, validation, ...fitOptions } = options;
  const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const transfer: unknown[] = [];
  const files = modelFiles({ module: model, head });
  const message = {
    type: `${PREFIX}train`, id, files, rngs: moduleRngs(model).map((r) => r.getState()), options: fitOptions,
    x: pack(x, 'x', transfer), y: pack(y, 'y', transfer),
    ...(validation ? { validation: { x: pack(validation.x, 'validation.x', transfer), y: pack(validation.y, 'validation.y', transfer) } } : {}),
  };
  return new Promise((resolve, reject) => {
    const abort = (): void => worker.postMessage({ type: `${PREFIX}abort`, id });
    const finish = (): void => { worker.removeEventListener('message', listen); signal?.removeEventListener('abort', abort); };
    const listen = (event: { data: unknown }): void => {
      const m = event.data as { type?: string; id?: string } & Record<string, unknown>;
      if (m?.id !== id) return;
      if (m.type === `${PREFIX}epoch`) onEpoch?.(m.log as EpochLog);
      else if (m.type === `${PREFIX}batch`) onBatch?.(m.progress as BatchProgress);
      else if (m.type === `${PREFIX}snapshot`) onSnapshot?.({ epoch: m.epoch as number, weights: m.weights as Uint8Array });
      else if (m.type === `${PREFIX}error`) { finish(); reject(Object.assign(new Error(`trainInWorker: the worker failed: ${m.message as string}`), { name: m.name as string })); }
      else if (m.type === `${PREFIX}done`) {
        finish();
        try {
          model.loadStateDict(decodeSafetensors(m.weights as Uint8Array).tensors);
          moduleRngs(model).forEach((r, i) => r.setState((m.rngs as RngState[])[i]!));
          model.eval();
          resolve(m.result as WorkerFitResult);
        } catch (e) { reject(e); }
      }
    };
    worker.addEventListener('message', listen);
    worker.start?.();
    signal?.addEventListener('abort', abort);
    try {
      worker.postMessage(message, transfer);
    } catch (e) {
      finish();
      reject(e);
      return;
    }
    if (signal?.aborted) abort();
  });
}

type TrainMessage = { id: string; files: ReturnType<typeof modelFiles>; rngs: RngState[]; x: Data; y: Data; validation?: { x: Data; y: Data }; options: Omit<WorkerFitOptions, 'model' | 'head' | 'x' | 'y' | 'validation' | 'signal' | 'onEpoch' | 'onBatch' | 'onSnapshot'> };

async function serveOne(port: MessageEndpoint, m: TrainMessage, signal: AbortSignalLike): Promise<void> {
  const { optimizer: opt, metrics = true, batchEveryMs = 100, snapshotEveryEpochs = 0, ...fitOptions } = m.options;
  const { module: model, head } = parseModelFiles(m.files['model.json'], m.files['model.safetensors'], 'trainInWorker model');
  moduleRngs(model).forEach((r, i) => r.setState(m.rngs[i]!));
  const { name, ...optOptions } = opt;
  const weights = (): Uint8Array => encodeSafetensors(model.stateDict(), { format: 'pt', producer: 'neurite' });
  const post = (type: string, body: Record<string, unknown>, transfer: unknown[] = []): void => port.postMessage({ type: PREFIX + type, id: m.id, ...body }, transfer);
  let lastBatch = -Infinity;
  const r = await fitAsync({
    ...fitOptions, model, head, optimizer: new Optimizer(optimizerByName(name, optOptions), model), signal,
    x: unpack(m.x), y: unpack(m.y), ...(m.validation ? { validation: { x: unpack(m.validation.x), y: unpack(m.validation.y) } } : {}),
    ...(metrics ? { metrics: metricsForHead(head) } : {}),
    callbacks: [{
      onBatchEnd: (ctx) => {
        const t = Date.now();
        if (t - lastBatch < batchEveryMs) return;
        lastBatch = t;
        post('batch', { progress: { epoch: ctx.epoch, batch: ctx.batch, batches: ctx.batches, loss: ctx.batchLoss } });
      },
      onEpochEnd: (_ctx, log) => {
        post('epoch', { log });
        if (snapshotEveryEpochs > 0 && log.epoch % snapshotEveryEpochs === 0) { const w = weights(); post('snapshot', { epoch: log.epoch, weights: w }, [w.buffer]); }
      },
    }],
  });
  const w = weights();
  const result: WorkerFitResult = { history: r.history, ...(r.stopReason ? { stopReason: r.stopReason } : {}), aborted: r.aborted, backend: getBackend().name };
  post('done', { result, weights: w, rngs: moduleRngs(model).map((g) => g.getState()) }, [w.buffer]);
}

/**
 * The worker side of {@link trainInWorker}: answers training requests arriving on `port` (default:
 * the worker's own global scope). Call it once at the top of a module Worker; it returns a function
 * that stops serving.
 * @example
 * // train-worker.js, started with new Worker(url, { type: 'module' })
 * import { serveTraining } from 'neurite';
 * serveTraining();
 */
export function serveTraining(port: MessageEndpoint = globalThis as unknown as MessageEndpoint): () => void {
  const running = new Map<string, AbortController>();
  const listen = (event: { data: unknown }): void => {
    const m = event.data as { type?: string; id?: string };
    if (typeof m?.id !== 'string') return;
    if (m.type === `${PREFIX}abort`) { running.get(m.id)?.abort(); return; }
    if (m.type !== `${PREFIX}train`) return;
    const ctl = new AbortController();
    running.set(m.id, ctl);
    serveOne(port, m as TrainMessage, ctl.signal)
      .catch((e: unknown) => port.postMessage({ type: `${PREFIX}error`, id: m.id, name: (e as Error)?.name ?? 'Error', message: (e as Error)?.message ?? String(e) }))
      .finally(() => running.delete(m.id!));
  };
  port.addEventListener('message', listen);
  port.start?.();
  return () => port.removeEventListener('message', listen);
}
