// Checkpointing during fit(): the model folder is rewritten atomically after each epoch (or only on
// improvement), so a crashed or interrupted run leaves the last good checkpoint intact.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Callback, EpochLog } from '../../train/callbacks.js';
import { monitored } from '../../train/callbacks.js';
import { type ModelBundle, serializeModel } from '../../io/model.js';

/**
 * Writes `data` to `path` via a temp file in the same folder, fsync, then rename (synchronous).
 * @example writeFileAtomicSync('runs/a/notes.txt', 'epoch 3\n'); // runs/a must exist
 */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`${path}: cannot write the checkpoint (${(e as Error).message})`);
  }
}

/**
 * Saves a model folder synchronously (weights first, then model.json), each file atomically.
 * @example saveModelSync('runs/a', { module: nn.mlp({ sizes: [4, 8, 1] }), head: regressionHead() }); // runs/a/model.{json,safetensors}
 */
export function saveModelSync(dir: string, bundle: ModelBundle): void {
  mkdirSync(dir, { recursive: true });
  const { json, weights } = serializeModel(bundle);
  writeFileAtomicSync(join(dir, 'model.safetensors'), weights);
  writeFileAtomicSync(join(dir, 'model.json'), JSON.stringify(json, null, 2) + '\n');
}

export interface CheckpointOptions {
  /** Save only when this quantity improves (e.g. 'val_loss'); default: every epoch. */
  monitor?: string;
  mode?: 'min' | 'max';
}

/**
 * A fit() callback that saves `bundle()` into `dir` after each epoch (or on improvement).
 * @example fit({ ..., callbacks: [modelCheckpoint('runs/a', () => ({ module: model, head }))] })
 */
export function modelCheckpoint(dir: string, bundle: () => ModelBundle, opts: CheckpointOptions = {}): Callback & { saves: number } {
  let best = Infinity;
  const cb = {
    saves: 0,
    onEpochEnd(_ctx: unknown, log: EpochLog) {
      if (opts.monitor) {
        const v = monitored(log, opts.monitor);
        if (v === undefined) return;
        const score = (opts.mode ?? (opts.monitor.endsWith('loss') ? 'min' : 'max')) === 'min' ? v : -v;
        if (!(score < best)) return;
        best = score;
      }
      saveModelSync(dir, bundle());
      cb.saves++;
    },
  };
  return cb;
}
