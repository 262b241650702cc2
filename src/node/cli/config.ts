// The `neurite train` configuration: schema (documented per key), defaults, and flag overrides.
import { readFileSync, statSync } from 'node:fs';
import { LimitError, checkFileSize, checkJsonDepth, getLimits } from '../../core/limits.js';
import { ConfigError, type Rule, validate } from './schema.js';
import type { ModuleJSON } from '../../nn/module.js';

const optimizers = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw', 'amsgrad', 'nadam', 'adamax'] as const;
const activations = ['identity', 'sigmoid', 'tanh', 'softsign', 'hardtanh', 'softplus', 'relu', 'leaky_relu', 'prelu'] as const;

/**
 * `model.hypernet`: train a hypernetwork that generates the weights of the network the rest of
 * `model` describes (hidden/activation, layers or module). Only the hypernet's own parameters train.
 */
const hypernetRule: Rule = {
  kind: 'object', doc: 'a hypernetwork generating the weights of the network the rest of model describes', fields: {
    chunkSize: { kind: 'nullable', rule: { kind: 'int', min: 1, doc: 'generate the target weights in chunks of this size with one shared generator (null: all at once)' } },
    chunkDim: { kind: 'int', min: 1, doc: 'size of the learned chunk embeddings' },
    hidden: { kind: 'intList', doc: 'hidden widths of the generator MLP' },
    activation: { kind: 'enum', values: activations, doc: 'generator hidden activation' },
    condition: { kind: 'enum', values: ['task', 'noise', 'input'], doc: 'task: a learned embedding; noise: z ~ N(0, I) per step, z = 0 at evaluation; input: the first conditionDim feature columns (one net per example)' },
    conditionDim: { kind: 'nullable', rule: { kind: 'int', min: 1, doc: 'size of the task embedding / noise (default 8), or the number of leading feature columns for input' } },
    hyperfan: { kind: 'bool', doc: 'hyperfan-in init: generated weights start at gain/sqrt(fan_in)' },
    gain: { kind: 'nullable', rule: { kind: 'number', min: 0, exclusiveMin: true, doc: 'hyperfan weight gain (default sqrt 2 for ReLU-family targets, else 1)' } },
    biasScale: { kind: 'number', min: 0, doc: 'hyperfan bias scale' },
  },
};

/** Defaults of `model.hypernet` (filled in for the keys a config leaves out). */
export function defaultHypernet(): HypernetConfig {
  return { chunkSize: null, chunkDim: 8, hidden: [32], activation: 'relu', condition: 'task', conditionDim: null, hyperfan: true, gain: null, biasScale: 0.5 };
}

/** `model.hypernet` with every key resolved. */
export interface HypernetConfig {
  chunkSize: number | null; chunkDim: number; hidden: number[]; activation: string; condition: 'task' | 'noise' | 'input';
  conditionDim: number | null; hyperfan: boolean; gain: number | null; biasScale: number;
}

