// Chooses the default rule's constants by 5-fold cross-validation on each run's non-test rows (training +
// validation split pooled), never touching the test split: a larger signal than one small validation split.
//   node --import tsx scripts/default-rule-cv.ts [seeds=3] [datasets=iris,wine,breast_cancer] [steps:lr,...]
// Prints the mean cross-validated accuracy per candidate and data set, and their mean. Test accuracy is
// measured afterwards, once, by scripts/defaults-accuracy.ts.
import { resolveConfig } from '../src/node/cli/config.js';
import { loadRunData } from '../src/node/cli/data-source.js';
import { buildCallbacks, buildHead, buildModel, buildOptimizer } from '../src/node/cli/build.js';
import { DEFAULT_RULE, applyDefaultRule, type DefaultRuleConstants, chooseDefaults } from '../src/node/cli/default-rule.js';
import { selectBackend } from '../src/node/cli/backend-choice.js';
import { StandardScaler } from '../src/data/scalers.js';
import { Rng } from '../src/core/rng.js';
import { concat, indexSelect } from '../src/ops/movement.js';
import { evaluate, fit } from '../src/train/fit.js';
import { metricsForHead } from '../src/train/metrics.js';
import type { Tensor } from '../src/tensor/tensor.js';

const seeds = Number(process.argv[2] ?? 3);
const datasets = (process.argv[3] ?? 'iris,wine,breast_cancer').split(',');
const candidates: DefaultRuleConstants[] = process.argv[4]
  ? process.argv[4].split(',').map((c) => { const [targetSteps, adaptiveLr] = c.split(':').map(Number) as [number, number]; return { ...DEFAULT_RULE, targetSteps, adaptiveLr }; })
  : [750, 1500, 3000].flatMap((targetSteps) => [0.001, 0.003, 0.01].map((adaptiveLr) => ({ ...DEFAULT_RULE, targetSteps, adaptiveLr })));
const FOLDS = 5;
await selectBackend(null);

/** Accuracy of the CLI's default model trained by `rule` on (xTr, yTr), scored on (xVa, yVa). */
async function foldAccuracy(dataset: string, seed: number, rule: DefaultRuleConstants, xTr: Tensor, yTr: Tensor, xVa: Tensor, yVa: Tensor): Promise<number> {
  const request = resolveConfig(null, { data: { dataset }, train: { seed } });
  const chosen = chooseDefaults(xTr.shape[0]!, request.train.optimizer, { epochs: null, batchSize: null, lr: null }, rule).values;
  const { cfg } = applyDefaultRule(resolveConfig(null, { data: { dataset }, train: { seed, ...chosen } }), xTr.shape[0]!);
  const data = await loadRunData(cfg.data, seed);
  const scaler = new StandardScaler();
  scaler.fit(xTr);
  const head = buildHead(cfg.model, data);
  const model = buildModel(cfg, xTr.slice([0], [2]), head);
  const optimizer = buildOptimizer(cfg, model);
  fit({
    model, head, optimizer, x: scaler.transform(xTr), y: yTr, epochs: cfg.train.epochs, batchSize: cfg.train.batchSize, seed,
    validation: { x: scaler.transform(xVa), y: yVa }, callbacks: buildCallbacks(cfg, optimizer),
  });
  return evaluate(model, head, scaler.transform(xVa), yVa, { metrics: metricsForHead(head) }).metrics.accuracy!;
}

const table: Record<string, number[]> = {};
for (const dataset of datasets) {
  for (let seed = 0; seed < seeds; seed++) {
    const run = await loadRunData(resolveConfig(null, { data: { dataset }, train: { seed } }).data, seed);
    const x = run.val ? concat([run.train.x, run.val.x], 0) : run.train.x, y = run.val ? concat([run.train.y, run.val.y], 0) : run.train.y;
    const order = new Rng(1000 + seed).permutation(x.shape[0]!);
    for (const [ci, rule] of candidates.entries()) {
      let sum = 0;
      for (let f = 0; f < FOLDS; f++) {
        const va = order.filter((_, i) => i % FOLDS === f), tr = order.filter((_, i) => i % FOLDS !== f);
        sum += await foldAccuracy(dataset, seed, rule, indexSelect(x, 0, tr), indexSelect(y, 0, tr), indexSelect(x, 0, va), indexSelect(y, 0, va));
      }
      (table[`${ci}|${dataset}`] ??= []).push(sum / FOLDS);
    }
  }
}
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
for (const [ci, rule] of candidates.entries()) {
  const per = datasets.map((d) => mean(table[`${ci}|${d}`]!));
  console.log(`steps ${String(rule.targetSteps).padStart(4)} lr ${String(rule.adaptiveLr).padEnd(5)}: ${datasets.map((d, i) => `${d} ${per[i]!.toFixed(4)}`).join('  ')}  mean ${mean(per).toFixed(4)}`);
}
