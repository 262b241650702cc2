// The README's ten-line example: an MLP learns a 3-arm spiral; prints one JSON line with its figures.
import { data, nn, Optimizer, adam, fit, predict, evaluate, multiclassHead, metricsForHead, tensor, getBackend } from 'neurite';

const { x, y } = data.makeSpiral({ n: 300, k: 3, seed: 1 });
const model = nn.mlp({ sizes: [2, 32, 32, 3], activation: 'tanh', seed: 1 });
const head = multiclassHead({ numClasses: 3 });
const optimizer = new Optimizer(adam({ lr: 0.01 }), model);
const { history } = fit({ model, head, optimizer, x, y, epochs: 100, batchSize: 32 });
const probs = predict(model, head, tensor([[0.1, -0.3]]));
const { metrics } = evaluate(model, head, x, y, { metrics: metricsForHead(head) });
console.log(JSON.stringify({ backend: getBackend().name, finalLoss: history.at(-1)!.loss, trainAccuracy: metrics.accuracy, probs: probs.toFlat() }));
