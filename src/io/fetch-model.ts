// Loads a model over HTTP with `fetch`: a model folder (model.json + model.safetensors) or a run
// folder of `neurite train` (its CURRENT generation), with the file-size limits and all checks of deserializeModel.
import { getLimits } from '../core/limits.js';
import { checkModelFileSize } from './model-check.js';
import { type ModelBundle, ModelFileError, parseModelFiles } from './model.js';
import { CHECKPOINTS_DIR, CURRENT_FILE, parseGeneration } from './run-layout.js';

/** What the loader reads of a fetch Response (the DOM/Node `Response` is one). */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  readonly body?: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> } } | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A `fetch` function (the global one by default). */
export type FetchLike = (url: string, init?: { signal?: unknown }) => Promise<FetchResponseLike>;

/** Options of {@link loadModelFromUrl}. */
export interface LoadModelFromUrlOptions {
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: FetchLike;
  /** Passed to every fetch, to cancel the download. */
  signal?: unknown;
}

/** Status codes a static host gives for a file that is not there (S3-like hosts answer 403). */
const ABSENT = new Set([403, 404, 410]);
/** CURRENT holds one generation name; the cap leaves room for a server's HTML fallback page. */
const MAX_CURRENT_BYTES = 64 * 1024;

function folderOf(url: string): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  let u: URL;
  try {
    u = new URL(url, base);
  } catch {
    throw new ModelFileError(url, 'not a valid URL; pass an absolute URL (or a relative one inside a page) of a model or run folder');
  }
  u.search = ''; u.hash = '';
  const href = u.href.replace(/\/model\.(json|safetensors)$/, '/');
  return href.endsWith('/') ? href : `${href}/`;
}

/** Reads a response body, refusing more than `limit` bytes (by Content-Length first, then as it streams). */
async function readCapped(res: FetchResponseLike, url: string, limit: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared)) checkModelFileSize(url, declared, limit);
  const reader = res.body?.getReader();
  if (!reader) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    checkModelFileSize(url, bytes.length, limit);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value!.length;
    if (total > limit) { await reader.cancel(); checkModelFileSize(url, total, limit); }
    chunks.push(value!);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** Fetches `url` and returns its bytes; null when absent and `optional`. Every failure names the URL. */
async function get(url: string, limit: number, opts: LoadModelFromUrlOptions, optional = false): Promise<Uint8Array | null> {
  const doFetch = opts.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
  if (typeof doFetch !== 'function') throw new ModelFileError(url, 'no fetch in this environment; pass options.fetch');
  let res: FetchResponseLike;
  try {
    res = await doFetch(url, opts.signal === undefined ? {} : { signal: opts.signal });
  } catch (e) {
    throw new ModelFileError(url, `cannot fetch (${(e as Error).message}); is the server running and the address right (and CORS allowed for another origin)?`, { cause: e });
  }
  if (!res.ok && optional && ABSENT.has(res.status)) return null;
  if (!res.ok) throw new ModelFileError(url, `HTTP ${res.status} ${res.statusText}; the URL must be a neurite model folder (model.json + model.safetensors) or a run folder of neurite train`);
  return readCapped(res, url, limit);
}

/** The folder holding the model files: a run folder's current generation, else the folder itself. */
async function modelFolderUrl(folder: string, opts: LoadModelFromUrlOptions): Promise<string> {
  const url = folder + CURRENT_FILE;
  const bytes = await get(url, MAX_CURRENT_BYTES, opts, true);
  if (bytes === null) return folder;
  const name = new TextDecoder().decode(bytes).trim();
  if (parseGeneration(name) !== null) return `${folder}${CHECKPOINTS_DIR}/${name}/`;
  // A server that answers every path with its index page (single-page-app fallback): not a run folder.
  if (name.startsWith('<')) return folder;
  throw new ModelFileError(url, `names ${JSON.stringify(name.slice(0, 40))}, not a generation like g000001; the run folder was edited — restore CURRENT or serve a plain model folder`);
}

/**
 * Loads a model from an HTTP(S) URL with `fetch`: the URL of a model folder (holding model.json and
 * model.safetensors, as saveModel and downloadModel write them), of a run folder written by
 * `neurite train` (its CURRENT file names the generation to load), or of a model.json itself.
 * Sizes are capped by `getLimits().maxModelJsonBytes` / `maxWeightsBytes` (by Content-Length and while
 * streaming), and everything deserializeModel checks is checked. Every failure is a ModelFileError
 * naming the URL: an HTTP error with its status, an HTML page instead of JSON, a corrupt or
 * mismatched weights file.
 * @example
 * const { module, head } = await loadModelFromUrl('/models/spiral/');   // or a run folder: '/runs/2024-05-01/'
 * const probs = predict(module, head, [[0.1, 0.2]]);
 */
export async function loadModelFromUrl(url: string, options: LoadModelFromUrlOptions = {}): Promise<ModelBundle> {
  const folder = await modelFolderUrl(folderOf(url), options);
  const { maxModelJsonBytes, maxWeightsBytes } = getLimits();
  const [json, weights] = await Promise.allSettled([get(folder + 'model.json', maxModelJsonBytes, options), get(folder + 'model.safetensors', maxWeightsBytes, options)]);
  // model.json's failure first whichever finished first, so the same broken folder gives the same message.
  if (json.status === 'rejected') throw json.reason;
  if (weights.status === 'rejected') throw weights.reason;
  return parseModelFiles(json.value!, weights.value!, folder.slice(0, -1));
}
