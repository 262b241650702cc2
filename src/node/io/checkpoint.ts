// Crash-safe run folders: each checkpoint is a complete generation folder (model + train state, every
// file fsynced) made current by ONE atomic rename of the CURRENT pointer; the previous generation is
// removed only after that. A kill at any instant leaves the last committed generation loadable.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Callback, EpochLog } from '../../train/callbacks.js';
import { monitored } from '../../train/callbacks.js';
import { type ModelBundle, modelFiles } from '../../io/model.js';
import { decodeSafetensors, encodeSafetensors as encodeTensors } from '../../io/safetensors.js';
import { decodeTrainState, encodeTrainState } from '../../train/state-codec.js';
import type { TrainState } from '../../train/state.js';
import { CHECKPOINTS_DIR, CURRENT_FILE, generationName, parseGeneration, readCurrent } from './generation.js';

/** Writes bytes to a new file and fsyncs it before closing. */
function writeSynced(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a directory so renames and new entries in it survive a power cut (best effort: not on every OS). @example syncDirSync('runs/a') */
export function syncDirSync(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch {
    // Directories cannot be opened or fsync'ed on some platforms (Windows); the files themselves are synced.
  }
}

/**
 * Writes `data` to `path` via a temp file in the same folder, fsync, then rename (synchronous).
 * @example writeFileAtomicSync('runs/a/notes.txt', 'epoch 3\n'); // runs/a must exist
 */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeSynced(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`${path}: cannot write the checkpoint (${(e as Error).message}); check free disk space and permissions`);
  }
  syncDirSync(dirname(path));
}

/** NEURITE_TEST_COMMIT_DELAY_MS: a pause at each step of a commit, so tests can aim kills inside it. Inert unless set. */
function commitHook(): (step: string) => void {
  const ms = Number(process.env.NEURITE_TEST_COMMIT_DELAY_MS ?? '');
  if (!(ms > 0)) return () => {};
  const cell = new Int32Array(new SharedArrayBuffer(4));
  return (step) => {
    process.stderr.write(`neurite-test: commit ${step}\n`);
    Atomics.wait(cell, 0, 0, ms);
  };
}

/**
 * Commits one generation to `runDir`: writes `files` into checkpoints/gNNNNNN/ (each fsynced), then
 * renames a new CURRENT pointer over the old one (the commit), then removes older generations.
 * Returns the new generation's name.
 * @example commitGeneration('runs/a', { 'model.json': '{…}', 'model.safetensors': bytes });
 */
export function commitGeneration(runDir: string, files: Record<string, Uint8Array | string>): string {
  const hook = commitHook();
  const root = join(runDir, CHECKPOINTS_DIR);
  const previous = readCurrent(runDir);
  const seq = Math.max(previous ? parseGeneration(previous)! : 0, ...generationsIn(root).map((g) => parseGeneration(g)!)) + 1;
  const name = generationName(seq);
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  hook(`${name} begins`);
  for (const [file, data] of Object.entries(files)) {
    writeSynced(join(dir, file), data);
    hook(`${name} wrote ${file}`);
  }
  syncDirSync(dir);
  syncDirSync(root);
  writeFileAtomicSync(join(runDir, CURRENT_FILE), `${name}\n`);
  hook(`${name} is current`);
  for (const g of generationsIn(root)) if (g !== name) rmSync(join(root, g), { recursive: true, force: true });
  hook(`${name} done`);
  return name;
}

/** Generation folders under checkpoints/ (any name parseGeneration accepts). */
function generationsIn(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((g) => parseGeneration(g) !== null);
}

/**
 * Removes what an interrupted writer left in a run folder: temp files (`.*.tmp`) and every
 * generation that is not the current one. Returns the removed names (relative to `runDir`).
 * @example cleanRunFolder('runs/a') // ['checkpoints/g000008', '.CURRENT.4242.tmp']
 */
export function cleanRunFolder(runDir: string): string[] {
  const removed: string[] = [];
  const current = readCurrent(runDir);
  const root = join(runDir, CHECKPOINTS_DIR);
  for (const f of existsSync(runDir) ? readdirSync(runDir) : []) {
    if (f.startsWith('.') && f.endsWith('.tmp')) { rmSync(join(runDir, f), { force: true }); removed.push(f); }
  }
  for (const g of existsSync(root) ? readdirSync(root) : []) {
    if (g === current) continue;
    rmSync(join(root, g), { recursive: true, force: true });
    removed.push(`${CHECKPOINTS_DIR}/${g}`);
  }
  return removed;
}

