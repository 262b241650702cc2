// Registers the hypernetwork modules with moduleFromJSON so they save and load like any model.
import { ArgumentError } from '../core/errors.js';
import { registerModule } from '../nn/registry.js';
import type { ModuleJSON } from '../nn/module.js';
import { HyperNetwork, type Conditioning, type HyperNetworkOptions } from './hypernet.js';
import { AdaptiveDepthNet, type AdaptiveDepthOptions } from './adaptive.js';

registerModule('HyperNetwork', (j, build) => {
  if (typeof j.target !== 'object' || j.target === null) {
    throw new ArgumentError('moduleFromJSON', 'HyperNetwork.target: expected the target module\'s JSON');
  }
  const { type: _type, target, condition, ...rest } = j as ModuleJSON & { target: ModuleJSON; condition: Conditioning };
  return new HyperNetwork({ ...(rest as Partial<HyperNetworkOptions>), target: build(target), condition });
});

registerModule('AdaptiveDepthNet', (j) => {
  const { type: _type, ...opts } = j;
  if (typeof opts.inputs !== 'number' || typeof opts.outputs !== 'number') {
    throw new ArgumentError('moduleFromJSON', `AdaptiveDepthNet needs numeric "inputs" and "outputs", got ${JSON.stringify(opts).slice(0, 80)}`);
  }
  return new AdaptiveDepthNet(opts as unknown as AdaptiveDepthOptions);
});
