// Rebuilds modules from their toJSON() architecture (model files, configs) from an explicit table of builders.
import { ArgumentError } from '../core/errors.js';
import { getLimits, previewJson } from '../core/limits.js';
import type { Module, ModuleJSON } from './module.js';
import { NN_MODULE_BUILDERS } from './builders.js';

/** Builds one module type from its JSON; `build` rebuilds nested modules (with the same table). */
export type Builder = (json: ModuleJSON, build: (j: ModuleJSON) => Module) => Module;

/** Types added by user code with `registerModule` (explicit calls; the built-in types are listed in builders.ts). */
const registered = new Map<string, Builder>();

/**
 * Makes a user-defined module type loadable by `moduleFromJSON` (built-in types need no registration).
 * @example
 * nn.registerModule('Square', () => new Square());
 * nn.moduleFromJSON({ type: 'Square' }); // a Square
 */
export function registerModule(type: string, builder: Builder): void {
  registered.set(type, builder);
}

let depth = 0;

/**
 * Rebuilds a module with the builders of `table` (a type → builder record) and the registered types.
 * Types are own keys of the table or Map entries, so names such as "constructor" or "__proto__" are
 * unknown types like any other; modules nested deeper than the JSON depth limit (core/limits.ts) are
 * an error, not a stack overflow.
 * @example buildModule({ type: 'ReLU' }, NN_MODULE_BUILDERS)
 */
export function buildModule(json: ModuleJSON, table: Readonly<Record<string, Builder>>): Module {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || typeof json.type !== 'string') {
    throw new ArgumentError('moduleFromJSON', `expected an object with a "type" field, got ${previewJson(json)}`);
  }
  const b = registered.get(json.type) ?? (Object.hasOwn(table, json.type) ? table[json.type] : undefined);
  if (!b) {
    const known = [...new Set([...Object.keys(table), ...registered.keys()])].sort();
    throw new ArgumentError('moduleFromJSON', `unknown module type ${previewJson(json.type)}; known: ${known.join(', ')}`);
  }
  const limit = getLimits().maxJsonDepth;
  if (depth >= limit) throw new ArgumentError('moduleFromJSON', `modules nested deeper than ${limit} levels (limit ${limit}); the architecture is corrupt or hostile`);
  depth++;
  try {
    return b(json, (j) => buildModule(j, table));
  } finally {
    depth--;
  }
}

/**
 * Rebuilds a module of nn/'s types (fresh parameters; load weights with loadStateDict). The public
 * `nn.moduleFromJSON` (io/modules.ts) also knows the hypernetwork types.
 * @example const copy = moduleFromJSON(model.toJSON()); copy.loadStateDict(model.stateDict());
 */
export function moduleFromJSON(json: ModuleJSON): Module {
  return buildModule(json, NN_MODULE_BUILDERS);
}
