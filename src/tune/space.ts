// Search spaces: the JSON a user writes (`tune.space` of a config, or a tune.json) parsed into a flat,
// ordered list of parameters — int/float ranges (log, step), categorical choices, conditions on
// earlier parameters, and layer lists whose length is sampled with one width parameter per layer.
import type { ParamValue } from './storage/types.js';

/** Raised for an invalid search space; the message starts with the space key's path. */
export class SpaceError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'SpaceError';
  }
}

/** A parameter is sampled only while every condition holds (values of earlier parameters). */
export interface Condition {
  param: string;
  /** The parameter's value is one of these. */
  values?: ParamValue[];
  /** The parameter's (integer) value is at least this (layer i exists when the count is > i). */
  atLeast?: number;
}

/** A numeric range; `log` samples uniformly in log space, `step` on the grid low, low+step, …. */
export interface NumericParam {
  name: string; type: 'int' | 'float'; low: number; high: number; log: boolean; step: number | null; when: Condition[];
}
/** A choice between JSON scalars. */
export interface CategoricalParam { name: string; type: 'categorical'; choices: ParamValue[]; when: Condition[] }
export type ParamDef = NumericParam | CategoricalParam;

/** Where a layer list's sampled values go: `key` gets `[width[0], …, width[count-1]]`. */
export interface LayerList { key: string; count: string; widths: string[] }

/** A parsed space: parameters in sampling order (a condition only names earlier ones) and the layer lists. */
export interface SearchSpace { params: ParamDef[]; layers: LayerList[] }

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => { const s = JSON.stringify(v); return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s; };
const KINDS = ['int', 'float', 'categorical', 'layers'];

function checkKeys(o: Obj, allowed: string[], path: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new SpaceError(`${path}.${k}`, `unknown key; allowed keys here: ${allowed.join(', ')}`);
}

function numberField(o: Obj, key: string, path: string, int: boolean): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || (int && !Number.isInteger(v))) throw new SpaceError(`${path}.${key}`, `expected ${int ? 'an integer' : 'a finite number'}, got ${show(v)}`);
  return v;
}

function parseNumeric(name: string, o: Obj, path: string, type: 'int' | 'float', when: Condition[]): NumericParam {
  checkKeys(o, ['type', 'low', 'high', 'log', 'step', 'when'], path);
  const int = type === 'int';
  const low = numberField(o, 'low', path, int), high = numberField(o, 'high', path, int);
  if (!(low < high)) throw new SpaceError(path, `expected low < high, got low ${low} and high ${high}`);
  const log = o.log ?? false;
  if (typeof log !== 'boolean') throw new SpaceError(`${path}.log`, `expected true or false, got ${show(log)}`);
  if (log && low <= 0) throw new SpaceError(`${path}.low`, `a log range needs low > 0, got ${low}`);
  let step: number | null = null;
  if (o.step !== undefined && o.step !== null) {
    step = numberField(o, 'step', path, int);
    if (step <= 0) throw new SpaceError(`${path}.step`, `expected a step > 0, got ${step}`);
    if (log && !int) throw new SpaceError(`${path}.step`, 'a float range cannot have both log and step; drop one');
    const n = (high - low) / step;
    if (Math.abs(n - Math.round(n)) > 1e-9 * Math.max(1, n)) throw new SpaceError(`${path}.step`, `(high - low) / step must be a whole number, got (${high} - ${low}) / ${step} = ${n}`);
  } else if (int) step = 1;
  return { name, type, low, high, log, step, when };
}

function parseCategorical(name: string, o: Obj, path: string, when: Condition[]): CategoricalParam {
  checkKeys(o, ['type', 'choices', 'when'], path);
  const c = o.choices;
  if (!Array.isArray(c) || c.length === 0) throw new SpaceError(`${path}.choices`, `expected a non-empty list of values, got ${show(c)}`);
  c.forEach((v, i) => { if (v !== null && !['number', 'string', 'boolean'].includes(typeof v)) throw new SpaceError(`${path}.choices[${i}]`, `expected a number, string, true/false or null, got ${show(v)}`); });
  const seen = new Set(c.map((v) => JSON.stringify(v)));
  if (seen.size !== c.length) throw new SpaceError(`${path}.choices`, `lists a value twice: ${show(c)}`);
  return { name, type: 'categorical', choices: c as ParamValue[], when };
}

