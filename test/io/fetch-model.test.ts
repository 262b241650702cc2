// loadModelFromUrl over a real HTTP server on 127.0.0.1 (Node's fetch): model and run folders, and
// every bad answer (404, an HTML page, a bad CURRENT, oversize, torn pair) named by its URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nn, multiclassHead, predict, loadModelFromUrl, modelFiles, setLimits, ModelFileError, loadModelFromFiles } from '../../src/index.js';
import { saveCheckpoint, saveModel } from '../../src/node/index.js';
import { type StaticServer, serveStatic } from '../helpers/chromium.js';

const root = mkdtempSync(join(tmpdir(), 'neurite-fetch-'));
const head = multiclassHead({ numClasses: 3 });
const module = nn.mlp({ sizes: [2, 8, 3], seed: 1 });
const x = [[0.1, 0.2], [-0.5, 0.3]];
let server: StaticServer;

before(async () => {
  await saveModel(join(root, 'plain'), { module, head });
  saveCheckpoint(join(root, 'run'), { module: nn.mlp({ sizes: [2, 8, 3], seed: 9 }), head });
  saveCheckpoint(join(root, 'run'), { module, head }); // the second generation is current
  mkdirSync(join(root, 'badcurrent'));
  writeFileSync(join(root, 'badcurrent', 'CURRENT'), '../../etc\n');
  const files = modelFiles({ module, head });
  mkdirSync(join(root, 'torn'));
  writeFileSync(join(root, 'torn', 'model.json'), files['model.json']);
  writeFileSync(join(root, 'torn', 'model.safetensors'), modelFiles({ module: nn.mlp({ sizes: [2, 8, 3], seed: 2 }), head })['model.safetensors']);
  server = await serveStatic(root, { routes: { '/spa/model.json': { body: '<!doctype html><title>app</title>', type: 'text/html' }, '/spa/model.safetensors': { body: '<!doctype html>', type: 'text/html' } } });
});
after(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const same = (a: nn.Module, b: nn.Module) => assert.deepEqual(predict(a, head, x).toFlat(), predict(b, head, x).toFlat());

test('loadModelFromUrl loads a model folder, a run folder\'s current generation, and a model.json URL', async () => {
  same((await loadModelFromUrl(`${server.url}plain/`)).module, module);
  same((await loadModelFromUrl(`${server.url}plain`)).module, module);
  same((await loadModelFromUrl(`${server.url}plain/model.json`)).module, module);
  same((await loadModelFromUrl(`${server.url}run/`)).module, module);
});

test('loadModelFromUrl: a missing folder is an HTTP 404 naming the URL', async () => {
  await assert.rejects(loadModelFromUrl(`${server.url}nothing/`), (e: Error) => e instanceof ModelFileError
    && e.message === `${server.url}nothing/model.json: HTTP 404 Not Found; the URL must be a neurite model folder (model.json + model.safetensors) or a run folder of neurite train`);
});

test('loadModelFromUrl: an HTML page instead of model.json says so', async () => {
  await assert.rejects(loadModelFromUrl(`${server.url}spa/`), /spa\/model\.json: not valid JSON \(.*\) — it looks like an HTML page, not model\.json: check the address$/);
});

test('loadModelFromUrl: a CURRENT that names no generation is refused', async () => {
  await assert.rejects(loadModelFromUrl(`${server.url}badcurrent/`), new RegExp(`^ModelFileError: ${server.url}badcurrent/CURRENT: names "\\.\\./\\.\\./etc", not a generation like g000001`));
});

test('loadModelFromUrl: files over the size limits are refused before they are read', async () => {
  const saved = setLimits({ maxWeightsBytes: 100 });
  try {
    await assert.rejects(loadModelFromUrl(`${server.url}plain/`), /plain\/model\.safetensors: refusing to read \d+ bytes \(limit 100 bytes for this file\); is it the right file\?/);
  } finally {
    setLimits(saved);
  }
});

test('loadModelFromUrl: weights from another save fail the checksum', async () => {
  await assert.rejects(loadModelFromUrl(`${server.url}torn/`), /torn\/model\.safetensors: checksum does not match model\.json/);
});

test('loadModelFromUrl: an unreachable server names the URL', async () => {
  await assert.rejects(loadModelFromUrl('http://127.0.0.1:1/m/'), /^ModelFileError: http:\/\/127\.0\.0\.1:1\/m\/CURRENT: cannot fetch \(.*\); is the server running/);
});

test('loadModelFromFiles loads the two files a user picked, and names what is missing', async () => {
  const files = modelFiles({ module, head });
  const file = (name: string, bytes: Uint8Array | string) => new File([bytes as BlobPart], name);
  same((await loadModelFromFiles([file('spiral-model.json', files['model.json']), file('spiral-model.safetensors', files['model.safetensors'])])).module, module);
  await assert.rejects(loadModelFromFiles([file('model.json', files['model.json'])]), /^ModelFileError: loadModelFromFiles: pick exactly one model\.json and one \.safetensors file, got model\.json$/);
});
