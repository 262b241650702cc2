// The `tune` block of a neurite config (or a tune.json): its fields, the search space checked against
// the training-config schema (every key a real config key, every range and choice a legal value of
// it), and the trial configs it yields — errors in the config's own style (`tune.space.train.lr: …`).
import { ConfigError, type Rule, validate } from '../cli/schema.js';
import { configSchema } from '../cli/config.js';
import { nearest } from '../cli/argv.js';
import { type ParamDef, type SearchSpace, SpaceError, parseSpace } from '../../tune/space.js';
import type { Direction } from '../../tune/storage/types.js';

/** The validation metrics a study can optimise, with their natural direction. */
export const METRICS: Record<string, Direction> = {
  accuracy: 'maximize', f1: 'maximize', precision: 'maximize', recall: 'maximize', roc_auc: 'maximize', r2: 'maximize',
  loss: 'minimize', log_loss: 'minimize', mse: 'minimize', mae: 'minimize',
};

/** A checked `tune` block. */
export interface TuneBlock {
  space: unknown;
  parsed: SearchSpace;
  metric: string;
  direction: Direction;
  trials: number | null;
  /** Folds per trial (`tune.cv`), or null: one run scored on the validation split. */
  cv: number | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every leaf key of the config schema with its rule (`train.lr` → number > 0). */
export function configLeaves(rule: Rule = configSchema, path = ''): Map<string, Rule> {
  const out = new Map<string, Rule>();
  const inner = rule.kind === 'nullable' && rule.rule.kind === 'object' ? rule.rule : rule;
  if (inner.kind === 'object') {
    for (const [k, r] of Object.entries(inner.fields)) for (const [p, leaf] of configLeaves(r, path ? `${path}.${k}` : k)) out.set(p, leaf);
  } else out.set(path, rule);
  return out;
}

const base = (r: Rule): Rule => (r.kind === 'nullable' ? r.rule : r);

/** Checks one parameter's domain against its config key's rule: a sampled value is always a legal config value. */
function checkParam(p: ParamDef, key: string, rule: Rule, where: string): void {
  const r = base(rule), at = `${where}.${key}`;
  const legal = (v: unknown, field: string): void => {
    try { validate(rule, v, key); } catch (e) { throw new ConfigError(`${at}.${field}`, `${JSON.stringify(v)} is not a legal value of ${key} (${(e as Error).message.slice(key.length + 2)})`); }
  };
  if (p.type === 'categorical') { p.choices.forEach((c, i) => legal(c, `choices[${i}]`)); return; }
  if (r.kind === 'int' && p.type !== 'int') throw new ConfigError(`${at}.type`, `${key} takes integers; use "type": "int"`);
  if (r.kind !== 'int' && r.kind !== 'number') throw new ConfigError(`${at}.type`, `${key} is not numeric (${r.kind}); use "type": "categorical" with its choices`);
  legal(p.low, 'low');
  legal(p.high, 'high');
}

/** The space's keys must be config keys (a typo names the nearest one); each parameter's values must be legal there. */
export function checkSpaceKeys(space: SearchSpace, where: string): void {
  const leaves = configLeaves();
  const layerKeys = new Map(space.layers.flatMap((l) => [[l.count, l.key], ...l.widths.map((w) => [w, l.key] as [string, string])]));
  for (const p of space.params) {
    const key = layerKeys.get(p.name) ?? p.name;
    const rule = leaves.get(key);
    if (!rule) {
      const near = nearest(key, [...leaves.keys()]);
      throw new ConfigError(`${where}.${key}`, `unknown config key${near ? `; did you mean ${near}?` : ''} (neurite train --help lists the keys)`);
    }
    if (layerKeys.has(p.name)) {
      if (base(rule).kind !== 'intList') throw new ConfigError(`${where}.${key}.type`, `"layers" needs a key that takes a list of widths (like model.hidden); ${key} does not`);
      if (p.name !== key + '.length') checkParam(p, key + '[0]', { kind: 'int', min: 1, doc: '' }, where);
      continue;
    }
    if (base(rule).kind === 'intList' || base(rule).kind === 'stringList' || base(rule).kind === 'moduleList' || base(rule).kind === 'module') {
      if (p.type !== 'categorical') throw new ConfigError(`${where}.${key}.type`, `${key} takes a list; use "type": "layers" (a sampled length with one width per layer) or "categorical" with whole lists as choices`);
    }
    checkParam(p, key, rule, where);
  }
}

/**
 * Checks a `tune` block: `{ "space": {...}, "metric": "accuracy", "direction": "maximize", "trials": 20, "cv": 5 }`.
 * @example const block = parseTuneBlock({ space: { 'train.lr': { type: 'float', low: 1e-4, high: 0.1, log: true } } }, 'tune');
 */
export function parseTuneBlock(json: unknown, where: string): TuneBlock {
  if (!isObj(json)) throw new ConfigError(where, `expected an object with a "space", e.g. {"space": {"train.lr": {"type": "float", "low": 0.0001, "high": 0.1, "log": true}}}, got ${JSON.stringify(json)}`);
  for (const k of Object.keys(json)) if (!['space', 'metric', 'direction', 'trials', 'cv'].includes(k)) throw new ConfigError(`${where}.${k}`, 'unknown key; allowed keys here: space, metric, direction, trials, cv');
  const metric = json.metric ?? 'accuracy';
  if (typeof metric !== 'string' || !Object.hasOwn(METRICS, metric)) throw new ConfigError(`${where}.metric`, `expected one of ${Object.keys(METRICS).join(', ')} (a validation metric), got ${JSON.stringify(metric)}`);
  const direction = json.direction ?? METRICS[metric]!;
  if (direction !== 'maximize' && direction !== 'minimize') throw new ConfigError(`${where}.direction`, `expected maximize or minimize, got ${JSON.stringify(direction)}`);
  if (direction !== METRICS[metric]) throw new ConfigError(`${where}.direction`, `${metric} is better when ${METRICS[metric] === 'maximize' ? 'larger' : 'smaller'}; ${direction} would search for the worst model`);
  const trials = json.trials ?? null;
  if (trials !== null && !(Number.isInteger(trials) && (trials as number) >= 1)) throw new ConfigError(`${where}.trials`, `expected a positive integer, got ${JSON.stringify(trials)}`);
  const cv = json.cv ?? null;
  if (cv !== null && !(Number.isInteger(cv) && (cv as number) >= 2)) throw new ConfigError(`${where}.cv`, `expected the number of folds, an integer >= 2 (or null for the validation split), got ${JSON.stringify(cv)}`);
  let parsed: SearchSpace;
  try { parsed = parseSpace(json.space, `${where}.space`); } catch (e) {
    if (e instanceof SpaceError) throw new ConfigError(e.path, e.message.slice(e.path.length + 2));
    throw e;
  }
  checkSpaceKeys(parsed, `${where}.space`);
  if (cv !== null && parsed.params.some((p) => p.name.startsWith('data.cv.'))) throw new ConfigError(`${where}.space`, 'tunes data.cv while tune.cv sets the folds of every trial; keep one');
  return { space: json.space, parsed, metric, direction, trials: trials as number | null, cv: cv as number | null };
}