function parseWhen(o: Obj, path: string, earlier: Map<string, ParamDef>): Condition[] {
  if (o.when === undefined) return [];
  if (!isObj(o.when)) throw new SpaceError(`${path}.when`, `expected an object {"other.key": [values]}, got ${show(o.when)}`);
  return Object.entries(o.when).map(([param, values]) => {
    const p = `${path}.when.${param}`;
    const parent = earlier.get(param);
    if (!parent) throw new SpaceError(p, `names no parameter defined before this one${earlier.size ? ` (defined so far: ${[...earlier.keys()].join(', ')})` : ''}; list the parameter it depends on first`);
    if (!Array.isArray(values) || values.length === 0) throw new SpaceError(p, `expected a non-empty list of the values that switch this parameter on, got ${show(values)}`);
    if (parent.type === 'categorical') {
      for (const v of values) if (!parent.choices.some((c) => c === v)) throw new SpaceError(p, `${show(v)} is not one of ${param}'s choices (${parent.choices.map(show).join(', ')})`);
    }
    return { param, values: values as ParamValue[] };
  });
}

function parseLayers(key: string, o: Obj, path: string, when: Condition[]): { params: ParamDef[]; layers: LayerList } {
  checkKeys(o, ['type', 'count', 'width', 'when'], path);
  if (!isObj(o.count)) throw new SpaceError(`${path}.count`, `expected {"low": 1, "high": 3}, got ${show(o.count)}`);
  const count = parseNumeric(`${key}.length`, { type: 'int', ...o.count }, `${path}.count`, 'int', when);
  if (count.low < 0) throw new SpaceError(`${path}.count.low`, `expected a layer count >= 0, got ${count.low}`);
  if (count.high > 64) throw new SpaceError(`${path}.count.high`, `expected at most 64 layers, got ${count.high}`);
  if (!isObj(o.width)) throw new SpaceError(`${path}.width`, `expected a range like {"type": "int", "low": 8, "high": 256, "log": true}, got ${show(o.width)}`);
  const params: ParamDef[] = [count];
  const widths: string[] = [];
  for (let i = 0; i < count.high; i++) {
    const name = `${key}[${i}]`;
    const cond: Condition[] = [...when, { param: count.name, atLeast: i + 1 }];
    if (o.width.type !== undefined && !['int', 'categorical'].includes(o.width.type as string)) throw new SpaceError(`${path}.width.type`, `expected int or categorical, got ${show(o.width.type)}`);
    const w = o.width.type === 'categorical' ? parseCategorical(name, o.width, `${path}.width`, cond) : parseNumeric(name, o.width, `${path}.width`, 'int', cond);
    params.push(w);
    widths.push(name);
  }
  return { params, layers: { key, count: count.name, widths } };
}

/**
 * Parses a search space: `{ "train.lr": {"type": "float", "low": 1e-4, "high": 0.1, "log": true}, … }`.
 * Keys are dotted config paths; errors name the key (`tune.space.train.lr.low: …`) via `where`.
 * @example
 * const space = parseSpace({ 'train.lr': { type: 'float', low: 1e-4, high: 0.1, log: true } });
 * space.params[0].name; // 'train.lr'
 */
