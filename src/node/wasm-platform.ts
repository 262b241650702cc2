// `#wasm-platform` for Node: the built kernels read from dist/wasm/ synchronously, kernel workers on node:worker_threads.
//
// A leaf module (no neurite imports besides types): under tsx the `#wasm-platform` specifier
// resolves to its built copy in dist/node/, which `npm run build` (and scripts/test.sh) keeps current.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { KernelWorker, KernelWorkerInit, WasmPlatform } from '../backend/wasm/platform-types.js';

const PRELUDE = "const { parentPort, workerData: init } = require('node:worker_threads'); const post = (m) => parentPort.postMessage(m);\n";

function readFile(url: URL): Uint8Array<ArrayBuffer> | null {
  try {
    return new Uint8Array(readFileSync(url));
  } catch {
    return null;
  }
}

export const platform: WasmPlatform = {
  name: 'node',
  // dist/node/wasm-platform.js → dist/wasm/<file>
  readBuiltFile: (file) => readFile(new URL(`../wasm/${file}`, import.meta.url)),
  readFileUrl: (url) => (url.protocol === 'file:' ? readFile(url) : null),
  async startKernelWorker(body: string, init: KernelWorkerInit): Promise<KernelWorker> {
    const worker = new Worker(PRELUDE + body, { eval: true, workerData: init });
    try {
      await new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', (e) => reject(e instanceof Error ? e : new Error(String(e))));
      });
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    worker.unref(); // idle workers never keep the process alive
    return worker;
  },
  canBlock: () => true,
};
