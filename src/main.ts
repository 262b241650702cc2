// The package entry (`import ... from 'neurite'`, every platform): the public API, with WASM selected by default.
//
// In Node the kernels load synchronously here, so the backend is WASM when the import returns; in
// browsers they load in the background and `await ready()` waits for them. src/index.ts is the same
// API without this side effect (the tests import it and choose backends themselves).
import { startDefaultBackend } from './backend/default.js';

export * from './index.js';

startDefaultBackend();
