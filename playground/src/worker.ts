// The training Worker: builds the state's network on neurite's WASM backend and trains it, posting weight snapshots with per-layer gradient norms.
import { ready, getBackend, noGrad, tensor, analysis, compileStep, Optimizer, type Tensor, type Head, type nn } from 'neurite';
import type { ShellSplit, PlaygroundState } from './host.js';
import { batchLoss, buildNetwork, moduleLabels, networkLayout, makeHead, makeOptimizer, outputDim, targetTensor, tempered } from './model.js';
import type { FromWorker, ToWorker } from './protocol.js';

interface Session {
  state: PlaygroundState;
  model: nn.Sequential;
  head: Head;
  opt: Optimizer;
  train: { x: Tensor; y: Tensor; raw: ShellSplit; target: Float32Array };
  test: { x: Tensor; y: Tensor };
  epoch: number;
  order: Uint32Array;
  gradNorms: Array<{ layer: string; norm: number }>;
  seed: number;
  /** forward + loss + backward, captured and replayed by neurite's compileStep (eager where it cannot be, e.g. dropout). */
  step: (x: Tensor, y: Tensor) => Tensor;
}

let session: Session | null = null;
let playing = false;
let loopRunning = false;
const post = (m: FromWorker, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(m, transfer);

function toTensors(s: PlaygroundState, d: ShellSplit): { x: Tensor; y: Tensor } {
  return { x: tensor(d.x).reshape([d.n, d.inputDim]), y: targetTensor(s, d.y) };
}

function start(state: PlaygroundState, train: ShellSplit, test: ShellSplit, weights?: Record<string, Float32Array>): void {
  const model = buildNetwork(state, train.inputDim, outputDim(state));
  if (weights) model.loadStateDict(Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, tensor(v).reshape(model.stateDict()[k]?.shape ?? [v.length])])));
  const head = makeHead(state);
  const tr = toTensors(state, train);
  head.checkTargets(tr.y);
  session = {
    state, model, head, opt: new Optimizer(makeOptimizer(state), model), train: { ...tr, raw: train, target: tr.y.data as Float32Array },
    test: toTensors(state, test), epoch: 0, order: Uint32Array.from({ length: train.n }, (_v, i) => i), gradNorms: [], seed: state.seed,
    step: compileStep((x: Tensor, y: Tensor) => {
      const loss = batchLoss(state, head, model, model.forward(x), y);
      loss.backward();
      return loss;
    }, { module: model }),
  };
  session.gradNorms = initialNorms(session);
  model.train();
}

/**
 * The per-layer gradient norms at the initial weights, so epoch 0's snapshot has them too: the loss
 * on the first batch, in eval mode (no dropout draw, no batch-norm statistics update), then cleared.
 */
function initialNorms(s: Session): Array<{ layer: string; norm: number }> {
  const { raw } = s.train, m = Math.min(s.state.batchSize, raw.n), d = raw.inputDim;
  s.model.eval();
  const y = s.train.y.rank === 2 ? tensor(s.train.target.slice(0, m)).reshape([m, 1]) : tensor(s.train.target.slice(0, m));
  batchLoss(s.state, s.head, s.model, s.model.forward(tensor(raw.x.slice(0, m * d)).reshape([m, d])), y).backward();
  const norms = layerNorms(s);
  s.opt.zeroGrad();
  return norms;
}

function layerNorms(s: Session): Array<{ layer: string; norm: number }> {
  const byBlock = new Map<string, number>(), labels = moduleLabels(networkLayout(s.state, s.train.raw.inputDim));
  for (const p of analysis.gradientNorms(s.model).parameters) {
    const label = labels[Number(p.name.split('.')[0])] ?? p.layer;
    byBlock.set(label, (byBlock.get(label) ?? 0) + p.norm * p.norm);
  }
  return [...byBlock].map(([layer, sq]) => ({ layer, norm: Math.sqrt(sq) }));
}

function shuffle(s: Session): void {
  const o = s.order;
  let a = (s.seed * 2654435761 + s.epoch * 40503) >>> 0;
  for (let i = o.length - 1; i > 0; i--) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    const j = a % (i + 1);
    const t = o[i]!; o[i] = o[j]!; o[j] = t;
  }
}

