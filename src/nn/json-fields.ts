// Typed reads of fields of untrusted module JSON (model.json, configs) for the moduleFromJSON builders:
// a field of the wrong type is an ArgumentError naming `Type.field`, never a TypeError deeper down.
import { ArgumentError } from '../core/errors.js';
import { previewJson } from '../core/limits.js';
import type { ModuleJSON } from './module.js';

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
  const v = Object.hasOwn(j, key) ? j[key] : undefined;
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
