// Rebuilds modules from their toJSON() architecture (model files, configs); layers register here.
import { ArgumentError } from '../core/errors.js';
import { getLimits, previewJson } from '../core/limits.js';
import type { Module, ModuleJSON } from './module.js';

type Builder = (json: ModuleJSON, build: (j: ModuleJSON) => Module) => Module;
const builders = new Map<string, Builder>();

/**
 * Makes a module type loadable by `moduleFromJSON`.
 * @example
 * nn.registerModule('Square', () => new Square());
 * nn.moduleFromJSON({ type: 'Square' }); // a Square
 */
export function registerModule(type: string, builder: Builder): void {
  builders.set(type, builder);
}

let depth = 0;

/**
 * Rebuilds a module (fresh parameters; load weights with loadStateDict). Types are looked up in a Map,
 * so names such as "constructor" or "__proto__" are unknown types like any other; modules nested
 * deeper than the JSON depth limit (core/limits.ts) are an error, not a stack overflow.
 * @example const copy = moduleFromJSON(model.toJSON()); copy.loadStateDict(model.stateDict());
 */
export function moduleFromJSON(json: ModuleJSON): Module {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || typeof json.type !== 'string') {
    throw new ArgumentError('moduleFromJSON', `expected an object with a "type" field, got ${previewJson(json)}`);
  }
  const b = builders.get(json.type);
  if (!b) throw new ArgumentError('moduleFromJSON', `unknown module type ${previewJson(json.type)}; known: ${[...builders.keys()].sort().join(', ')}`);
  const limit = getLimits().maxJsonDepth;
  if (depth >= limit) throw new ArgumentError('moduleFromJSON', `modules nested deeper than ${limit} levels (limit ${limit}); the architecture is corrupt or hostile`);
  depth++;
  try {
    return b(json, moduleFromJSON);
  } finally {
    depth--;
  }
}
