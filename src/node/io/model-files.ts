// Saves and loads model folders (model.json + model.safetensors), each file written atomically.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../data/atomic.js';
import { type ModelBundle, ModelFileError, deserializeModel, serializeModel } from '../../io/model.js';
import { LimitError, checkFileSize, getLimits } from '../../core/limits.js';

/**
 * Writes `dir/model.safetensors` then `dir/model.json` (each via temp file + rename, so an
 * interrupted save leaves the previous model intact).
 * @example await saveModel('runs/a', { module, head, scaler, classNames });
 */
export async function saveModel(dir: string, bundle: ModelBundle): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { json, weights } = serializeModel(bundle);
  await writeFileAtomic(join(dir, 'model.safetensors'), weights);
  await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(json, null, 2) + '\n');
}

/**
 * Reads a file of a model folder, refusing one larger than `limit` bytes before reading it.
 * @example const bytes = await readModelFile('runs/a', 'model.safetensors', getLimits().maxWeightsBytes);
 */
export async function readModelFile(dir: string, name: string, limit: number): Promise<Buffer> {
  const path = join(dir, name);
  try {
    checkFileSize(path, (await stat(path)).size, limit);
    return await readFile(path);
  } catch (e) {
    if (e instanceof LimitError) throw new ModelFileError(path, e.message.slice(path.length + 2), { cause: e }); // drop the repeated path
    throw new ModelFileError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); is --model a run folder with model.json and model.safetensors?`);
  }
}

/**
 * Loads a model folder, checking the file sizes, header, checksum, names, shapes and dtypes.
 * @example const { module, head } = await loadModel('runs/a');
 */
export async function loadModel(dir: string): Promise<ModelBundle> {
  const { maxModelJsonBytes, maxWeightsBytes } = getLimits();
  const [text, bytes] = await Promise.all([readModelFile(dir, 'model.json', maxModelJsonBytes), readModelFile(dir, 'model.safetensors', maxWeightsBytes)]);
  let json: unknown;
  try { json = JSON.parse(text.toString('utf8')); } catch (e) { throw new ModelFileError(join(dir, 'model.json'), `not valid JSON (${(e as Error).message})`); }
  return deserializeModel(json, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), dir);
}
