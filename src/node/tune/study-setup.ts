// What `neurite tune` starts from: the config (its `tune` block taken out) or a --space file, the
// checked tune block, the study folder and name, and the sampler and pruner settings — everything
// every worker of the study must agree on.
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigError } from '../cli/schema.js';
import { UsageError } from '../cli/argv.js';
import { readConfigJson, resolveConfig } from '../cli/config.js';
import { configDifferences } from '../cli/run-folder.js';
import { type TuneBlock, parseTuneBlock } from './config-space.js';
import { type StudyFile, readStudyFile, STUDY_FILE } from './study-files.js';
import type { TuneArgs } from './tune-spec.js';
import type { SamplerSettings } from '../../tune/samplers/index.js';
import type { PrunerSettings } from '../../tune/pruners/index.js';
import { storageKind } from './storage-open.js';
import { gridOf } from '../../tune/samplers/grid.js';
import { SpaceError } from '../../tune/space.js';

/** A study as the CLI runs it. */
export interface CliStudy {
  dir: string;
  name: string;
  block: TuneBlock;
  base: Record<string, unknown>;
  trials: number;
  sampler: SamplerSettings;
  pruner: PrunerSettings;
  /** Folds per trial (--cv, else tune.cv), or null: one run scored on the validation split. */
  cv: number | null;
  file: StudyFile;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the tune block and the base config from --config / --space. */
function readInputs(args: TuneArgs): { base: Obj; block: TuneBlock; cv: number | null } {
  if (!args.config && !args.space) throw new Error('tune: --config FILE (a training config with a "tune" block) or --space FILE (a tune.json) is required; see neurite tune --help');
  const raw = args.config ? readConfigJson(args.config) : {};
  if (!isObj(raw)) throw new ConfigError(args.config!, `expected a JSON object, got ${JSON.stringify(raw).slice(0, 40)}`);
  const { tune: inConfig, ...base } = raw;
  if (inConfig !== undefined && args.space) throw new ConfigError(args.config!, `has a "tune" block and --space ${args.space} gives another; keep one`);
  const file = args.space ?? args.config!;
  const blockJson = args.space ? readConfigJson(args.space) : inConfig;
  if (blockJson === undefined) throw new ConfigError(file, 'has no "tune" block; add {"tune": {"space": {...}}} or pass --space tune.json (docs/tune.md)');
  let block: TuneBlock;
  try { block = parseTuneBlock(blockJson, 'tune'); } catch (e) { throw e instanceof ConfigError ? new ConfigError(file, e.message) : e; }
  let resolved;
  try { resolved = resolveConfig(base, {}); } catch (e) { throw e instanceof ConfigError && args.config ? new ConfigError(args.config, e.message.replace(/^config: /, '')) : e; }
  const cv = args.cv ?? block.cv;
  if (cv !== null && resolved.data.cv !== null) throw new ConfigError(`${args.config ?? file}: data.cv`, `is set (fold ${resolved.data.cv.fold} of ${resolved.data.cv.folds}) while ${args.cv !== null ? `--cv ${cv}` : `tune.cv ${cv}`} gives every trial its own ${cv} folds; remove data.cv from the config`);
  const tunesSplit = block.parsed.params.some((p) => p.name === 'data.validationSplit');
  if (cv === null && !tunesSplit && !(resolved.data.validationSplit > 0)) throw new ConfigError(`${file}: data.validationSplit`, 'is 0, but trials are scored on the validation split; set it > 0 (e.g. 0.2) — tuning on the test split would overstate every result');
  return { base, block, cv };
}

function prunerSettings(args: TuneArgs, block: TuneBlock, base: Obj): PrunerSettings {
  if (args.pruner !== 'hyperband') return { name: args.pruner };
  const epochs = resolveConfig(base, {}).train.epochs;
  if (epochs === null || block.parsed.params.some((p) => p.name === 'train.epochs')) throw new Error('tune: --pruner hyperband needs a fixed train.epochs in the config (its largest budget per trial); set train.epochs and leave it out of the space');
  return { name: 'hyperband', maxResource: epochs };
}

/**
 * The study of a tune command; a study folder that exists must have been started with the same
 * config and space (else an error lists what differs).
 * @example const study = cliStudy(tuneArgs(values));
 */
export function cliStudy(args: TuneArgs, now = new Date()): CliStudy {
  const { base, block, cv } = readInputs(args);
  if (cv !== null && args.pruner !== 'none') {
    throw new UsageError(`tune: --cv ${cv} and --pruner ${args.pruner} cannot be combined: a cross-validated trial's value is the mean over its ${cv} folds, known only after the last fold, so no per-epoch value compares trials fairly; drop --pruner (or --pruner none) to cross-validate, or drop --cv${args.cv === null ? ' (set by tune.cv in the config)' : ''} to prune`, 'tune');
  }
  const dir = args.study ?? join('studies', now.toISOString().slice(0, 19).replace(/:/g, '-'));
  const name = args.name ?? basename(resolve(dir));
  const file: StudyFile = { name, storage: storageKind(args.storage), metric: block.metric, direction: block.direction, space: block.space, base, ...(cv !== null ? { cv } : {}) };
  if (existsSync(join(dir, STUDY_FILE))) {
    const old = readStudyFile(dir);
    const diff = [...configDifferences(old.base, base).map((d) => `config ${d}`), ...configDifferences(old.space, block.space).map((d) => `space ${d}`)];
    if (old.name !== name) diff.push(`study name (${old.name} → ${name})`);
    if ((old.cv ?? null) !== cv) diff.push(`cv (${old.cv ?? 'none'} → ${cv ?? 'none'})`);
    if (diff.length > 0) throw new Error(`tune: ${dir} holds a study started with another setup: ${diff.slice(0, 5).join('; ')}; rerun it with the config it started with to resume, or pass another --study`);
  }
  if (args.sampler === 'grid') {
    try { gridOf(block.parsed); } catch (e) { throw e instanceof SpaceError ? new ConfigError(args.space ?? args.config!, `tune.space.${e.message}`) : e; }
  }
  return { dir, name, block, base, trials: args.trials ?? block.trials ?? 20, sampler: { name: args.sampler, seed: args.seed }, pruner: prunerSettings(args, block, base), cv, file };
}
