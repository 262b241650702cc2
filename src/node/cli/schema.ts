// A small JSON-schema-like validator: every error names the path of the bad field
// (`model.hidden[1]: expected a positive integer, got "x"`), and the schema documents each key.
import { previewJson } from '../../core/limits.js';

/** One field's rule and its documentation. */
export type Rule =
  | { kind: 'int'; min?: number; doc: string }
  | { kind: 'number'; min?: number; max?: number; exclusiveMin?: boolean; doc: string }
  | { kind: 'string'; doc: string }
  | { kind: 'enum'; values: readonly string[]; doc: string }
  | { kind: 'bool'; doc: string }
  | { kind: 'intList'; doc: string }
  | { kind: 'stringList'; doc: string }
  | { kind: 'pair'; doc: string }
  | { kind: 'object'; fields: Record<string, Rule>; doc: string }
  | { kind: 'module'; doc: string }
  | { kind: 'moduleList'; doc: string }
  | { kind: 'nullable'; rule: Rule };

/** Raised for an invalid config; the message starts with the field's path. */
export class ConfigError extends Error {
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'ConfigError';
  }
}

const show = (v: unknown): string => previewJson(v);

function checkNumber(rule: Extract<Rule, { kind: 'number' }>, v: unknown, path: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(path, `expected a number, got ${show(v)}`);
  if (rule.min !== undefined && (rule.exclusiveMin ? v <= rule.min : v < rule.min)) throw new ConfigError(path, `expected a number ${rule.exclusiveMin ? '>' : '>='} ${rule.min}, got ${v}`);
  if (rule.max !== undefined && v > rule.max) throw new ConfigError(path, `expected a number <= ${rule.max}, got ${v}`);
}

/** Validates `value` against `rule`; throws ConfigError naming the path of the first problem. */
export function validate(rule: Rule, value: unknown, path: string): void {
  switch (rule.kind) {
    case 'nullable': if (value !== null) validate(rule.rule, value, path); return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < (rule.min ?? -Infinity)) {
        throw new ConfigError(path, `expected ${rule.min === 1 ? 'a positive integer' : rule.min === 0 ? 'a non-negative integer' : rule.min === undefined ? 'an integer' : `an integer >= ${rule.min}`}, got ${show(value)}`);
      }
      return;
    case 'number': return checkNumber(rule, value, path);
    case 'string': if (typeof value !== 'string' || value === '') throw new ConfigError(path, `expected a non-empty string, got ${show(value)}`); return;
    case 'bool': if (typeof value !== 'boolean') throw new ConfigError(path, `expected true or false, got ${show(value)}`); return;
    case 'enum':
      if (typeof value !== 'string' || !rule.values.includes(value)) throw new ConfigError(path, `expected one of ${rule.values.join(', ')}, got ${show(value)}`);
      return;
    case 'intList':
      if (!Array.isArray(value)) throw new ConfigError(path, `expected a list of positive integers, got ${show(value)}`);
      value.forEach((v, i) => validate({ kind: 'int', min: 1, doc: '' }, v, `${path}[${i}]`));
      return;
    case 'stringList':
      if (!Array.isArray(value)) throw new ConfigError(path, `expected a list of strings, got ${show(value)}`);
      value.forEach((v, i) => { if (typeof v !== 'string') throw new ConfigError(`${path}[${i}]`, `expected a string, got ${show(v)}`); });
      return;
    case 'pair':
      if (!Array.isArray(value) || value.length !== 2) throw new ConfigError(path, `expected [low, high], got ${show(value)}`);
      value.forEach((v, i) => validate({ kind: 'number', doc: '' }, v, `${path}[${i}]`));
      if (!(value[0] < value[1])) throw new ConfigError(path, `expected low < high, got ${show(value)}`);
      return;
    case 'module':
      if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof (value as { type?: unknown }).type !== 'string') {
        throw new ConfigError(path, `expected a module object with a "type" (e.g. {"type": "Linear", "in": 64, "out": 10}), got ${show(value)}`);
      }
      return;
    case 'moduleList':
      if (!Array.isArray(value) || value.length === 0) throw new ConfigError(path, `expected a non-empty list of module objects, got ${show(value)}`);
      value.forEach((v, i) => validate({ kind: 'module', doc: '' }, v, `${path}[${i}]`));
      return;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(path, `expected an object, got ${show(value)}`);
      for (const [k, v] of Object.entries(value)) {
        // Own keys only: "__proto__", "constructor" or "toString" are unknown keys like any other.
        const sub = Object.hasOwn(rule.fields, k) ? rule.fields[k] : undefined;
        const p = path === '' ? k : `${path}.${k}`;
        if (!sub) throw new ConfigError(p, `unknown key; allowed keys here: ${Object.keys(rule.fields).join(', ')}`);
        validate(sub, v, p);
      }
    }
  }
}

/** The value at `path` (dotted) inside `root`, or undefined. */
const valueAt = (root: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined), root);

/** One line per leaf key: `path  type  doc (default: …)`, for `--help`; defaults are read from `defaults` when given. */
export function describeSchema(rule: Rule, path = '', defaults?: unknown): string[] {
  const dflt = (): string => {
    if (defaults === undefined) return '';
    const v = valueAt(defaults, path);
    return v === undefined ? '' : ` (default: ${JSON.stringify(v)})`;
  };
  if (rule.kind === 'object') return Object.entries(rule.fields).flatMap(([k, r]) => describeSchema(r, path === '' ? k : `${path}.${k}`, defaults));
  if (rule.kind === 'nullable' && rule.rule.kind === 'object') {
    return [`  ${path.padEnd(26)} ${'{...}|null'.padEnd(28)} ${rule.rule.doc}${defaults === undefined ? '' : ' (default: null; the keys below apply once it is set)'}`, ...describeSchema(rule.rule, path, defaults)];
  }
  const r = rule.kind === 'nullable' ? rule.rule : rule;
  const type = r.kind === 'enum' ? r.values.join('|') : r.kind === 'intList' ? 'int,int,...' : r.kind === 'stringList' ? '["text",...]' : r.kind === 'pair' ? '[low,high]' : r.kind === 'moduleList' ? '[{type,...},...]' : r.kind === 'module' ? '{type,...}' : r.kind;
  const doc = 'doc' in r ? r.doc : '';
  return [`  ${path.padEnd(26)} ${(type + (rule.kind === 'nullable' ? '|null' : '')).padEnd(28)} ${doc}${dflt()}`];
}
