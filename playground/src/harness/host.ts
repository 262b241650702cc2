// A minimal PanelHost for the panel harness page: a real small neurite model trained on a 2-D two-class
// set, its snapshots (loss, per-layer gradient norms), a heat-map surface, and a plain state store.
import { adam, analysis, fitAsync, nn, Optimizer, regressionHead, Tensor } from 'neurite';
import type { PanelHost, PlaygroundState } from '../host.js';
import { circleData, targets, type Split } from '../lecture/data.js';
import { heatmap } from '../panels/plot.js';
import { defaultState } from '../state.js';

type Snapshot = Parameters<Parameters<PanelHost['onSnapshot']>[0]>[0];

/** The harness host and a promise for its model's training (100 epochs, snapshots every epoch). */
export function harnessHost(): { host: PanelHost; trained: Promise<void> } {
  const train: Split = circleData(200, 1), test: Split = circleData(100, 2);
  const model = nn.mlp({ sizes: [2, 8, 8, 1], activation: 'tanh', seed: 1 });
  let state: PlaygroundState = defaultState();
  const stateFns = new Set<(s: PlaygroundState) => void>(), snapFns = new Set<(s: Snapshot) => void>();
  let ready = false;
  const host: PanelHost = {
    getState: () => state,
    setState: (patch) => { state = { ...state, ...patch }; stateFns.forEach((f) => f(state)); },
    subscribe: (fn) => { stateFns.add(fn); return () => stateFns.delete(fn); },
    getData: () => ({ train, test, features: ['x1', 'x2'] }),
    getModel: () => (ready ? model : null),
    onSnapshot: (fn) => { snapFns.add(fn); return () => snapFns.delete(fn); },
    renderSurface: (canvas, predict) => heatmap(canvas, 6, 40, predict),
  };
  const xt = new Tensor(Float32Array.from(test.x), [test.n, 2]), yt = targets(test);
  const head = regressionHead();
  const trained = fitAsync({
    model, head, optimizer: new Optimizer(adam({ lr: 0.02 }), model), x: new Tensor(Float32Array.from(train.x), [train.n, 2]), y: targets(train),
    epochs: 100, batchSize: 20, seed: 1, validation: { x: xt, y: yt },
    callbacks: [{
      onEpochEnd: (_ctx, log) => {
        const gradNorms = analysis.gradientNorms(model).layers.map((l) => ({ layer: l.layer, norm: l.norm }));
        snapFns.forEach((f) => f({ epoch: log.epoch, trainLoss: log.loss, testLoss: log.valLoss ?? NaN, gradNorms }));
      },
    }],
  }).then(() => { ready = true; });
  return { host, trained };
}