/** One pass over the training set in shuffled mini-batches; the last batch's gradient norms are kept. */
function epoch(s: Session): void {
  shuffle(s);
  const { raw } = s.train, d = raw.inputDim, bs = Math.min(s.state.batchSize, raw.n);
  const yCols = s.train.y.rank === 2 ? 1 : 0, ySrc = s.train.target;
  for (let start = 0; start < raw.n; start += bs) {
    const m = Math.min(bs, raw.n - start), xb = new Float32Array(m * d), yb = new Float32Array(m);
    for (let i = 0; i < m; i++) {
      const k = s.order[start + i]!;
      xb.set(raw.x.subarray(k * d, k * d + d), i * d);
      yb[i] = ySrc[k]!;
    }
    s.opt.zeroGrad();
    s.step(tensor(xb).reshape([m, d]), tensor(yb).reshape(yCols ? [m, 1] : [m]));
    if (start + bs >= raw.n) s.gradNorms = layerNorms(s);
    s.opt.step();
  }
  s.epoch += 1;
}

function lossOn(s: Session, x: Tensor, y: Tensor): number {
  if (x.shape[0] === 0) return NaN;
  return noGrad(() => s.head.loss(tempered(s.state, s.model.forward(x)), y).item());
}

function snapshot(s: Session, epochsPerSec: number): void {
  s.model.eval();
  const trainLoss = lossOn(s, s.train.x, s.train.y), testLoss = lossOn(s, s.test.x, s.test.y);
  s.model.train();
  const weights: Record<string, Float32Array> = {};
  for (const [k, t] of Object.entries(s.model.stateDict())) weights[k] = Float32Array.from(t.data as ArrayLike<number>);
  post({ type: 'snapshot', epoch: s.epoch, trainLoss, testLoss, gradNorms: s.gradNorms, weights, epochsPerSec }, Object.values(weights).map((w) => w.buffer));
  if (!Number.isFinite(trainLoss)) {
    playing = false;
    post({ type: 'error', message: `training diverged at epoch ${s.epoch} (loss ${trainLoss}); lower the learning rate or turn on gradient clipping, then reset` });
  }
}

const tick = (): Promise<void> => new Promise((ok) => setTimeout(ok, 0));

/** Trains while playing, posting a snapshot at most every 50 ms (the page renders from those). */
async function loop(): Promise<void> {
  if (loopRunning) return;
  loopRunning = true;
  try {
    let last = performance.now(), epochsSince = 0;
    while (playing && session) {
      const s = session, t0 = performance.now();
      while (performance.now() - t0 < 30 && playing) { epoch(s); epochsSince += 1; }
      const now = performance.now();
      if (now - last >= 50) { snapshot(s, (1000 * epochsSince) / (now - last)); last = now; epochsSince = 0; }
      await tick();
    }
    if (session) snapshot(session, 0);
  } catch (e) {
    playing = false;
    post({ type: 'error', message: (e as Error).message });
  } finally {
    loopRunning = false;
  }
}

/** Trains `epochs` epochs, posting a snapshot at most every 50 ms on the way (the loss curve) and one at the end. */
function stepEpochs(s: Session, epochs: number): void {
  let last = performance.now();
  for (let i = 0; i < epochs; i++) {
    epoch(s);
    if (i + 1 < epochs && performance.now() - last >= 50) { snapshot(s, 0); last = performance.now(); }
  }
  snapshot(s, 0);
}

/** Runs `epochs` epochs without posting (the benchmark); reports the time. */
function bench(epochs: number): void {
  const s = session!;
  const t0 = performance.now();
  for (let i = 0; i < epochs; i++) epoch(s);
  const ms = performance.now() - t0;
  post({ type: 'bench', epochs, ms, backend: getBackend().name });
  snapshot(s, (1000 * epochs) / ms);
}

function handle(m: ToWorker): void {
  try {
    if (m.type === 'init') {
      playing = false;
      start(m.state, m.train, m.test, m.weights);
      snapshot(session!, 0);
    } else if (m.type === 'play') { playing = true; void loop(); }
    else if (m.type === 'pause') playing = false;
    else if (m.type === 'step' && session) { playing = false; stepEpochs(session, m.epochs); }
    else if (m.type === 'bench' && session) { playing = false; bench(m.epochs); }
  } catch (e) {
    playing = false;
    post({ type: 'error', message: (e as Error).message });
  }
}

const pending: ToWorker[] = [];
let isReady = false;
self.addEventListener('message', (e: MessageEvent<ToWorker>) => {
  if (isReady) handle(e.data);
  else pending.push(e.data);
});
void ready().then((status) => {
  isReady = true;
  post({ type: 'ready', backend: status.backend, reason: status.reason });
  for (const m of pending.splice(0)) handle(m);
});
