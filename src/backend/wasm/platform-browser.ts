// `#wasm-platform` for browsers (and any host without the `node` condition): no disk, module Workers from a Blob.
import type { KernelWorker, KernelWorkerInit, WasmPlatform } from './platform-types.js';

/**
 * The worker's prelude: the first message carries `init`; the body then blocks in its dispatch loop
 * (inside this handler) until the pool tells it to exit.
 */
const PRELUDE = 'self.onmessage = (event) => { self.onmessage = null; const init = event.data; const post = (m) => self.postMessage(m);\n';

let blockable: boolean | undefined;

export const platform: WasmPlatform = {
  name: 'browser',
  readBuiltFile: () => null,
  readFileUrl: () => null,
  startKernelWorker(body: string, init: KernelWorkerInit): Promise<KernelWorker> {
    const g = globalThis as { Worker?: new (url: string, options: { type: 'module'; name: string }) => BrowserWorker; Blob?: typeof Blob; URL: typeof URL };
    if (typeof g.Worker !== 'function' || typeof g.Blob !== 'function') {
      return Promise.reject(new Error('this host has no Worker: the wasm backend stays on one thread'));
    }
    const url = g.URL.createObjectURL(new g.Blob([PRELUDE, body, '\n};'], { type: 'text/javascript' }));
    const worker = new g.Worker(url, { type: 'module', name: 'neurite-kernels' });
    return new Promise<KernelWorker>((resolve, reject) => {
      worker.onmessage = () => {
        URL.revokeObjectURL(url);
        resolve(worker);
      };
      worker.onerror = (e: { message?: string }) => {
        URL.revokeObjectURL(url);
        worker.terminate();
        reject(new Error(`a wasm kernel worker failed to start: ${e.message ?? 'unknown error'}`));
      };
      worker.postMessage(init);
    });
  },
  canBlock(): boolean {
    // Atomics.wait throws on a browser's main thread; in a Worker it returns 'not-equal' at once here.
    if (blockable === undefined) {
      try {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
        blockable = true;
      } catch {
        blockable = false;
      }
    }
    return blockable;
  },
};

interface BrowserWorker extends KernelWorker {
  onmessage: ((e: unknown) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
  postMessage(message: unknown): void;
  terminate(): void;
}
