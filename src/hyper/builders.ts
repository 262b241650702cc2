// The explicit list of hyper's module types for moduleFromJSON, so hypernetworks save and load like any model.
import { ArgumentError } from '../core/errors.js';
import type { Builder } from '../nn/registry.js';
import type { Module, ModuleJSON } from '../nn/module.js';
import { type FieldKind, checkFields, field } from '../nn/json-args.js';
import { previewJson } from '../core/limits.js';
import { HyperNetwork, type Conditioning, type HyperNetworkOptions } from './hypernet.js';
import { AdaptiveDepthNet, type AdaptiveDepthOptions } from './adaptive.js';

const CONDITION_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldKind>>>> = {
  task: { numTasks: 'number', dim: 'number' }, input: { dim: 'number' }, noise: { dim: 'number' },
};

function checkCondition(j: ModuleJSON): void {
  const c = field(j, 'condition', 'object') as ModuleJSON;
  const fields = typeof c.kind === 'string' && Object.hasOwn(CONDITION_FIELDS, c.kind) ? CONDITION_FIELDS[c.kind]! : undefined;
  if (fields === undefined) throw new ArgumentError('moduleFromJSON', `HyperNetwork.condition.kind: expected "task", "input" or "noise", got ${previewJson(c.kind)}`);
  for (const [k, kind] of Object.entries(fields)) field({ ...c, type: 'HyperNetwork.condition' }, k, kind);
}

/** HyperNetwork's target is rebuilt with `build` (the same table). */
function hyperNetworkFromJSON(j: ModuleJSON, build: (j: ModuleJSON) => Module): Module {
  if (typeof j.target !== 'object' || j.target === null) {
    throw new ArgumentError('moduleFromJSON', 'HyperNetwork.target: expected the target module\'s JSON');
  }
  checkFields(j, { hidden: 'numberList', activation: 'string', chunkSize: 'number', chunkDim: 'number', hyperfan: 'boolean', gain: 'number', biasScale: 'number', seed: 'number' });
  checkCondition(j);
  const { type: _type, target, condition, ...rest } = j as ModuleJSON & { target: ModuleJSON; condition: Conditioning };
  return new HyperNetwork({ ...(rest as Partial<HyperNetworkOptions>), target: build(target), condition });
}

function adaptiveDepthFromJSON(j: ModuleJSON): Module {
  const { type: _type, ...opts } = j;
  if (typeof opts.inputs !== 'number' || typeof opts.outputs !== 'number') {
    throw new ArgumentError('moduleFromJSON', `AdaptiveDepthNet needs numeric "inputs" and "outputs", got ${previewJson(opts)}`);
  }
  checkFields(j, { width: 'number', maxDepth: 'number', embeddingDim: 'number', hidden: 'numberList', fixedDepth: 'boolean', threshold: 'number', seed: 'number' });
  return new AdaptiveDepthNet(opts as unknown as AdaptiveDepthOptions);
}

/**
 * The hypernetwork module types with their builders (io/modules.ts joins them with nn's).
 * @example Object.keys(HYPER_MODULE_BUILDERS) // ['HyperNetwork', 'AdaptiveDepthNet']
 */
export const HYPER_MODULE_BUILDERS: Readonly<Record<string, Builder>> = Object.freeze({
  HyperNetwork: hyperNetworkFromJSON,
  AdaptiveDepthNet: adaptiveDepthFromJSON,
});
