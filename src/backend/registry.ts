// Which backend runs the kernels: the JS reference by default; others register and are chosen here.
import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

const backends = new Map<string, Backend>([['js', jsBackend]]);
let current: Backend = jsBackend;

/** Makes a backend available to `setBackend` under its name. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/**
 * Selects the backend that runs every kernel from now on.
 * @example setBackend('js');
 */
export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) throw new Error(`setBackend: no backend named ${JSON.stringify(name)}; available: ${[...backends.keys()].join(', ')}`);
  current = b;
}

/** The backend in use. */
export function getBackend(): Backend {
  return current;
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...backends.keys()];
}

/**
 * Runs `fn` with `backend` as the current backend (not registered; the captured step's recorder),
 * then puts the previous one back.
 * @example const y = withBackend(recorder, () => model.forward(x));
 */
export function withBackend<T>(backend: Backend, fn: () => T): T {
  const prev = current;
  current = backend;
  try {
    return fn();
  } finally {
    current = prev;
  }
}
