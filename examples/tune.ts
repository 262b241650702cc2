// The lecture's hyperparameter section in code: tune() searches the learning rate and the hidden width
// of an MLP on the spiral with TPE, reporting each epoch's validation accuracy so ASHA stops bad trials
// early (a step is 4 epochs). Prints one JSON line: the best parameters, its validation accuracy and the steps spent.
import { data, nn, Optimizer, adam, fit, evaluate, multiclassHead, metricsForHead, tune, TrialPruned } from 'neurite';

const trials = Number(process.env.TRIALS ?? 16), steps = 27;
const all = data.makeSpiral({ n: 200, k: 3, seed: 1 });
const { train: trainSet, test: valSet } = data.trainTestSplit(all, { testSize: 0.3, seed: 1 });
const train = { x: trainSet.x, y: trainSet.y }, val = { x: valSet.x, y: valSet.y };
const head = multiclassHead({ numClasses: 3 });

const study = await tune({
  space: { lr: { type: 'float', low: 1e-4, high: 0.3, log: true }, width: { type: 'int', low: 4, high: 64, log: true } },
  trials, direction: 'maximize', metric: 'accuracy',
  sampler: { name: 'tpe', seed: 1, nStartupTrials: 6 },
  pruner: { name: 'asha', minResource: 1, reductionFactor: 3 },
  objective: async (trial) => {
    const width = trial.params.width as number;
    const model = nn.mlp({ sizes: [2, width, width, 3], activation: 'tanh', seed: 1 });
    const optimizer = new Optimizer(adam({ lr: trial.params.lr as number }), model);
    let accuracy = 0;
    for (let step = 1; step <= steps; step++) {
      fit({ model, head, optimizer, x: train.x, y: train.y, epochs: 4, batchSize: 16, seed: step });
      accuracy = evaluate(model, head, val.x, val.y, { metrics: metricsForHead(head) }).metrics.accuracy!;
      await trial.report(step, accuracy);
      if (trial.shouldPrune()) throw new TrialPruned();
    }
    return accuracy;
  },
});
console.log(JSON.stringify({ best: study.best?.params, validationAccuracy: study.best?.value, counts: study.counts, steps: study.steps, stepsWithoutPruning: trials * steps }));
