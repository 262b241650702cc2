// Types of dist/wasm/embedded.js, which scripts/build-wasm.mjs writes: the built kernels as base64 (the bundlers' fallback).

/** dist/wasm/neurite.wasm, base64. */
export declare const neuriteWasm: string;
/** dist/wasm/neurite-threads.wasm, base64. */
export declare const neuriteThreadsWasm: string;
