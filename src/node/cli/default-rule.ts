// The default rule: train.epochs, train.batchSize and train.lr chosen from the training-set size and the
// optimizer when a config leaves them null (docs/cli.md, "Defaults"). Chosen on validation accuracy
// only (scripts/default-rule-sweep.ts); the run's config.json records what the rule chose and why.

/** The constants of the rule; DEFAULT_RULE holds the chosen ones, the sweep script tries others. */
export interface DefaultRuleConstants {
  /** Gradient steps the whole run aims at (epochs = steps / steps per epoch, clamped). */
  targetSteps: number;
  minEpochs: number;
  maxEpochs: number;
  /** Batch size for training sets under `largeData` rows, and from there on. */
  smallBatch: number;
  largeBatch: number;
  largeData: number;
  /** Learning rate of the adaptive optimizers (adam family, rmsprop, adagrad) and of plain/momentum SGD. */
  adaptiveLr: number;
  sgdLr: number;
}

/** The rule's constants, as chosen by the sweep on validation data (docs/cli.md). */
export const DEFAULT_RULE: DefaultRuleConstants = {
  targetSteps: 1500, minEpochs: 10, maxEpochs: 300, smallBatch: 16, largeBatch: 32, largeData: 1000, adaptiveLr: 0.001, sgdLr: 0.05,
};

import type { ConfigRequest, RuleKey, TrainConfig } from './config.js';

/** What the rule chose for the keys left null, and a one-line reason per key (stored in config.json). */
export interface DefaultChoice {
  values: Partial<Record<RuleKey, number>>;
  reasons: Partial<Record<`train.${RuleKey}`, string>>;
}

const SGD_FAMILY = new Set(['sgd', 'momentum', 'nesterov']);

/**
 * Fills in the keys of `set` that are null from the number of training rows and the optimizer:
 * batchSize = smallBatch under largeData rows, else largeBatch; epochs = ceil(targetSteps / ceil(n / batch))
 * clamped to [minEpochs, maxEpochs]; lr = adaptiveLr (sgdLr for sgd/momentum/nesterov).
 * @example chooseDefaults(105, 'adam', { epochs: null, batchSize: null, lr: null }).values // { batchSize: 16, epochs: 215, lr: 0.001 }
 */
export function chooseDefaults(trainRows: number, optimizer: string, set: Record<RuleKey, number | null>, rule: DefaultRuleConstants = DEFAULT_RULE): DefaultChoice {
  const values: DefaultChoice['values'] = {}, reasons: DefaultChoice['reasons'] = {};
  const small = trainRows < rule.largeData;
  const batch = set.batchSize ?? (small ? rule.smallBatch : rule.largeBatch);
  if (set.batchSize === null) {
    values.batchSize = batch;
    reasons['train.batchSize'] = `chosen by default rule: ${batch} for ${trainRows} training rows (${small ? `under ${rule.largeData}` : `${rule.largeData} or more`})`;
  }
  if (set.epochs === null) {
    const steps = Math.ceil(trainRows / batch);
    const epochs = Math.min(rule.maxEpochs, Math.max(rule.minEpochs, Math.ceil(rule.targetSteps / steps)));
    values.epochs = epochs;
    reasons['train.epochs'] = `chosen by default rule: about ${rule.targetSteps} steps at ${steps} steps per epoch, within ${rule.minEpochs}..${rule.maxEpochs} epochs`;
  }
  if (set.lr === null) {
    const sgd = SGD_FAMILY.has(optimizer);
    values.lr = sgd ? rule.sgdLr : rule.adaptiveLr;
    reasons['train.lr'] = `chosen by default rule: ${values.lr} for ${sgd ? 'the SGD family' : 'an adaptive optimizer'} (${optimizer})`;
  }
  return { values, reasons };
}

/** The key config.json holds the rule's reasons under (dropped again when the file is read back). */
export const CHOSEN_KEY = 'chosenByDefaultRule';

/**
 * The run config: `cfg` with its null epochs/batchSize/lr chosen by the rule for `trainRows` rows,
 * and the reasons to record beside them.
 * @example const { cfg: run, reasons } = applyDefaultRule(resolveConfig(null, {}), 1257); // run.train.epochs 38
 */
export function applyDefaultRule(cfg: ConfigRequest, trainRows: number): { cfg: TrainConfig; reasons: DefaultChoice['reasons'] } {
  const { epochs, batchSize, lr } = cfg.train;
  const { values, reasons } = chooseDefaults(trainRows, cfg.train.optimizer, { epochs, batchSize, lr });
  const train = { ...cfg.train, epochs: epochs ?? values.epochs!, batchSize: batchSize ?? values.batchSize!, lr: lr ?? values.lr! };
  return { cfg: { ...cfg, train }, reasons };
}
