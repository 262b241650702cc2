// Node-only file helpers: crash-safe atomic writes and safetensors files on disk, with errors naming the file.
import { open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Tensor } from '../../tensor/tensor.js';
import { decodeSafetensors, encodeSafetensors, type DecodedSafetensors, type DecodeSafetensorsOptions } from '../../io/safetensors.js';

let counter = 0;

/**
 * Writes `data` to `path` atomically: the bytes go to a temporary file in the same directory, are
 * fsync'ed, and the temporary file is renamed over `path`, so readers never see a half-written file.
 *
 * @example
 * await writeFileAtomic('runs/model.json', JSON.stringify(config));
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.${counter++}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'w');
  } catch (err) {
    throw fileError('writeFileAtomic', path, err, 'check that the directory exists and is writable');
  }
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } catch (err) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw fileError('writeFileAtomic', path, err, 'check free disk space and permissions');
  }
  await syncDir(dir);
}

/** Best effort: fsync the directory so the rename itself survives a crash (not possible on every OS). */
async function syncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Directories cannot be opened or fsync'ed on some platforms (Windows); the data itself is synced.
  }
}

function fileError(op: string, path: string, err: unknown, hint: string): Error {
  const e = err as NodeJS.ErrnoException;
  const why = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
  return new Error(`${op}: ${path}: ${why}; ${hint}`, { cause: err });
}

/**
 * Reads and validates a safetensors file; errors name the file and say what is wrong inside it.
 *
 * @example
 * const { tensors, metadata } = await readSafetensorsFile('model.safetensors');
 */
export async function readSafetensorsFile(path: string, opts: DecodeSafetensorsOptions = {}): Promise<DecodedSafetensors> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    throw fileError('readSafetensorsFile', path, err, 'check the path (a model saved by neurite is a .safetensors file)');
  }
  try {
    return decodeSafetensors(bytes, opts);
  } catch (err) {
    throw new Error(`readSafetensorsFile: ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Writes tensors (and optional string metadata) to a safetensors file atomically.
 *
 * @example
 * await writeSafetensorsFile('model.safetensors', { 'fc.weight': w }, { epoch: '10' });
 */
export async function writeSafetensorsFile(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = encodeSafetensors(tensors, metadata);
  } catch (err) {
    throw new Error(`writeSafetensorsFile: ${path}: ${(err as Error).message}`, { cause: err });
  }
  await writeFileAtomic(path, bytes);
}
