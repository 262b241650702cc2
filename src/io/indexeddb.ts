// Saves and loads models in the browser's IndexedDB: one record per key holding model.json's text and
// the safetensors bytes (the same bytes as a model folder), written in one transaction (never torn).
import { getLimits } from '../core/limits.js';
import { type ModelBundle, ModelFileError, modelFiles, parseModelFiles } from './model.js';
import { checkModelFileSize } from './model-check.js';

/** Options of the IndexedDB functions. */
export interface IndexedDBModelOptions {
  /** The database (default 'neurite-models'); it holds one object store, 'models'. */
  dbName?: string;
}

const DEFAULT_DB = 'neurite-models';
const STORE = 'models';
const RECORD_FORMAT = 'neurite-model-record';

interface StoredModel { format: typeof RECORD_FORMAT; json: string; weights: Uint8Array; savedAt: string }

const where = (key: string, o: IndexedDBModelOptions): string => `indexeddb:${o.dbName ?? DEFAULT_DB}/${key}`;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((ok, fail) => { req.onsuccess = () => ok(req.result); req.onerror = () => fail(req.error); });
}

async function openDb(o: IndexedDBModelOptions): Promise<IDBDatabase> {
  const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) throw new ModelFileError(`indexeddb:${o.dbName ?? DEFAULT_DB}`, 'IndexedDB is not available here (not a browser page or Worker, or storage is disabled)');
  const req = factory.open(o.dbName ?? DEFAULT_DB, 1);
  req.onupgradeneeded = () => { if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE); };
  return request(req);
}

/** Runs `fn` on the models store in one transaction and resolves once it committed. */
async function withStore<T>(o: IndexedDBModelOptions, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb(o);
  try {
    const tx = db.transaction(STORE, mode);
    const result = request(fn(tx.objectStore(STORE)));
    await new Promise<void>((ok, fail) => { tx.oncomplete = () => ok(); tx.onerror = () => fail(tx.error); tx.onabort = () => fail(tx.error ?? new Error('transaction aborted')); });
    return await result;
  } finally {
    db.close();
  }
}

function checkKey(key: unknown, fn: string): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new ModelFileError(`indexeddb (${fn})`, `the key must be a non-empty string, got ${JSON.stringify(key) ?? String(key)}`);
}

/**
 * Saves a model under `key` (replacing what was there) in one IndexedDB transaction: a kill leaves
 * either the old record or the new one. The record holds model.json's text and the safetensors bytes
 * that saveModel/downloadModel write.
 * @example await saveModelToIndexedDB('spiral', { module: model, head });
 */
export async function saveModelToIndexedDB(key: string, bundle: ModelBundle, options: IndexedDBModelOptions = {}): Promise<void> {
  checkKey(key, 'saveModelToIndexedDB');
  const files = modelFiles(bundle);
  const record: StoredModel = { format: RECORD_FORMAT, json: files['model.json'], weights: files['model.safetensors'], savedAt: new Date().toISOString() };
  await withStore(options, 'readwrite', (s) => s.put(record, key));
}

/**
 * Loads the model saved under `key`, with every check deserializeModel makes (a corrupt or edited
 * record is a ModelFileError naming `indexeddb:<db>/<key>`); a missing key lists the saved ones.
 * @example const { module, head } = await loadModelFromIndexedDB('spiral');
 */
export async function loadModelFromIndexedDB(key: string, options: IndexedDBModelOptions = {}): Promise<ModelBundle> {
  checkKey(key, 'loadModelFromIndexedDB');
  const raw = await withStore(options, 'readonly', (s) => s.get(key) as IDBRequest<unknown>);
  const name = where(key, options);
  if (raw === undefined) {
    const keys = await listModelsInIndexedDB(options);
    throw new ModelFileError(name, `no model is saved under this key; saved: ${keys.length > 0 ? keys.join(', ') : 'none'}`);
  }
  const r = raw as Partial<StoredModel> | null;
  if (r === null || typeof r !== 'object' || r.format !== RECORD_FORMAT || typeof r.json !== 'string' || !(r.weights instanceof Uint8Array)) {
    throw new ModelFileError(name, 'the stored record is not a neurite model (expected {format: "neurite-model-record", json, weights}); save the model again');
  }
  const { maxModelJsonBytes, maxWeightsBytes } = getLimits();
  checkModelFileSize(`${name}/model.json`, r.json.length, maxModelJsonBytes);
  checkModelFileSize(`${name}/model.safetensors`, r.weights.length, maxWeightsBytes);
  return parseModelFiles(r.json, r.weights, name);
}

/**
 * The keys of the models saved in the database, sorted.
 * @example await listModelsInIndexedDB() // ['digits', 'spiral']
 */
export async function listModelsInIndexedDB(options: IndexedDBModelOptions = {}): Promise<string[]> {
  const keys = await withStore(options, 'readonly', (s) => s.getAllKeys());
  return keys.map(String).sort();
}

/**
 * Removes the model saved under `key`; resolves to whether there was one.
 * @example await deleteModelFromIndexedDB('spiral') // true
 */
export async function deleteModelFromIndexedDB(key: string, options: IndexedDBModelOptions = {}): Promise<boolean> {
  checkKey(key, 'deleteModelFromIndexedDB');
  const had = (await withStore(options, 'readonly', (s) => s.count(key))) > 0;
  if (had) await withStore(options, 'readwrite', (s) => s.delete(key));
  return had;
}