/** The files of one generation: the model (model.json + model.safetensors) and the train state. @example commitGeneration('runs/a', generationFiles(bundle, state)) */
export function generationFiles(bundle: ModelBundle, state: TrainState | null): Record<string, Uint8Array | string> {
  const model = modelFiles(bundle);
  const files: Record<string, Uint8Array | string> = { 'model.safetensors': model['model.safetensors'], 'model.json': model['model.json'] };
  if (state) {
    const s = encodeTrainState(state);
    files['state.safetensors'] = encodeTensors(s.tensors, { format: 'neurite-train-state' });
    files['state.json'] = JSON.stringify(s.json, null, 2) + '\n';
  }
  return files;
}

/**
 * Saves a model (and optionally its train state) as the next generation of a run folder.
 * @example saveCheckpoint('runs/a', { module, head }, result.state);
 */
export function saveCheckpoint(runDir: string, bundle: ModelBundle, state: TrainState | null = null): string {
  mkdirSync(runDir, { recursive: true });
  return commitGeneration(runDir, generationFiles(bundle, state));
}

/**
 * Saves a plain model folder synchronously (dir/model.safetensors, then dir/model.json, each
 * atomically; model.json's checksum catches a pair torn by a kill). For a folder that is never torn,
 * use saveCheckpoint.
 * @example saveModelSync('runs/a', { module: nn.mlp({ sizes: [4, 8, 1] }), head: regressionHead() });
 */
export function saveModelSync(dir: string, bundle: ModelBundle): void {
  mkdirSync(dir, { recursive: true });
  const files = modelFiles(bundle);
  writeFileAtomicSync(join(dir, 'model.safetensors'), files['model.safetensors']);
  writeFileAtomicSync(join(dir, 'model.json'), files['model.json']);
}

export interface CheckpointOptions {
  /** Save only when this quantity improves (e.g. 'val_loss'); default: every epoch. */
  monitor?: string;
  mode?: 'min' | 'max';
}

/**
 * A fit() callback that commits `bundle()` and the run's TrainState as a new generation of `dir`
 * after each epoch (or on improvement). Put it LAST in the callbacks, so the state it saves has
 * seen every other callback's reaction to the epoch. `fit({ ...options, resume: loadTrainState(dir) })`
 * continues from it.
 * @example fit({ ...options, callbacks: [earlyStopping(), modelCheckpoint('runs/a', () => ({ module: model, head }))] })
 */
export function modelCheckpoint(dir: string, bundle: () => ModelBundle, opts: CheckpointOptions = {}): Callback & { saves: number } {
  let best = Infinity;
  const cb = {
    saves: 0,
    onEpochEnd(ctx: { trainState(): TrainState }, log: EpochLog) {
      if (opts.monitor) {
        const v = monitored(log, opts.monitor);
        if (v === undefined) return;
        const score = (opts.mode ?? (opts.monitor.endsWith('loss') ? 'min' : 'max')) === 'min' ? v : -v;
        if (!(score < best)) return;
        best = score;
      }
      saveCheckpoint(dir, bundle(), ctx.trainState());
      cb.saves++;
    },
  };
  return cb;
}

/** Reads a file of the current generation (for resume); names the file in errors. @example readGenerationFile('runs/a', 'state.json') */
export function readGenerationFile(runDir: string, file: string): Buffer {
  const gen = readCurrent(runDir);
  if (gen === null) throw new Error(`${runDir}: no checkpoint to resume (no ${CURRENT_FILE} file); train it again with --overwrite`);
  const path = join(runDir, CHECKPOINTS_DIR, gen, file);
  try { return readFileSync(path); } catch (e) { throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
}

/**
 * The train state of a run folder's current generation, to continue it with fit({ ...options, resume }).
 * @example fit({ model, head, optimizer, x, y, epochs: 20, callbacks, resume: loadTrainState('runs/a') })
 */
export function loadTrainState(runDir: string): TrainState {
  const text = readGenerationFile(runDir, 'state.json');
  const bytes = readGenerationFile(runDir, 'state.safetensors');
  const file = join(runDir, CHECKPOINTS_DIR, readCurrent(runDir) ?? '', 'state.json');
  let json: unknown;
  try { json = JSON.parse(text.toString('utf8')); } catch (e) { throw new Error(`${file}: not valid JSON (${(e as Error).message})`); }
  let tensors;
  try { ({ tensors } = decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))); } catch (e) { throw new Error(`${file.replace(/json$/, 'safetensors')}: ${(e as Error).message}`); }
  return decodeTrainState(json, tensors, file);
}
