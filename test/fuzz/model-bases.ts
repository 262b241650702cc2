// Small valid models of every family (MLP+BatchNorm, conv, recurrent, graph, hypernetwork) serialised
// to model.json + safetensors bytes: the seeds the model-file fuzzers mutate.
import { nn, hyper, data, multiclassHead, regressionHead, binaryHead, randn, Rng, serializeModel, type ModelJSON } from '../../src/index.js';

export interface BaseModel { name: string; json: ModelJSON; weights: Uint8Array }

function fitted<T extends { fit(x: ReturnType<typeof randn>): unknown }>(scaler: T, cols: number): T {
  scaler.fit(randn([10, cols], { rng: new Rng(1) }));
  return scaler;
}

/** The base models, built deterministically. */
export function baseModels(): BaseModel[] {
  const r = new Rng(3);
  const mlp = nn.mlp({ sizes: [4, 6, 3], activation: 'tanh', batchNorm: true, seed: 3 });
  const conv = new nn.Sequential(new nn.Reshape([1, 4, 4]), new nn.Conv2d(1, 2, 3, { rng: r }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(2, 3, { rng: r }));
  const lstm = new nn.Sequential(new nn.LSTM(2, 3, { rng: r }), new nn.LastStep(), new nn.Linear(3, 1, { rng: r }));
  const graph = new nn.Graph({
    inputs: ['x'], output: 'out',
    nodes: [
      { name: 'h1', module: new nn.Linear(4, 4, { rng: r }), inputs: ['x'] },
      { name: 'skip', merge: 'add', inputs: ['h1', 'x'] },
      { name: 'out', module: new nn.Linear(4, 2, { rng: r }), inputs: ['skip'] },
    ],
  });
  const hypernet = new hyper.HyperNetwork({ target: nn.mlp({ sizes: [2, 3, 1], seed: 1 }), condition: { kind: 'task', numTasks: 2, dim: 2 }, hidden: [4], seed: 2 });
  const bundles = [
    { name: 'mlp', b: { module: mlp, head: multiclassHead({ numClasses: 3 }), scaler: fitted(new data.StandardScaler(), 4), classNames: ['a', 'b', 'c'], featureNames: ['f1', 'f2', 'f3', 'f4'] } },
    { name: 'conv', b: { module: conv, head: multiclassHead({ numClasses: 3 }), info: { dataset: 'toy' } } },
    { name: 'lstm', b: { module: lstm, head: regressionHead({ activation: 'tanh', range: [0, 2] }), scaler: fitted(new data.MinMaxScaler(), 2) } },
    { name: 'graph', b: { module: graph, head: binaryHead({ loss: 'hinge' }) } },
    { name: 'hypernet', b: { module: hypernet, head: regressionHead() } },
  ];
  return bundles.map(({ name, b }) => ({ name, ...serializeModel(b) }));
}