/** The schema of a training config; `neurite train --help` prints it. */
export const configSchema: Rule = {
  kind: 'object', doc: '', fields: {
    data: {
      kind: 'object', doc: '', fields: {
        dataset: { kind: 'nullable', rule: { kind: 'enum', values: ['digits', 'iris', 'wine', 'breast_cancer', 'fashion_mnist', 'fashion-mnist'], doc: 'built-in data set' } },
        csv: { kind: 'nullable', rule: { kind: 'string', doc: 'CSV file to train on instead of a built-in data set' } },
        target: { kind: 'nullable', rule: { kind: 'string', doc: 'CSV target column: name, or index (negative counts from the end)' } },
        task: { kind: 'enum', values: ['auto', 'classification', 'regression'], doc: 'CSV task (auto: text, or integers with at most 20 values → classification)' },
        header: { kind: 'bool', doc: 'the CSV\'s first line names the columns (never guessed)' },
        categorical: { kind: 'stringList', doc: 'CSV columns to one-hot encode whatever they hold (text columns are categorical anyway)' },
        missing: { kind: 'enum', values: ['error', 'drop', 'mean', 'mode'], doc: 'missing CSV cells: error (default), drop the row, or impute mean/mode fitted on the training rows' },
        missingValues: { kind: 'stringList', doc: 'cells that mean missing (case-insensitive)' },
        scaleTarget: { kind: 'enum', values: ['standard', 'none'], doc: 'regression target scaling fitted on the training split (predictions and metrics in original units)' },
        dataDir: { kind: 'nullable', rule: { kind: 'string', doc: 'directory with the Fashion-MNIST IDX files' } },
        subset: { kind: 'nullable', rule: { kind: 'int', min: 1, doc: 'use only the first N training examples' } },
        testSplit: { kind: 'number', min: 0, max: 0.9, doc: 'fraction held out for testing (data sets without a test set)' },
        validationSplit: { kind: 'number', min: 0, max: 0.9, doc: 'fraction of ALL rows held out for validation, beside testSplit (Fashion-MNIST: of its training set)' },
        stratify: { kind: 'bool', doc: 'keep class proportions in the splits' },
        cv: {
          kind: 'nullable', rule: {
            kind: 'object', doc: 'validate on fold `fold` of `folds` over the non-test rows instead of the validationSplit rows; the test rows stay those of the same config without cv (neurite tune --cv sets it per fold)', fields: {
              folds: { kind: 'int', min: 2, doc: 'number of folds K (stratified like the splits when data.stratify)' },
              fold: { kind: 'int', min: 0, doc: 'which fold validates, 0..folds-1' },
            },
          },
        },
        scale: { kind: 'enum', values: ['standard', 'minmax', 'none'], doc: 'feature scaling fitted on the training split only' },
      },
    },
    model: {
      kind: 'object', doc: '', fields: {
        hidden: { kind: 'intList', doc: 'hidden layer widths, e.g. [64, 32]' },
        layers: { kind: 'nullable', rule: { kind: 'moduleList', doc: 'explicit layer list (module JSON, e.g. Reshape/Conv2d/MaxPool2d/Flatten/Linear); replaces hidden/activation' } },
        module: { kind: 'nullable', rule: { kind: 'module', doc: 'a whole architecture as module JSON (Sequential, Graph, hypernetworks); replaces layers' } },
        activation: { kind: 'enum', values: activations, doc: 'hidden activation' },
        init: { kind: 'enum', values: ['default', 'he', 'glorot', 'lecun', 'orthogonal'], doc: 'weight initialisation' },
        batchNorm: { kind: 'bool', doc: 'BatchNorm1d after each hidden layer' },
        dropout: { kind: 'number', min: 0, max: 0.95, doc: 'dropout probability after each hidden activation' },
        head: { kind: 'enum', values: ['auto', 'multiclass', 'binary', 'regression'], doc: 'output head (auto: from the data)' },
        loss: { kind: 'nullable', rule: { kind: 'enum', values: ['cross_entropy', 'multi_margin', 'bce', 'hinge', 'mse', 'mae', 'huber'], doc: 'loss of the head (default: its natural loss)' } },
        output: { kind: 'enum', values: ['identity', 'relu', 'softplus', 'tanh'], doc: 'regression output activation' },
        range: { kind: 'nullable', rule: { kind: 'pair', doc: 'regression output range [a, b] (tanh head)' } },
        labelSmoothing: { kind: 'number', min: 0, max: 0.99, doc: 'label smoothing of cross-entropy' },
        hypernet: { kind: 'nullable', rule: hypernetRule },
      },
    },
    train: {
      kind: 'object', doc: '', fields: {
        epochs: { kind: 'nullable', rule: { kind: 'int', min: 1, doc: 'passes over the training data (null: chosen from the data by the default rule, docs/cli.md)' } },
        batchSize: { kind: 'nullable', rule: { kind: 'int', min: 1, doc: 'examples per gradient step (null: chosen from the data by the default rule, docs/cli.md)' } },
        lr: { kind: 'nullable', rule: { kind: 'number', min: 0, exclusiveMin: true, doc: 'learning rate (null: chosen from the data by the default rule, docs/cli.md)' } },
        optimizer: { kind: 'enum', values: optimizers, doc: 'optimizer' },
        weightDecay: { kind: 'number', min: 0, doc: 'L2 weight decay (decoupled for adamw)' },
        clipNorm: { kind: 'nullable', rule: { kind: 'number', min: 0, exclusiveMin: true, doc: 'clip gradients to this global norm' } },
        schedule: { kind: 'enum', values: ['constant', 'cosine', 'step', 'plateau'], doc: 'learning-rate schedule over epochs' },
        patience: { kind: 'nullable', rule: { kind: 'int', min: 1, doc: 'early stopping patience in epochs (restores best weights)' } },
        seed: { kind: 'int', min: 0, doc: 'seed of initialisation, splits and shuffling' },
        divergenceFactor: { kind: 'nullable', rule: { kind: 'number', min: 1, exclusiveMin: true, doc: 'stop as diverged (exit 3) when an epoch loss exceeds this factor times the best and the first epoch loss (null: off; NaN/Inf always stop)' } },
      },
    },
    out: { kind: 'nullable', rule: { kind: 'string', doc: 'run folder (default runs/<timestamp>)' } },
  },
};

