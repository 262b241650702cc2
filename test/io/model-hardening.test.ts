// Hostile or broken model files: dtype edits (with the checksum fixed up), absurd architecture sizes,
// prototype-named types, deep nesting and oversize files each fail with a clear error before use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nn, tree, tensor, io, multiclassHead, serializeModel, deserializeModel, ModelFileError, setLimits, type ModelJSON } from '../../src/index.js';

const { encodeSafetensors, decodeSafetensors } = io;
import { checksum } from '../../src/io/model.js';
import { loadModel, saveModel } from '../../src/node/io/model-files.js';
import { safetensorsFile, splitSafetensors } from '../fuzz/safetensors-bytes.js';

function saved(): { json: ModelJSON; weights: Uint8Array } {
  return serializeModel({ module: nn.mlp({ sizes: [4, 6, 3], seed: 1 }), head: multiclassHead({ numClasses: 3 }) });
}

/** Rewrites the weights' header text and fixes model.json's checksum up, as a careful attacker would. */
function editHeader(json: ModelJSON, weights: Uint8Array, edit: (text: string) => string): { json: ModelJSON; weights: Uint8Array } {
  const { headerText, data } = splitSafetensors(weights);
  const out = safetensorsFile(edit(headerText), data);
  return { json: { ...json, weightsChecksum: checksum(out) }, weights: out };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const rejects = (json: unknown, weights: Uint8Array, pattern: RegExp): void => {
  assert.throws(() => deserializeModel(json, weights, 'run'), (e: Error) => e instanceof ModelFileError && pattern.test(e.message));
};

test('a safetensors dtype edited F32 → I32 (checksum fixed up) does not load', () => {
  const { json, weights } = saved();
  const edited = editHeader(json, weights, (t) => t.replace('"0.weight":{"dtype":"F32"', '"0.weight":{"dtype":"I32"'));
  rejects(edited.json, edited.weights, /^run\/model\.safetensors: "0\.weight" is stored as I32 but model\.json says F32; the files do not belong together or one was edited$/);
});

test("model.json's own tensor dtypes must be ones neurite computes in (F32, F64)", () => {
  const { json, weights } = saved();
  const edited = editHeader(json, weights, (t) => t.replace('"0.weight":{"dtype":"F32"', '"0.weight":{"dtype":"I32"'));
  const j = clone(edited.json);
  j.tensors['0.weight']!.dtype = 'I32';
  rejects(j, edited.weights, /^run\/model\.json: tensors\["0\.weight"\]\.dtype is "I32"; neurite models hold only F32, F64, F16, BF16 or I8 tensors$/);
});

test('Linear in_features 1e9 in model.json fails before allocating, naming the bytes and the limit', () => {
  const { json, weights } = saved();
  const j = clone(json);
  (j.module.layers as { in: number }[])[0]!.in = 1e9;
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  rejects(j, weights, /^run\/model\.json: module: refusing to allocate 24000000000 bytes for a float32 tensor of 6000000000 elements \(limit 4294967296 bytes\)$/);
  assert.ok(performance.now() - t0 < 1000, 'refused at once');
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 2 ** 20, 'nothing large was allocated');
});

test('an architecture larger than its weight file allows is refused by the build budget', () => {
  const { json, weights } = saved();
  const j = clone(json);
  (j.module.layers as Record<string, unknown>[])[0] = { type: 'Linear', in: 5000, out: 5000, bias: true };
  // Budget: 4 × (8 bytes × the header's 51 elements + 1024 per tensor × 4 tensors) + 64 MiB slack = 67126880 bytes.
  rejects(j, weights, /^run\/model\.json: module: refusing to allocate 100000000 bytes for a float32 tensor of 25000000 elements \(limit 67126880 bytes for building the model\.json architecture, 0 already allocated\)$/);
});

test('module type names that are Object.prototype keys are unknown types', () => {
  for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    assert.throws(() => nn.moduleFromJSON({ type }), (e: Error) => e.message.startsWith(`moduleFromJSON: unknown module type "${type}"; known: AdaptiveDepthNet, `));
    const { json, weights } = saved();
    const j = clone(json);
    (j.module.layers as Record<string, unknown>[])[1] = { type };
    rejects(j, weights, new RegExp(`^run/model\\.json: module: moduleFromJSON: unknown module type "${type}"; known: AdaptiveDepthNet, `));
  }
});

