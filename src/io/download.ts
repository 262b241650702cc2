// A model as downloaded files in a page (model.json + model.safetensors, the bytes of a model folder),
// and the way back: loading the two files a user picks with <input type="file" multiple>.
import { getLimits } from '../core/limits.js';
import { type ModelBundle, ModelFileError, modelFiles, parseModelFiles } from './model.js';
import { checkModelFileSize } from './model-check.js';

/** What loadModelFromFiles reads of a picked file (a DOM `File` is one). */
export interface FileLike {
  readonly name: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Options of {@link downloadModel}. */
export interface DownloadModelOptions {
  /** Put before both file names: 'spiral-' gives spiral-model.json and spiral-model.safetensors. */
  prefix?: string;
}

/**
 * Offers a model to the user as two downloads, `<prefix>model.json` and `<prefix>model.safetensors`
 * (the bytes `neurite train` and saveModel write: put them in one folder and `neurite eval --model`
 * reads it). Needs a page (`document`); returns the two file names.
 * @example downloadModel({ module: model, head }, { prefix: 'spiral-' }); // ['spiral-model.json', 'spiral-model.safetensors']
 */
export function downloadModel(bundle: ModelBundle, options: DownloadModelOptions = {}): string[] {
  const doc = (globalThis as { document?: Document }).document;
  if (!doc) throw new ModelFileError('downloadModel', 'there is no page to download from (no document); in a Worker, post modelFiles(bundle) to the page');
  const files = modelFiles(bundle);
  const prefix = options.prefix ?? '';
  const parts: [string, Blob][] = [
    [`${prefix}model.json`, new Blob([files['model.json']], { type: 'application/json' })],
    [`${prefix}model.safetensors`, new Blob([files['model.safetensors'] as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' })],
  ];
  for (const [name, blob] of parts) {
    const url = URL.createObjectURL(blob);
    const a = doc.createElement('a');
    a.href = url;
    a.download = name;
    a.style.display = 'none';
    doc.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000); // long enough for the download to start
  }
  return parts.map(([name]) => name);
}

/**
 * Loads a model from the two files a user picked (`input.files`): one ending in `model.json`, one in
 * `.safetensors`; sizes are checked against getLimits() before reading, then everything
 * deserializeModel checks. A missing or extra file is a ModelFileError saying which.
 * @example
 * const input = document.querySelector('input[type=file]') as HTMLInputElement;
 * input.onchange = async () => { const { module, head } = await loadModelFromFiles(input.files!); };
 */
export async function loadModelFromFiles(files: ArrayLike<FileLike> | Iterable<FileLike>): Promise<ModelBundle> {
  const list = Array.from(files as ArrayLike<FileLike>);
  const jsons = list.filter((f) => f.name.endsWith('.json')), weights = list.filter((f) => f.name.endsWith('.safetensors'));
  if (jsons.length !== 1 || weights.length !== 1) {
    throw new ModelFileError('loadModelFromFiles', `pick exactly one model.json and one .safetensors file, got ${list.length === 0 ? 'none' : list.map((f) => f.name).join(', ')}`);
  }
  const [j, w] = [jsons[0]!, weights[0]!];
  const { maxModelJsonBytes, maxWeightsBytes } = getLimits();
  checkModelFileSize(j.name, j.size, maxModelJsonBytes);
  checkModelFileSize(w.name, w.size, maxWeightsBytes);
  const [jb, wb] = await Promise.all([j.arrayBuffer(), w.arrayBuffer()]);
  return parseModelFiles(new Uint8Array(jb), new Uint8Array(wb), `picked files (${j.name}, ${w.name})`);
}
