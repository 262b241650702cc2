// The tree namespace: parameter-tree utilities.
export * from './tree.js';
