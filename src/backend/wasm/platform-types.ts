// The two things the WASM backend needs from its host, which differ between Node and browsers (types only).
//
// `#wasm-platform` (package.json `imports`) resolves to `src/node/wasm-platform.ts` under the `node`
// condition and to `src/backend/wasm/platform-browser.ts` everywhere else, so no `node:` import is
// reachable from the browser entry and bundlers need no configuration.

/** What a kernel worker is started with: the threaded module, the shared memory, its control slot. */
export interface KernelWorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly ctrlByte: number;
}

/** A started kernel worker. */
export interface KernelWorker {
  terminate(): unknown;
}

/** One host's implementation of `#wasm-platform`. */
export interface WasmPlatform {
  /** 'node' or 'browser' (the browser module also serves Deno, Bun and other hosts without `node`). */
  readonly name: 'node' | 'browser';
  /** The bytes of a built kernels file (`neurite.wasm`, `neurite-threads.wasm`) read synchronously from disk; null where there is no disk. */
  readBuiltFile(file: string): Uint8Array<ArrayBuffer> | null;
  /** The bytes at a `file:` URL, read synchronously; null where it cannot be read (or there is no disk). */
  readFileUrl(url: URL): Uint8Array<ArrayBuffer> | null;
  /**
   * Starts a worker that runs `body` (a script expecting `init` and `post(message)` in scope; it posts
   * 'ready' once instantiated). Resolves once it has posted; rejects with the worker's error.
   */
  startKernelWorker(body: string, init: KernelWorkerInit): Promise<KernelWorker>;
  /** Whether this thread may block in `Atomics.wait` (false on a browser's main thread). */
  canBlock(): boolean;
}
