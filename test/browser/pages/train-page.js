// Page side of test/browser/training.test.ts (plain JS, served as is): fitAsync and trainInWorker on
// the spiral while counting requestAnimationFrame callbacks, against a sync fit of the same length.
import * as n from './neurite.js';

/** The spiral problem with fresh, identically seeded model and optimizer. */
export function spiralRun() {
  const { x, y } = n.data.makeSpiral({ n: 300, k: 3, seed: 0 });
  const model = n.nn.mlp({ sizes: [2, 32, 32, 3], activation: 'tanh', seed: 1 });
  return { model, head: n.multiclassHead({ numClasses: 3 }), optimizer: new n.Optimizer(n.adam({ lr: 0.02 }), model), x, y, batchSize: 32, seed: 2 };
}

/** Counts animation frames while `fn` runs; resolves to [result, frames, ms]. */
export async function countFrames(fn) {
  let frames = 0, on = true;
  const tick = () => { frames++; if (on) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  await new Promise((ok) => setTimeout(ok, 50)); // the counter is running
  const start = frames, t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0, counted = frames - start;
  on = false;
  return [result, counted, ms];
}

/** Epochs for a sync fit of about `ms` milliseconds here, and never fewer than `min` (the loss must fall). */
export function epochsFor(ms, min) {
  const t0 = performance.now();
  n.fit({ ...spiralRun(), epochs: 10 });
  return Math.max(min, Math.ceil((10 * ms) / (performance.now() - t0)));
}

const flat = (model) => Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));
const losses = (h) => h.map((e) => e.loss);

/** Sync fit and fitAsync of the same run: frames painted, losses, whether the weights are identical. */
export async function pageTraining(epochs) {
  const a = spiralRun(), b = spiralRun();
  const [sync, syncFrames, syncMs] = await countFrames(() => n.fit({ ...a, epochs }));
  const [asyncR, asyncFrames, asyncMs] = await countFrames(() => n.fitAsync({ ...b, epochs }));
  return {
    backend: n.getBackend().name, syncFrames, syncMs, asyncFrames, asyncMs, aborted: asyncR.aborted,
    losses: losses(asyncR.history), sameLosses: JSON.stringify(losses(sync.history)) === JSON.stringify(losses(asyncR.history)),
    sameWeights: JSON.stringify(flat(a.model)) === JSON.stringify(flat(b.model)),
  };
}

/** fitAsync aborted after `afterMs`: how long the abort took to take effect and what came back. */
export async function pageAbort(afterMs) {
  const ctl = new AbortController();
  let abortedAt = 0;
  setTimeout(() => { abortedAt = performance.now(); ctl.abort(); }, afterMs);
  const r = await n.fitAsync({ ...spiralRun(), epochs: 1_000_000, signal: ctl.signal });
  return { aborted: r.aborted, stopReason: r.stopReason, epochs: r.history.length, lagMs: performance.now() - abortedAt };
}

/** trainInWorker of the same run as a page fit: frames, epoch events, identical weights; or an abort. */
export async function workerTraining(epochs, abortAfterEpoch) {
  const worker = new Worker('./worker.js', { type: 'module' });
  try {
    const local = spiralRun(), remote = spiralRun();
    const { model, head, x, y, batchSize, seed } = remote;
    const ctl = new AbortController();
    const events = [];
    const run = () => n.trainInWorker(worker, {
      model, head, optimizer: { name: 'adam', lr: 0.02 }, x, y, batchSize, seed, epochs, signal: ctl.signal,
      onEpoch: (log) => { events.push(log.epoch); if (log.epoch === abortAfterEpoch) ctl.abort(); },
    });
    const [r, frames, ms] = await countFrames(run);
    const out = { frames, ms, events: events.length, aborted: r.aborted, stopReason: r.stopReason, losses: losses(r.history), workerBackend: r.backend, pageBackend: n.getBackend().name };
    if (r.aborted) return out;
    n.fit({ ...local, epochs });
    return { ...out, sameWeights: JSON.stringify(flat(local.model)) === JSON.stringify(flat(model)) };
  } finally {
    worker.terminate();
  }
}
