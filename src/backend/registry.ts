// Which backend runs the kernels: the JS reference until another is registered and chosen here.
//
// The package entry (src/main.ts) picks WASM by default through `selectDefaultBackend`, which never
// overrides a choice the program made itself with `setBackend`.
import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

const backends = new Map<string, Backend>([['js', jsBackend]]);
let current: Backend = jsBackend;
let chosenByProgram = false;

/**
 * Makes a backend available to `setBackend` under its name; registering a new object under the
 * name in use (e.g. the WASM backend restarted with threads) switches to the new object.
 * @example
 * const mine: Backend = { ...jsBackend, name: 'mine' };
 * registerBackend(mine); setBackend('mine');
 */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
  if (current.name === backend.name) current = backend;
}

/**
 * Selects the backend that runs every kernel from now on (the default selection never overrides it).
 * @example setBackend('js');
 */
export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) throw new Error(`setBackend: no backend named ${JSON.stringify(name)}; available: ${[...backends.keys()].join(', ')}`);
  current = b;
  chosenByProgram = true;
}

/**
 * Selects `name` as the default unless the program already chose a backend with `setBackend`.
 * Resolves whether it switched.
 * @example selectDefaultBackend('wasm');
 */
export function selectDefaultBackend(name: string): boolean {
  const b = backends.get(name);
  if (!b || chosenByProgram) return false;
  current = b;
  return true;
}

/** Whether the program chose the backend itself (`setBackend`), rather than the default selection. */
export function backendChosenByProgram(): boolean {
  return chosenByProgram;
}

/**
 * The backend in use.
 * @example getBackend().name // 'wasm' or 'js'
 */
export function getBackend(): Backend {
  return current;
}

/**
 * Names of the registered backends.
 * @example listBackends() // ['js', 'wasm']
 */
export function listBackends(): string[] {
  return [...backends.keys()];
}

/**
 * Runs `fn` with `backend` as the current backend (not registered; the captured step's recorder),
 * then puts the previous one back.
 * @example const y = withBackend(jsBackend, () => model.forward(x));   // this one call on the JS reference kernels
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
