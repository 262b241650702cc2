// Typed readers of fields of untrusted module JSON (model.json, configs) for the moduleFromJSON builders:
// unknown keys and wrong types are ArgumentErrors naming `Type.field`, never a TypeError deeper down.
import { ArgumentError } from '../core/errors.js';
import { checkOptions, describeValue } from '../core/options.js';
import { previewJson } from '../core/limits.js';
import type { Module, ModuleJSON } from './module.js';
import type { Builder } from './registry.js';

/** An own field's value (inherited names such as `constructor` never count as present). */
const own = (j: ModuleJSON, k: string): unknown => (Object.hasOwn(j, k) ? j[k] : undefined);

/** The JSON types an optional module field may be declared as. */
export type FieldKind = 'number' | 'string' | 'boolean' | 'numberList' | 'object' | 'list';

const OK: Record<FieldKind, (v: unknown) => boolean> = {
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  numberList: (v) => Array.isArray(v) && v.every((e) => typeof e === 'number' && Number.isFinite(e)),
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  list: (v) => Array.isArray(v),
};
const NAME: Record<FieldKind, string> = {
  number: 'a number', string: 'a string', boolean: 'true or false', numberList: 'a list of numbers', object: 'an object', list: 'a list',
};

/**
 * Returns `j[key]` checked to be of `kind` (own property only); `undefined` when absent and `optional`.
 * @example const layers = field(j, 'layers', 'list') as ModuleJSON[];
 */
export function field(j: ModuleJSON, key: string, kind: FieldKind, optional = false): unknown {
  const v = own(j, key);
  if (v === undefined && optional) return undefined;
  if (!OK[kind](v)) throw new ArgumentError('moduleFromJSON', `${j.type}.${key}: expected ${NAME[kind]}, got ${previewJson(v)}`);
  return v;
}

/**
 * Checks the optional fields of `j` named in `kinds` (absent ones are fine), e.g. a builder's options.
 * @example checkFields(j, { hidden: 'numberList', seed: 'number' });
 */
export function checkFields(j: ModuleJSON, kinds: Readonly<Record<string, FieldKind>>): void {
  for (const [key, kind] of Object.entries(kinds)) field(j, key, kind, true);
}

/**
 * Rejects keys a module type does not save (`"bais": false` in a config is an error, not a layer with a bias).
 * @example jsonKeys({ type: 'Linear', in: 2, out: 1, bais: false }, ['in', 'out', 'bias'])   // throws naming "bais"
 */
export function jsonKeys(j: ModuleJSON, keys: readonly string[]): void {
  checkOptions(`moduleFromJSON: ${j.type}`, j, ['type', ...keys]);
}

/** A number field (`d` when absent). @example num({ type: 'Dropout', p: 0.5 }, 'p') // 0.5 */
export function num(j: ModuleJSON, k: string, d?: number): number {
  const v = own(j, k) ?? d;
  if (typeof v !== 'number') throw new ArgumentError('moduleFromJSON', `${j.type}.${k}: expected a number, got ${describeValue(v)}`);
  return v;
}

/** A boolean field (`d` when absent). @example bool({ type: 'Linear', bias: false }, 'bias', true) // false */
export function bool(j: ModuleJSON, k: string, d: boolean): boolean {
  const v = own(j, k) ?? d;
  if (typeof v !== 'boolean') throw new ArgumentError('moduleFromJSON', `${j.type}.${k}: expected true or false, got ${describeValue(v)}`);
  return v;
}

/** A size as a number or [h, w] pair (`d` when absent). @example pairOf({ type: 'MaxPool2d', kernel: [2, 3] }, 'kernel') // [2, 3] */
export function pairOf(j: ModuleJSON, k: string, d?: number): number | [number, number] {
  const v = own(j, k) ?? d;
  const ok = typeof v === 'number' || (Array.isArray(v) && v.length === 2 && v.every((e) => typeof e === 'number'));
  if (!ok) throw new ArgumentError('moduleFromJSON', `${j.type}.${k}: expected a number or [h, w], got ${describeValue(v)}`);
  return v as number | [number, number];
}

/** The pair field as an option entry, or nothing when absent. @example optPair(j, 'stride') // {} or { stride: 2 } */
export function optPair(j: ModuleJSON, k: string): { [key: string]: number | [number, number] } {
  return own(j, k) === undefined ? {} : { [k]: pairOf(j, k) };
}

/**
 * A moduleFromJSON builder whose saved `keys` are checked (unknown keys are errors) before `build` runs.
 * @example const dropout = checked(['p'], (j) => new Dropout(num(j, 'p')));
 */
export function checked(keys: readonly string[], build: (j: ModuleJSON, b: (j: ModuleJSON) => Module) => Module): Builder {
  return (j, b) => {
    jsonKeys(j, keys);
    return build(j, b);
  };
}
