// Rebuilds modules from their toJSON() architecture (model files, configs); layers register here.
import { ArgumentError } from '../core/errors.js';
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

/**
 * Rebuilds a module (fresh parameters; load weights with loadStateDict).
 * @example const copy = moduleFromJSON(model.toJSON()); copy.loadStateDict(model.stateDict());
 */
export function moduleFromJSON(json: ModuleJSON): Module {
  if (typeof json !== 'object' || json === null || typeof json.type !== 'string') {
    throw new ArgumentError('moduleFromJSON', `expected an object with a "type" field, got ${JSON.stringify(json)?.slice(0, 80)}`);
  }
  const b = builders.get(json.type);
  if (!b) throw new ArgumentError('moduleFromJSON', `unknown module type "${json.type}"; known: ${[...builders.keys()].sort().join(', ')}`);
  return b(json, moduleFromJSON);
}
