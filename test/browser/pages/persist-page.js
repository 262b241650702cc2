// Page side of test/browser/persistence.test.ts (plain JS, served as is): IndexedDB save/load,
// corrupt records, downloads, picked files and fetch-URL loading, each answering with predictions.
import * as n from './neurite.js';

/** Fixed inputs on which predictions are compared. */
export const grid = [[0, 0], [0.5, -0.25], [-0.75, 0.5], [0.3, 0.9]];
const head = n.multiclassHead({ numClasses: 3 });
const predictions = (module, h, x = grid) => Array.from(n.predict(module, h, x).data);
const message = (p) => p.then(() => 'no error', (e) => `${e.name}: ${e.message}`);

/** A spiral model trained for a few epochs (its weights are not the initial ones). */
function trainedModel() {
  const { x, y } = n.data.makeSpiral({ n: 150, k: 3, seed: 4 });
  const model = n.nn.mlp({ sizes: [2, 16, 3], activation: 'tanh', seed: 6 });
  n.fit({ model, head, optimizer: new n.Optimizer(n.adam({ lr: 0.02 }), model), x, y, epochs: 5, seed: 1 });
  return model;
}

/** Trains, saves under `key`, returns the predictions. */
export async function saveToIndexedDB(key) {
  const model = trainedModel();
  await n.saveModelToIndexedDB(key, { module: model, head, classNames: ['a', 'b', 'c'] });
  return predictions(model, head);
}

/** Loads `key` and predicts; also lists the saved keys. */
export async function loadFromIndexedDB(key) {
  const b = await n.loadModelFromIndexedDB(key);
  return { predictions: predictions(b.module, b.head), classNames: b.classNames, keys: await n.listModelsInIndexedDB() };
}

/** Rewrites the stored record of `key` with `edit(record)`, straight through IndexedDB. */
async function editRecord(key, edit) {
  const db = await new Promise((ok, fail) => { const r = indexedDB.open('neurite-models', 1); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
  const tx = db.transaction('models', 'readwrite');
  const store = tx.objectStore('models');
  const rec = await new Promise((ok) => { const r = store.get(key); r.onsuccess = () => ok(r.result); });
  store.put(edit(rec), key);
  await new Promise((ok) => { tx.oncomplete = ok; });
  db.close();
}

/** The errors loading gives for a flipped weight byte, a foreign record, a missing key; and delete. */
export async function badRecords() {
  const model = trainedModel();
  await n.saveModelToIndexedDB('flipped', { module: model, head });
  await editRecord('flipped', (r) => { const w = r.weights.slice(); w[w.length - 1] ^= 1; return { ...r, weights: w }; });
  await n.saveModelToIndexedDB('foreign', { module: model, head });
  await editRecord('foreign', () => ({ hello: 'world' }));
  return {
    flipped: await message(n.loadModelFromIndexedDB('flipped')),
    foreign: await message(n.loadModelFromIndexedDB('foreign')),
    deleted: await n.deleteModelFromIndexedDB('foreign'),
    missing: await message(n.loadModelFromIndexedDB('foreign')),
  };
}

/** Offers the model as two downloads and returns their names and the predictions. */
export function download() {
  const model = trainedModel();
  return { names: n.downloadModel({ module: model, head }, { prefix: 'spiral-' }), predictions: predictions(model, head) };
}

/** Loads the files picked in the page's <input type=file id=pick>. */
export async function loadPicked() {
  const b = await n.loadModelFromFiles(document.getElementById('pick').files);
  return predictions(b.module, b.head);
}

/** Loads a model folder or run folder from `url` and predicts on `x`. */
export async function fromUrl(url, x) {
  const b = await n.loadModelFromUrl(url);
  return { predictions: predictions(b.module, b.head, x), classNames: b.classNames, backend: n.getBackend().name };
}

/** The error loadModelFromUrl gives for `url`. */
export function badUrl(url) {
  return message(n.loadModelFromUrl(url));
}
