// Every module type the library can rebuild from JSON: nn's, hyper's and quant's lists, joined explicitly.
import type { Module, ModuleJSON } from '../nn/module.js';
import { type Builder, buildModule } from '../nn/registry.js';
import { NN_MODULE_BUILDERS } from '../nn/builders.js';
import { HYPER_MODULE_BUILDERS } from '../hyper/builders.js';
import { QUANT_MODULE_BUILDERS } from '../quant/builders.js';

/**
 * Type name → builder for every built-in module type (model files, configs and tests iterate it).
 * @example Object.keys(MODULE_BUILDERS).length // 32
 */
export const MODULE_BUILDERS: Readonly<Record<string, Builder>> = Object.freeze({ ...NN_MODULE_BUILDERS, ...HYPER_MODULE_BUILDERS, ...QUANT_MODULE_BUILDERS });

/**
 * Rebuilds a module of any built-in type, or one added with `nn.registerModule` (fresh parameters;
 * load weights with loadStateDict). This is `nn.moduleFromJSON` of the public API.
 * @example const copy = moduleFromJSON(model.toJSON()); copy.loadStateDict(model.stateDict());
 */
export function moduleFromJSON(json: ModuleJSON): Module {
  return buildModule(json, MODULE_BUILDERS);
}
