// The lecture panels the shell renders, in display order (each lives in playground/src/panels/<name>/).
import type { Panel } from '../host.js';

/** Every registered panel; the shell renders each as a collapsible section. */
export const panels: Panel[] = [];
