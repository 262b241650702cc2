// Command-line flags → config overrides (values typed where they parse; the schema reports the rest).
import { type CommandSpec, parseCommand } from './argv.js';
import { applySet } from './set-flag.js';
import { configSchema, defaultConfig } from './config.js';

type Obj = Record<string, Record<string, unknown> | unknown>;

const num = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
/** A comma-separated list of column names, kept as text (a column may be named "1"). */
const names = (s: string): string[] => s.split(',').map((p) => p.trim()).filter((p) => p !== '');
const list = (s: string): (number | string)[] => s.split(',').filter((p) => p.trim() !== '').map((p) => num(p.trim()));

const d = defaultConfig();
const show = (v: unknown): string => (v === null ? 'chosen from the data (docs/cli.md)' : Array.isArray(v) ? v.join(',') : String(v));

/** Flags of `neurite train` (defaults read from defaultConfig(), never restated). */
export const trainSpec: CommandSpec = {
  name: 'train',
  usage: `neurite train [--config FILE.json] [--dataset NAME | --csv FILE --target COLUMN] [flags] [--set key.path=value ...]
       neurite train --resume RUN [--epochs N]`,
  about: 'Trains a network and writes a run folder. Flags and --set override the config file, which overrides the defaults.',
  flags: {
    config: { type: 'string', value: 'FILE.json', doc: 'a JSON config (keys below, nested as data / model / train)' },
    dataset: { type: 'string', value: 'NAME', doc: 'a built-in data set (neurite datasets lists them)', default: show(d.data.dataset) },
    csv: { type: 'string', value: 'FILE', doc: 'train on a CSV file (needs --target)' },
    target: { type: 'string', value: 'COLUMN', doc: 'the CSV column to predict, by name or index (-1 = last)' },
    'data-dir': { type: 'string', value: 'DIR', doc: 'where Fashion-MNIST files are looked for' },
    categorical: { type: 'string', value: 'COL,...', doc: 'columns to one-hot encode even if numeric' },
    'no-header': { type: 'boolean', doc: 'the CSV has no header line' },
    missing: { type: 'string', value: 'error|drop|mean|mode', doc: 'what to do with missing cells', default: d.data.missing },
    'missing-values': { type: 'string', value: 'LIST', doc: 'cell texts that mean missing', default: d.data.missingValues.map((m) => JSON.stringify(m)).join(',') },
    epochs: { type: 'string', value: 'N', doc: 'training epochs', default: show(d.train.epochs) },
    'batch-size': { type: 'string', value: 'N', doc: 'examples per step', default: show(d.train.batchSize) },
    lr: { type: 'string', value: 'X', doc: 'learning rate', default: show(d.train.lr) },
    optimizer: { type: 'string', value: 'NAME', doc: 'sgd, momentum, adam, ...', default: d.train.optimizer },
    hidden: { type: 'string', value: 'N,N,...', doc: 'hidden layer widths of the MLP', default: show(d.model.hidden) },
    activation: { type: 'string', value: 'NAME', doc: 'activation between layers', default: d.model.activation },
    seed: { type: 'string', value: 'N', doc: 'random seed (split, init, shuffling)', default: show(d.train.seed) },
    out: { type: 'string', value: 'DIR', doc: 'run folder; must be empty or absent', default: 'runs/<timestamp>' },
    overwrite: { type: 'boolean', doc: 'replace a previous run folder at --out' },
    resume: { type: 'string', value: 'RUN', doc: 'continue a run from its last checkpoint (only --epochs may differ)' },
    backend: { type: 'string', value: 'js|wasm', doc: 'compute backend', default: 'wasm where available' },
    set: { type: 'string', value: 'key.path=value', multiple: true, doc: 'set any config key below (repeatable; lists as a,b; null; JSON for objects)' },
    json: { type: 'boolean', doc: 'print the run summary (folder, status, metrics, exit code) as one JSON object on stdout' },
  },
  example: 'neurite train --csv iris.csv --target species --epochs 50 --set train.weightDecay=0.0001',
};

/** What `neurite train`'s flags ask for. */
export interface TrainArgs { configFile: string | null; overrides: Obj; backend: string | null; help: boolean; resume: string | null; overwrite: boolean; json: boolean }

/**
 * Parses `neurite train` arguments into {config file, overrides, backend, resume, overwrite, json, help}.
 * @example parseTrainArgs(['--epochs', '5', '--set', 'train.lr=0.01']).overrides; // { train: { epochs: 5, lr: 0.01 } }
 */
export function parseTrainArgs(argv: string[]): TrainArgs {
  const values = parseCommand(trainSpec, argv) as Record<string, string | undefined> & { help?: boolean; overwrite?: boolean; json?: boolean; 'no-header'?: boolean; set?: string[] };
  const data: Obj = {}, model: Obj = {}, train: Obj = {}, overrides: Obj = {};
  if (values.dataset !== undefined) data.dataset = values.dataset;
  if (values.csv !== undefined) data.csv = values.csv;
  if (values.target !== undefined) data.target = values.target;
  if (values['data-dir'] !== undefined) data.dataDir = values['data-dir'];
  if (values.categorical !== undefined) data.categorical = names(values.categorical);
  if (values['no-header']) data.header = false;
  if (values.missing !== undefined) data.missing = values.missing;
  if (values['missing-values'] !== undefined) data.missingValues = values['missing-values'].split(',').map((m) => m.trim());
  if (values.hidden !== undefined) model.hidden = list(values.hidden);
  if (values.activation !== undefined) model.activation = values.activation;
  if (values.epochs !== undefined) train.epochs = num(values.epochs);
  if (values['batch-size'] !== undefined) train.batchSize = num(values['batch-size']);
  if (values.lr !== undefined) train.lr = num(values.lr);
  if (values.optimizer !== undefined) train.optimizer = values.optimizer;
  if (values.seed !== undefined) train.seed = num(values.seed);
  if (values.out !== undefined) overrides.out = values.out;
  for (const [k, v] of [['data', data], ['model', model], ['train', train]] as const) if (Object.keys(v).length > 0) overrides[k] = v;
  applySet(configSchema, overrides, values.set ?? []);
  return { configFile: values.config ?? null, overrides, backend: values.backend ?? null, help: values.help ?? false, resume: values.resume ?? null, overwrite: values.overwrite ?? false, json: values.json ?? false };
}
