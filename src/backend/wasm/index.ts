// The WASM SIMD backend: building it (create.ts), loading and selecting it (init.ts), finding the kernels (load.ts).
export { createWasmBackend, createThreadedWasmBackend, WASM_MATMUL_MIN_FLOPS, WASM_ELEMENTWISE_MIN } from './create.js';
export type { WasmBackendOptions } from './create.js';
export { THREAD_MIN_FLOPS } from './kernels.js';
export { initWasmBackend, initWasmBackendSync, backendFromEnv, wasmUnavailableReason, wasmThreads, wasmSimd, closeWasmThreads } from './init.js';
export type { WasmInitOptions } from './init.js';