export interface TrainConfig {
  data: {
    dataset: string | null; csv: string | null; target: string | null; task: 'auto' | 'classification' | 'regression';
    header: boolean; categorical: string[]; missing: 'error' | 'drop' | 'mean' | 'mode'; missingValues: string[]; scaleTarget: 'standard' | 'none';
    dataDir: string | null; subset: number | null; testSplit: number; validationSplit: number; stratify: boolean; scale: 'standard' | 'minmax' | 'none';
    cv: { folds: number; fold: number } | null;
  };
  model: {
    hidden: number[]; layers: ModuleJSON[] | null; module: ModuleJSON | null; activation: string; init: string; batchNorm: boolean; dropout: number;
    head: 'auto' | 'multiclass' | 'binary' | 'regression'; loss: string | null; output: string; range: [number, number] | null; labelSmoothing: number;
    hypernet: HypernetConfig | null;
  };
  train: {
    epochs: number; batchSize: number; lr: number; optimizer: string; weightDecay: number; clipNorm: number | null;
    schedule: 'constant' | 'cosine' | 'step' | 'plateau'; patience: number | null; seed: number; divergenceFactor: number | null;
  };
  out: string | null;
}

/** The keys the default rule fills in (src/node/cli/default-rule.ts) when a config leaves them null. */
export type RuleKey = 'epochs' | 'batchSize' | 'lr';

/**
 * A config as written and resolved, before the default rule: train.epochs, batchSize and lr may be
 * null (chosen from the data once it is loaded); runTrain turns it into a TrainConfig.
 */
export type ConfigRequest = Omit<TrainConfig, 'train'> & { train: Omit<TrainConfig['train'], RuleKey> & Record<RuleKey, number | null> };

/** The built-in default: an MLP with one hidden layer of 64 on digits; epochs, batch size and lr by the default rule. */
export function defaultConfig(): ConfigRequest {
  return {
    data: { dataset: 'digits', csv: null, target: null, task: 'auto', header: true, categorical: [], missing: 'error', missingValues: ['', 'NA', 'NaN', 'null', 'N/A'], scaleTarget: 'standard', dataDir: null, subset: null, testSplit: 0.2, validationSplit: 0.1, stratify: true, scale: 'standard', cv: null },
    model: { hidden: [64], layers: null, module: null, activation: 'relu', init: 'he', batchNorm: false, dropout: 0, head: 'auto', loss: null, output: 'identity', range: null, labelSmoothing: 0, hypernet: null },
    train: { epochs: null, batchSize: null, lr: null, optimizer: 'adam', weightDecay: 0, clipNorm: null, schedule: 'constant', patience: null, seed: 0, divergenceFactor: 1000 },
    out: null,
  };
}

