// The playground shell's core: the state, the data, the training Worker, the main-thread model copy; it is the panels' PanelHost.
import { tensor, noGrad, type nn, type Head } from 'neurite';
import type { ShellSplit, PanelHost, PlaygroundState, TrainingSnapshot } from './host.js';
import { featurize, isOneD, makeData, DATASETS } from './datasets.js';
import { buildNetwork, headOutputs, makeHead, outputDim } from './model.js';
import type { FromWorker, ToWorker, WeightSnapshot } from './protocol.js';
import { toHash } from './state.js';
import { gridPoints, paintGrid } from './render/surface.js';

const DATA_KEYS: Array<keyof PlaygroundState> = ['problem', 'dataset', 'classes', 'boundaryFn', 'noise', 'trainRatio', 'samples', 'seed', 'features'];
const MODEL_KEYS: Array<keyof PlaygroundState> = ['layers', 'init', 'batchNorm', 'residual', 'dropout', 'binaryLoss', 'multiclassLoss', 'regressionActivation', 'rangeA', 'rangeB', 'regressionLoss'];
const VIEW_KEYS: Array<keyof PlaygroundState> = ['showTest', 'discretize', 'panel'];
const SURFACE_RES = 64;

/** Everything the page shows comes from here; `onRender` is called at most once per animation frame after a change. */
export class App implements PanelHost {
  state: PlaygroundState;
  data!: { train: ShellSplit; test: ShellSplit };
  model: nn.Sequential | null = null;
  head!: Head;
  history: { epochs: number[]; train: number[]; test: number[] } = { epochs: [], train: [], test: [] };
  last: WeightSnapshot | null = null;
  playing = false;
  error = '';
  backend = '';
  private worker: Worker;
  private listeners = new Set<(s: PlaygroundState) => void>();
  private snapshotListeners = new Set<(s: TrainingSnapshot) => void>();
  private dirty = true;
  onRender: () => void = () => {};

  constructor(initial: PlaygroundState, worker: Worker) {
    this.state = initial;
    this.worker = worker;
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => this.receive(e.data));
    worker.addEventListener('error', (e) => { this.error = `training worker failed: ${e.message}`; this.markDirty(); });
    this.regenerate();
    this.reset();
    const frame = () => {
      if (this.dirty) { this.dirty = false; this.onRender(); }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  private post(m: ToWorker, transfer: Transferable[] = []): void { this.worker.postMessage(m, transfer); }
  markDirty(): void { this.dirty = true; }

  private receive(m: FromWorker): void {
    if (m.type === 'ready') { this.backend = m.backend; this.markDirty(); return; }
    if (m.type === 'error') { this.error = m.message; this.playing = false; this.markDirty(); return; }
    if (m.type === 'bench') { (globalThis as { benchResult?: unknown }).benchResult = m; return; }
    this.last = m;
    if (this.model) {
      const shapes = this.model.stateDict();
      this.model.loadStateDict(Object.fromEntries(Object.entries(m.weights).map(([k, v]) => [k, tensor(v).reshape(shapes[k]?.shape ?? [v.length])])));
    }
    const h = this.history;
    if (h.epochs.at(-1) !== m.epoch) { h.epochs.push(m.epoch); h.train.push(m.trainLoss); h.test.push(m.testLoss); }
    if (h.epochs.length > 400) for (const a of [h.epochs, h.train, h.test]) a.splice(0, a.length - 400);
    for (const fn of this.snapshotListeners) fn(m);
    this.markDirty();
  }

  private regenerate(): void { this.data = makeData(this.state); }

  /** Rebuilds the network from the state (fresh weights, or `weights`) and starts the worker over. */
  reset(weights?: Record<string, Float32Array>): void {
    this.playing = false;
    this.error = '';
    this.history = { epochs: [], train: [], test: [] };
    this.last = null;
    this.head = makeHead(this.state);
    this.model = buildNetwork(this.state, this.state.features.length, outputDim(this.state)).eval();
    this.post({ type: 'init', state: this.state, train: this.data.train, test: this.data.test, ...(weights ? { weights } : {}) });
    this.markDirty();
  }

  play(): void { this.playing = true; this.error = ''; this.post({ type: 'play' }); this.markDirty(); }
  pause(): void { this.playing = false; this.post({ type: 'pause' }); this.markDirty(); }
  step(epochs = 1): void { this.playing = false; this.post({ type: 'step', epochs }); this.markDirty(); }
  bench(epochs: number): void { this.post({ type: 'bench', epochs }); }

  getState(): PlaygroundState { return this.state; }

  setState(patch: Partial<PlaygroundState>): void {
    const prev = this.state, next = { ...prev, ...patch };
    if (patch.problem && patch.problem !== prev.problem && !patch.dataset) next.dataset = DATASETS[next.problem][0]!.name;
    if (next.rangeA >= next.rangeB) next.rangeB = next.rangeA + 0.1;
    const changed = (Object.keys(next) as Array<keyof PlaygroundState>).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(prev[k]));
    if (changed.length === 0) return;
    this.state = next;
    history.replaceState(null, '', toHash(next));
    if (changed.some((k) => DATA_KEYS.includes(k))) { this.regenerate(); this.reset(); }
    else if (changed.some((k) => MODEL_KEYS.includes(k))) this.reset();
    else if (!changed.every((k) => VIEW_KEYS.includes(k))) this.reset(this.model ? this.currentWeights() : undefined);
    for (const fn of this.listeners) fn(next);
    this.markDirty();
  }

