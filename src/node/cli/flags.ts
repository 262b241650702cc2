// Command-line flags → config overrides (values typed where they parse; the schema reports the rest).
import { parseArgs } from 'node:util';

type Obj = Record<string, Record<string, unknown> | unknown>;

const num = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
/** A comma-separated list of column names, kept as text (a column may be named "1"). */
const names = (s: string): string[] => s.split(',').map((p) => p.trim()).filter((p) => p !== '');
const list = (s: string): (number | string)[] => s.split(',').filter((p) => p.trim() !== '').map((p) => num(p.trim()));

/** Flags of `neurite train` and where each lands in the config. */
export const trainFlags = {
  config: { type: 'string' }, dataset: { type: 'string' }, csv: { type: 'string' }, target: { type: 'string' }, 'data-dir': { type: 'string' },
  categorical: { type: 'string' }, 'no-header': { type: 'boolean' }, missing: { type: 'string' }, 'missing-values': { type: 'string' },
  epochs: { type: 'string' }, 'batch-size': { type: 'string' }, lr: { type: 'string' }, optimizer: { type: 'string' },
  hidden: { type: 'string' }, activation: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
  backend: { type: 'string' }, resume: { type: 'string' }, overwrite: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

/** What `neurite train`'s flags ask for. */
export interface TrainArgs { configFile: string | null; overrides: Obj; backend: string | null; help: boolean; resume: string | null; overwrite: boolean }

/** Parses `neurite train` arguments into {config file, overrides, backend, resume, overwrite, help}. */
export function parseTrainArgs(argv: string[]): TrainArgs {
  const { values } = parseArgs({ args: argv, options: trainFlags, strict: true, allowPositionals: false });
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
  return { configFile: values.config ?? null, overrides, backend: values.backend ?? null, help: values.help ?? false, resume: values.resume ?? null, overwrite: values.overwrite ?? false };
}
