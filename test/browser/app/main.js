// A tiny app as a new user writes it: import from 'neurite' with no configuration, train a small MLP, report the backend.
import { ready, data, nn, fit, Optimizer, adam, multiclassHead, getBackend } from 'neurite';

async function main() {
  const status = await ready();
  const { x, y } = data.makeSpiral({ n: 120, k: 3, seed: 1 });
  const model = nn.mlp({ sizes: [2, 32, 32, 3], activation: 'tanh', seed: 1 });
  const head = multiclassHead({ numClasses: 3 });
  const optimizer = new Optimizer(adam({ lr: 0.01 }), model);
  const { history } = fit({ model, head, optimizer, x, y, epochs: 20, batchSize: 32 });
  return { backend: getBackend().name, status, first: history[0].loss, last: history[history.length - 1].loss };
}

main().then(
  (r) => { globalThis.result = r; },
  (e) => { globalThis.result = { error: String((e && e.stack) || e) }; },
);
