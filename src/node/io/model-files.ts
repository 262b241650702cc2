// Saves and loads model folders (model.json + model.safetensors), each file written atomically.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../data/atomic.js';
import { type ModelBundle, ModelFileError, deserializeModel, serializeModel } from '../../io/model.js';

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
 * Loads a model folder, checking the header, checksum, names and shapes.
 * @example const { module, head } = await loadModel('runs/a');
 */
export async function loadModel(dir: string): Promise<ModelBundle> {
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await readFile(join(dir, name));
    } catch (e) {
      throw new ModelFileError(join(dir, name), `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); is --model a run folder with model.json and model.safetensors?`);
    }
  };
  const [text, bytes] = await Promise.all([read('model.json'), read('model.safetensors')]);
  let json: unknown;
  try { json = JSON.parse(text.toString('utf8')); } catch (e) { throw new ModelFileError(join(dir, 'model.json'), `not valid JSON (${(e as Error).message})`); }
  return deserializeModel(json, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), dir);
}
