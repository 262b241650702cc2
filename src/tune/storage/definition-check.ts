// Study definitions at a storage's boundary: validate one before it is stored, and name the first
// field where a joining worker's definition differs from the stored one (any storage can use both).
import type { ParamValue, StudyDefinition } from './types.js';

const DIRECTIONS = new Set(['minimize', 'maximize']);

/** Raised for a bad study definition or trial parameters; the message names the field and what to do. */
export class StudyDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StudyDefinitionError';
  }
}

/**
 * Throws a StudyDefinitionError naming the field unless `def` is a storable study definition:
 * a non-empty name, a known direction, JSON-only space/sampler/pruner, integer limits.
 * @example
 * checkStudyDefinition({ name: 'iris', direction: 'maximize', metric: 'validation.accuracy',
 *   space: {}, sampler: { name: 'random' }, pruner: null, maxTrials: 20, maxRetries: 2 });
 */
export function checkStudyDefinition(def: StudyDefinition): void {
  const where = `study '${String(def.name)}'`;
  if (typeof def.name !== 'string' || def.name.trim() === '') {
    throw new StudyDefinitionError(`study definition: name must be a non-empty string, got ${JSON.stringify(def.name)}`);
  }
  if (!DIRECTIONS.has(def.direction)) {
    throw new StudyDefinitionError(`${where}: direction must be 'minimize' or 'maximize', got ${JSON.stringify(def.direction)}`);
  }
  if (typeof def.metric !== 'string' || def.metric === '') {
    throw new StudyDefinitionError(`${where}: metric must be a non-empty string such as 'validation.accuracy', got ${JSON.stringify(def.metric)}`);
  }
  if (!Number.isInteger(def.maxTrials) || def.maxTrials < 1) {
    throw new StudyDefinitionError(`${where}: maxTrials must be a positive integer, got ${String(def.maxTrials)}`);
  }
  if (!Number.isInteger(def.maxRetries) || def.maxRetries < 0) {
    throw new StudyDefinitionError(`${where}: maxRetries must be an integer >= 0, got ${String(def.maxRetries)}`);
  }
  for (const field of ['space', 'sampler', 'pruner'] as const) checkJson(def[field], `${where}: ${field}`);
}

/** Throws unless `value` survives JSON unchanged (no NaN, Infinity, undefined, functions, cycles). */
function checkJson(value: unknown, path: string, seen: Set<unknown> = new Set()): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new StudyDefinitionError(`${path}: ${value} is not storable as JSON; use a finite number`);
    return;
  }
  if (typeof value !== 'object') throw new StudyDefinitionError(`${path}: a ${typeof value} is not storable as JSON`);
  if (seen.has(value)) throw new StudyDefinitionError(`${path}: refers to itself (a cycle is not storable as JSON)`);
  seen.add(value);
  if (Array.isArray(value)) value.forEach((v, i) => checkJson(v, `${path}[${i}]`, seen));
  else for (const [k, v] of Object.entries(value)) checkJson(v, `${path}.${k}`, seen);
  seen.delete(value);
}

/**
 * Throws a StudyDefinitionError naming the key unless every value of `params` is a JSON scalar
 * (a finite number, a string, a boolean or null), as a sampler must produce.
 * @example checkTrialParams({ lr: 0.01, activation: 'relu' }, "study 'iris'");
 */
export function checkTrialParams(params: Record<string, ParamValue>, where: string): void {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new StudyDefinitionError(`${where}: the sampler returned ${JSON.stringify(params)}, not an object of parameters`);
  }
  if (typeof (params as { then?: unknown }).then === 'function') {
    throw new StudyDefinitionError(`${where}: the sampler returned a Promise; propose runs inside the claim and must return the parameters themselves`);
  }
  for (const [key, v] of Object.entries(params)) {
    const ok = v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    if (!ok) throw new StudyDefinitionError(`${where}: parameter '${key}' is ${String(v)}; a parameter must be a finite number, a string, a boolean or null`);
  }
}

/**
 * The first path where two JSON values differ, with both values, or null when they are equal.
 * @example firstJsonDifference({ lr: [0, 1] }, { lr: [0, 2] }, 'space')  // { path: 'space.lr[1]', stored: 1, given: 2 }
 */
export function firstJsonDifference(stored: unknown, given: unknown, path: string): { path: string; stored: unknown; given: unknown } | null {
  if (Object.is(stored, given)) return null;
  const bothObjects = typeof stored === 'object' && typeof given === 'object' && stored !== null && given !== null;
  if (!bothObjects || Array.isArray(stored) !== Array.isArray(given)) return { path, stored, given };
  if (Array.isArray(stored) && Array.isArray(given)) {
    const n = Math.max(stored.length, given.length);
    for (let i = 0; i < n; i++) {
      const d = firstJsonDifference(stored[i], given[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const a = stored as Record<string, unknown>, b = given as Record<string, unknown>;
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const d = firstJsonDifference(a[key], b[key], `${path}.${key}`);
    if (d) return d;
  }
  return null;
}

const FIELDS = ['direction', 'metric', 'space', 'sampler', 'pruner', 'maxTrials', 'maxRetries'] as const;

/**
 * Throws a StudyDefinitionError when a worker joins study `stored.name` with a different
 * definition, naming the first differing field (`space.lr.high: stored 0.1, given 0.2`).
 * @example
 * const def = { name: 'iris', direction: 'maximize' as const, metric: 'acc', space: { lr: 0.1 }, sampler: null, pruner: null, maxTrials: 8, maxRetries: 1 };
 * assertSameDefinition(def, { ...def, space: { lr: 0.2 } }, 'memory');  // throws: space.lr is 0.1 there, 0.2 here
 */
export function assertSameDefinition(stored: StudyDefinition, given: StudyDefinition, where: string): void {
  for (const field of FIELDS) {
    const d = firstJsonDifference(stored[field], given[field], field);
    if (!d) continue;
    const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
    throw new StudyDefinitionError(
      `study '${given.name}' in ${where} was created with a different ${field}: ${d.path} is ${show(d.stored)} there, ` +
        `${show(d.given)} here; every worker of a study must use the same definition (start this one with the same tune settings, or use another study name)`,
    );
  }
}
