// `--set key.path=value`: any config key from the command line, the value typed by the schema's rule.
import { ConfigError, type Rule } from './schema.js';
import { nearest } from './argv.js';

type Obj = Record<string, unknown>;

/**
 * Every settable key path of a schema (objects are descended; a nullable object is settable whole too).
 * @example keyPaths(configSchema).includes('train.epochs'); // true
 */
export function keyPaths(rule: Rule, path = ''): string[] {
  const r = rule.kind === 'nullable' ? rule.rule : rule;
  if (r.kind !== 'object') return [path];
  const inner = Object.entries(r.fields).flatMap(([k, sub]) => keyPaths(sub, path === '' ? k : `${path}.${k}`));
  return rule.kind === 'nullable' ? [path, ...inner] : inner;
}

function ruleAt(schema: Rule, path: string): Rule | null {
  let r: Rule = schema;
  for (const part of path.split('.')) {
    const o = r.kind === 'nullable' ? r.rule : r;
    if (o.kind !== 'object' || !Object.hasOwn(o.fields, part)) return null;
    r = o.fields[part]!;
  }
  return r;
}

const num = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
const items = (s: string): string[] => s.split(',').map((p) => p.trim()).filter((p) => p !== '');

/** Text → the value `rule` expects where it parses; otherwise the text itself, so validation names the path and value. */
function typed(rule: Rule, text: string, path: string): unknown {
  if (rule.kind === 'nullable') return text === 'null' ? null : typed(rule.rule, text, path);
  const t = text.trim();
  if (t.startsWith('[') || t.startsWith('{')) {
    try { return JSON.parse(t); } catch (e) { throw new ConfigError(path, `--set value ${t} is not valid JSON: ${(e as Error).message}`); }
  }
  switch (rule.kind) {
    case 'int': case 'number': return num(t);
    case 'bool': return t === 'true' ? true : t === 'false' ? false : t;
    case 'intList': case 'pair': return items(t).map(num);
    case 'stringList': return items(t);
    case 'object': case 'module': case 'moduleList': return t;
    default: return text;
  }
}

/**
 * Applies `--set` assignments to an overrides object (nested as the config is); unknown paths suggest the nearest.
 * @example applySet(configSchema, {}, ['train.epochs=5', 'model.hidden=64,32']); // { train: { epochs: 5 }, model: { hidden: [64, 32] } }
 */
export function applySet(schema: Rule, overrides: Obj, assignments: readonly string[]): Obj {
  for (const a of assignments) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new ConfigError('--set', `expected key.path=value (e.g. --set train.epochs=5), got "${a}"`);
    const path = a.slice(0, eq).trim();
    const rule = ruleAt(schema, path);
    if (rule === null) {
      const near = nearest(path, keyPaths(schema));
      throw new ConfigError(path, `unknown key${near ? `; did you mean ${near}?` : ''} (neurite train --help lists every key)`);
    }
    const parts = path.split('.');
    let at = overrides;
    for (const p of parts.slice(0, -1)) {
      const next = Object.hasOwn(at, p) ? at[p] : undefined;
      at = (at[p] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {}) as Obj;
    }
    at[parts.at(-1)!] = typed(rule, a.slice(eq + 1), path);
  }
  return overrides;
}