test('deeply nested model.json is a clear error, not a stack overflow', () => {
  const { weights } = saved();
  const deep = JSON.parse(`{"format":"neurite-model","version":1,"module":{"type":"Sequential","layers":${'['.repeat(100000)}${']'.repeat(100000)}}}`);
  rejects(deep, weights, /^run\/model\.json: JSON nested deeper than 64 levels \(limit 64\); the file is corrupt or hostile$/);
  let m: Record<string, unknown> = { type: 'Identity' };
  for (let i = 0; i < 5000; i++) m = { type: 'Residual', body: m };
  assert.throws(() => nn.moduleFromJSON(m as nn.ModuleJSON), (e: Error) => e.message === 'moduleFromJSON: modules nested deeper than 64 levels (limit 64); the architecture is corrupt or hostile');
});

test('oversize model.json and model.safetensors are refused before they are read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-harden-'));
  await saveModel(dir, { module: nn.mlp({ sizes: [4, 6, 3], seed: 1 }), head: multiclassHead({ numClasses: 3 }) });
  const before = setLimits({ maxModelJsonBytes: 100 });
  try {
    await assert.rejects(loadModel(dir), (e: Error) => e instanceof ModelFileError && /^.*model\.json: refusing to read \d+ bytes \(limit 100 bytes for this file\); is it the right file\?$/.test(e.message));
    setLimits({ maxModelJsonBytes: before.maxModelJsonBytes, maxWeightsBytes: 64 });
    await assert.rejects(loadModel(dir), /model\.safetensors: refusing to read \d+ bytes \(limit 64 bytes for this file\)/);
  } finally {
    setLimits(before);
  }
  assert.ok(await loadModel(dir));
});

test('a duplicate tensor name in the safetensors header is an error (JSON would keep the last)', () => {
  const { json, weights } = saved();
  const edited = editHeader(json, weights, (t) => t.replace('{"__metadata__"', '{"0.bias":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"__metadata__"'));
  rejects(edited.json, edited.weights, /^run\/model\.safetensors: decodeSafetensors: header names "0\.bias" twice; the file is corrupt \(JSON keeps only the last entry\)$/);
});

test('model.json field types are checked: version, checksum, classNames, tensors', () => {
  const { json, weights } = saved();
  rejects({ ...clone(json), version: '1' }, weights, /model\.json: "version" must be a positive integer, got "1"/);
  rejects({ ...clone(json), weightsChecksum: 5 }, weights, /model\.json: "weightsChecksum" must be 8 hex digits, got 5/);
  rejects({ ...clone(json), classNames: [1, 2] }, weights, /model\.json: "classNames" must be a list of strings, got \[1,2\]/);
  rejects({ ...clone(json), tensors: undefined }, weights, /model\.json: "tensors" must map tensor names to \{shape, dtype\}, got undefined/);
  const j = clone(json); delete j.tensors['0.bias'];
  rejects(j, weights, /model\.safetensors: holds tensors model\.json does not list: 0\.bias/);
});

test('tensor and node names that are Object.prototype keys never reach a prototype', () => {
  const bytes = encodeSafetensors({ '__proto__.polluted': tensor([1]), 'constructor.weight': tensor([2]) });
  const { tensors } = decodeSafetensors(bytes);
  assert.deepEqual(Object.keys(tensors).sort(), ['__proto__.polluted', 'constructor.weight']);
  const t = tree.fromEntries(Object.entries(tensors));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal((Object as unknown as Record<string, unknown>).weight, undefined);
  assert.deepEqual(Object.keys(t).sort(), ['__proto__', 'constructor']);
  assert.deepEqual(Object.keys(tree.map(t, (x) => x)).sort(), ['__proto__', 'constructor']);
  const lin = new nn.Linear(1, 1);
  assert.throws(() => lin.loadStateDict({ ...lin.stateDict(), constructor: tensor([1]) }), /loadStateDict: unexpected keys constructor; pass strict=false to ignore them/);
  for (const name of ['__proto__', 'constructor', 'toString']) {
    assert.throws(() => nn.moduleFromJSON({ type: 'Graph', inputs: ['x'], output: name, nodes: [{ name, inputs: ['x'], module: { type: 'Linear', in: 2, out: 2 } }] }),
      (e: Error) => e.message === `Graph: the name "${name}" is reserved (every JavaScript object has it); rename the node`);
  }
});