export function parseSpace(json: unknown, where = 'space'): SearchSpace {
  if (!isObj(json) || Object.keys(json).length === 0) throw new SpaceError(where, `expected an object of parameters, e.g. {"train.lr": {"type": "float", "low": 0.0001, "high": 0.1, "log": true}}, got ${show(json)}`);
  const byName = new Map<string, ParamDef>();
  const layers: LayerList[] = [];
  for (const [key, def] of Object.entries(json)) {
    const path = `${where}.${key}`;
    if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(key)) throw new SpaceError(path, 'expected a dotted config key like train.lr');
    if (!isObj(def)) throw new SpaceError(path, `expected a parameter object with a "type" (${KINDS.join(', ')}), got ${show(def)}`);
    if (!KINDS.includes(def.type as string)) throw new SpaceError(`${path}.type`, `expected one of ${KINDS.join(', ')}, got ${show(def.type)}`);
    const when = parseWhen(def, path, byName);
    const add = (p: ParamDef): void => { byName.set(p.name, p); };
    if (def.type === 'layers') {
      const l = parseLayers(key, def, path, when);
      l.params.forEach(add);
      layers.push(l.layers);
    } else add(def.type === 'categorical' ? parseCategorical(key, def, path, when) : parseNumeric(key, def, path, def.type as 'int' | 'float', when));
  }
  return { params: [...byName.values()], layers };
}

/**
 * Whether `param` is sampled given the values chosen so far (every condition holds).
 * @example isActive(parseSpace({ o: { type: 'categorical', choices: ['sgd', 'adam'] }, m: { type: 'float', low: 0, high: 1, when: { o: ['sgd'] } } }).params[1]!, { o: 'sgd' }) // true
 */
export function isActive(param: ParamDef, chosen: Readonly<Record<string, ParamValue>>): boolean {
  return param.when.every((c) => {
    if (!Object.hasOwn(chosen, c.param)) return false;
    const v = chosen[c.param]!;
    if (c.values && !c.values.some((x) => x === v)) return false;
    return c.atLeast === undefined || (typeof v === 'number' && v >= c.atLeast);
  });
}

/**
 * Whether `value` is a legal value of `param` (in range, on its step, one of its choices).
 * @example inDomain({ name: 'x', type: 'int', low: 1, high: 3, log: false, step: 1, when: [] }, 2) // true
 */
export function inDomain(param: ParamDef, value: ParamValue): boolean {
  if (param.type === 'categorical') return param.choices.some((c) => c === value);
  if (typeof value !== 'number' || value < param.low || value > param.high) return false;
  if (param.step === null) return true;
  const k = (value - param.low) / param.step;
  return Math.abs(k - Math.round(k)) < 1e-9 * Math.max(1, k);
}

/**
 * The config overrides a set of sampled parameters stands for: dotted keys → values, with each
 * layer list assembled (`model.hidden` = `[model.hidden[0], …]` up to its sampled length).
 * @example toOverrides(parseSpace({ 'model.hidden': { type: 'layers', count: { low: 1, high: 2 }, width: { type: 'int', low: 8, high: 64 } } }), { 'model.hidden.length': 2, 'model.hidden[0]': 64, 'model.hidden[1]': 32 }) // { 'model.hidden': [64, 32] }
 */
export function toOverrides(space: SearchSpace, params: Readonly<Record<string, ParamValue>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const inLayers = new Set(space.layers.flatMap((l) => [l.count, ...l.widths]));
  for (const p of space.params) if (!inLayers.has(p.name) && Object.hasOwn(params, p.name)) out[p.name] = params[p.name];
  for (const l of space.layers) {
    const n = params[l.count];
    if (typeof n === 'number') out[l.key] = l.widths.slice(0, n).map((w) => params[w]);
  }
  return out;
}

/**
 * Writes dotted-key overrides into a copy of a nested config object (`{"train.lr": 0.01}` → `train: { lr: 0.01 }`).
 * @example applyOverrides({ train: { lr: 1 } }, { 'train.lr': 0.01 }) // { train: { lr: 0.01 } }
 */
export function applyOverrides(config: Readonly<Record<string, unknown>>, overrides: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const root = structuredClone(config) as Obj;
  for (const [key, value] of Object.entries(overrides)) {
    const parts = key.split('.');
    let o = root;
    for (const part of parts.slice(0, -1)) {
      if (!isObj(o[part])) Object.defineProperty(o, part, { value: {}, enumerable: true, writable: true, configurable: true });
      o = o[part] as Obj;
    }
    Object.defineProperty(o, parts.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}
