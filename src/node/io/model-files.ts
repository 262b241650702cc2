// Saves and loads model folders: a plain folder (model.json + model.safetensors) or a run folder,
// whose CURRENT pointer names the generation holding them (see checkpoint.ts). Sizes are checked before reading.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../data/atomic.js';
import { type LoadModelOptions, type ModelBundle, ModelFileError, type SerializeModelOptions, modelFiles, parseModelFiles } from '../../io/model.js';
import { modelFolder } from './generation.js';
import { getLimits } from '../../core/limits.js';
import { checkModelFileSize } from '../../io/model-check.js';

/**
 * Writes a plain model folder: `dir/model.safetensors` then `dir/model.json` (each via temp file +
 * rename; model.json's checksum detects a pair torn by a kill). Training runs use saveCheckpoint instead.
 * `options.weightsDType: 'float16'` (or 'bfloat16') stores the weights in 16 bits, half the size.
 * @example await saveModel('runs/a', { module, head, scaler, classNames });
 * @example await saveModel('models/half', bundle, { weightsDType: 'float16' });
 */
export async function saveModel(dir: string, bundle: ModelBundle, options: SerializeModelOptions = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const files = modelFiles(bundle, options);
  await writeFileAtomic(join(dir, 'model.safetensors'), files['model.safetensors']);
  await writeFileAtomic(join(dir, 'model.json'), files['model.json']);
}

/** How often loadModel re-reads CURRENT when a generation vanished under it (a trainer committed a newer one). */
const GENERATION_RETRIES = 5;

/**
 * The folder whose model.json/model.safetensors `dir` stands for: a run folder's current generation,
 * else `dir` itself.
 * @example resolveModelFolder('runs/a') // 'runs/a/checkpoints/g000012'
 */
export function resolveModelFolder(dir: string): string {
  return modelFolder(dir);
}

/**
 * Reads a file of a model folder, refusing one larger than `limit` bytes before reading it.
 * @example const bytes = await readModelFile('runs/a/checkpoints/g000003', 'model.safetensors', getLimits().maxWeightsBytes);
 */
export async function readModelFile(dir: string, name: string, limit: number): Promise<Buffer> {
  const path = join(dir, name);
  try {
    checkModelFileSize(path, (await stat(path)).size, limit);
    return await readFile(path);
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    const err = new ModelFileError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); is --model a run folder with model.json and model.safetensors?`);
    (err as { code?: string }).code = (e as NodeJS.ErrnoException).code;
    throw err;
  }
}

async function readModelFiles(dir: string): Promise<[Buffer, Buffer]> {
  const { maxModelJsonBytes, maxWeightsBytes } = getLimits();
  // Both reads run at once, but a failure is reported for model.json first whichever finishes first,
  // so the same broken folder always gives the same message.
  const [json, weights] = await Promise.allSettled([readModelFile(dir, 'model.json', maxModelJsonBytes), readModelFile(dir, 'model.safetensors', maxWeightsBytes)]);
  if (json.status === 'rejected') throw json.reason;
  if (weights.status === 'rejected') throw weights.reason;
  return [json.value, weights.value];
}

/**
 * Loads a model folder — a run folder's current generation, even while training writes the next one
 * — checking the file sizes, header, checksum, names, shapes and dtypes. `options.keepHalf` keeps a float16 file 16-bit in memory.
 * @example const { module, head } = await loadModel('runs/a');
 * @example const half = await loadModel('models/digits-f16', { keepHalf: true }); // module: a HalfModel
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<ModelBundle> {
  for (let attempt = 0; ; attempt++) {
    const folder = resolveModelFolder(dir);
    let files: [Buffer, Buffer];
    try {
      files = await readModelFiles(folder);
    } catch (e) {
      // A trainer may have committed a newer generation and removed this one between the two reads.
      if (folder !== dir && (e as { code?: string }).code === 'ENOENT' && attempt < GENERATION_RETRIES && resolveModelFolder(dir) !== folder) continue;
      throw e;
    }
    const [text, bytes] = files;
    return parseModelFiles(text.toString('utf8'), new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), folder, options);
  }
}