type Obj = Record<string, unknown>;

function merge(base: Obj, over: Obj): Obj {
  const out = new Map(Object.entries(base));
  for (const [k, v] of Object.entries(over)) {
    const b = out.get(k);
    out.set(k, v !== null && typeof v === 'object' && !Array.isArray(v) && typeof b === 'object' && b !== null ? merge(b as Obj, v as Obj) : v);
  }
  return Object.fromEntries(out); // defines own properties: a "__proto__" key can never become a prototype
}

/** Checks a config object's nesting depth and schema; errors start with `where` (the file) when given. */
function checkConfig(json: unknown, where: string | null): Obj {
  try {
    checkJsonDepth(json);
    validate(configSchema, json, '');
  } catch (e) {
    if (e instanceof LimitError) throw new ConfigError(where ?? 'config', e.message);
    if (e instanceof ConfigError && where !== null) throw new ConfigError(where, e.message);
    throw e;
  }
  return json as Obj;
}

/**
 * Reads and validates a JSON config file (errors name the file and the field path); files over the
 * config size limit (core/limits.ts) are refused before they are read. A run folder's config.json is
 * accepted as it is (its chosenByDefaultRule notes are dropped).
 * @example const file = readConfigFile('train.json');
 */
export function readConfigFile(path: string): Obj {
  const json = readConfigJson(path);
  // A run folder's config.json notes under chosenByDefaultRule why the rule chose its values (the values
  // themselves are recorded), so `--config RUN/config.json` retrains that run; the notes are not config.
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && Object.hasOwn(json, 'chosenByDefaultRule')) {
    const { chosenByDefaultRule: _notes, ...config } = json as Obj;
    return checkConfig(config, path);
  }
  return checkConfig(json, path);
}

/**
 * Reads a JSON config file under the config size limit, without checking it against the schema
 * (neurite tune takes its `tune` block out first); errors name the file.
 * @example const json = readConfigJson('tune.json');
 */
export function readConfigJson(path: string): unknown {
  let text: string;
  try {
    checkFileSize(path, statSync(path).size, getLimits().maxConfigBytes);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof LimitError) throw new ConfigError(path, e.message.slice(path.length + 2));
    throw new ConfigError(path, `cannot read the config file (${(e as Error).message})`);
  }
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { throw new ConfigError(path, `not valid JSON: ${(e as Error).message}`); }
  try { checkJsonDepth(json); } catch (e) { if (e instanceof LimitError) throw new ConfigError(path, e.message); throw e; }
  return json;
}

/** data.cv needs both keys and a fold in 0..folds-1. */
function checkCv(cv: TrainConfig['data']['cv']): void {
  if (cv === null) return;
  const c = cv as Partial<NonNullable<typeof cv>>;
  for (const k of ['folds', 'fold'] as const) if (c[k] === undefined) throw new ConfigError(`data.cv.${k}`, `missing; data.cv needs both folds and fold (e.g. {"folds": 5, "fold": 0}), or null for the validationSplit rows`);
  if (cv.fold >= cv.folds) throw new ConfigError('data.cv.fold', `${cv.fold} is not a fold of ${cv.folds}; use 0..${cv.folds - 1}`);
}

/** Defaults ← config file ← flags, validated as a whole. */
export function resolveConfig(file: Obj | null, flags: Obj): ConfigRequest {
  if (file !== null) checkConfig(file, 'config');
  checkConfig(flags, null);
  const merged = merge(merge(defaultConfig() as unknown as Obj, file ?? {}), flags) as unknown as ConfigRequest;
  if (merged.data.csv) merged.data.dataset = null;
  if (merged.model.hypernet) merged.model.hypernet = { ...defaultHypernet(), ...merged.model.hypernet };
  if (merged.data.csv && merged.data.target === null) throw new ConfigError('data.target', 'a CSV needs --target COLUMN (name or index)');
  checkCv(merged.data.cv);
  validate(configSchema, merged, '');
  return merged;
}
