// The panel registry: every panel the playground can mount (the shell lists its own beside these).
import type { Panel } from '../host.js';
import { gradientFlowPanel } from './gradient-flow/index.js';
import { hypernetworkPanel } from './hypernetwork/index.js';
import { representationsPanel } from './representations/index.js';
import { symmetryPanel } from './symmetry/index.js';
import { tourPanel } from './tour/index.js';
import { universalPanel } from './universal/index.js';

export const panels: Panel[] = [tourPanel, gradientFlowPanel, symmetryPanel, universalPanel, representationsPanel, hypernetworkPanel];
