// The public `nn` namespace: everything in nn/, with moduleFromJSON over every module type (io/modules.ts:
// nn's layers and the hypernetworks), which nn/ itself cannot list without importing hyper/ (a cycle).
export * from '../nn/index.js';
export { moduleFromJSON } from '../io/modules.js';
