// Entry point of the WASM kernels module (AssemblyScript): everything the TypeScript loader calls.
export * from './matmul';
export * from './elementwise';
export * from './optim';
export * from './infer';
export * from './conv';
export * from './reduce';
export * from './quant';
export * from './resident';
export * from './norm';
export * from './conv2d';
export * from './recurrent';
export * from './quant-chain';