  /** Replaces the whole state and starts from the given weights (an imported model): one rebuild. */
  load(state: PlaygroundState, weights: Record<string, Float32Array>): void {
    this.state = state;
    history.replaceState(null, '', toHash(state));
    this.regenerate();
    this.reset(weights);
    for (const fn of this.listeners) fn(state);
  }

  private currentWeights(): Record<string, Float32Array> {
    return Object.fromEntries(Object.entries(this.model!.stateDict()).map(([k, t]) => [k, Float32Array.from(t.data as ArrayLike<number>)]));
  }

  subscribe(fn: (s: PlaygroundState) => void): () => void { this.listeners.add(fn); return () => this.listeners.delete(fn); }
  onSnapshot(fn: (s: TrainingSnapshot) => void): () => void { this.snapshotListeners.add(fn); return () => this.snapshotListeners.delete(fn); }
  getData(): { train: ShellSplit; test: ShellSplit; features: string[] } { return { ...this.data, features: [...this.state.features] }; }
  getModel(): nn.Sequential | null { return this.last ? this.model : null; }
  featurize(points: Float32Array, n: number): Float32Array { return featurize(points, n, this.state.features); }

  /** Head outputs of the main-thread model for n feature rows. */
  predict(x: Float32Array, n: number): Float32Array {
    if (!this.model || n === 0) return new Float32Array(0);
    return noGrad(() => headOutputs(this.state, this.head, this.model!.forward(tensor(x).reshape([n, this.state.features.length]))));
  }

  /** The largest |target| of a regression set (the colour scale), 1 for classification. */
  valueScale(): number {
    if (this.state.problem !== 'regression') return 1;
    let m = 1e-6;
    for (const v of this.data.train.y) m = Math.max(m, Math.abs(v));
    return m;
  }

  renderSurface(canvas: HTMLCanvasElement, predict: (x: Float32Array, n: number) => Float32Array): void {
    const pts = gridPoints(SURFACE_RES, isOneD(this.state.dataset)), n = SURFACE_RES * SURFACE_RES;
    paintGrid(canvas, predict(this.featurize(pts, n), n), SURFACE_RES, { problem: this.state.problem, discretize: this.state.discretize, scale: this.valueScale() });
  }
}
