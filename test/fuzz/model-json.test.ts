// Fuzzes the model.json loader: seeded structural mutations of valid model.json files (deletions, type
// swaps, huge numbers, prototype keys, deep nesting) must load or fail with a clear ModelFileError,
// never a raw TypeError/RangeError or a hang; unmutated files round-trip exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deserializeModel, ModelFileError } from '../../src/index.js';
import { baseModels } from './model-bases.js';
import { mutateJson, mutationsArb } from './json-mutations.js';
import { assertClearError, fuzzParams, timed } from './fuzz-common.js';

const bases = baseModels();

test('fuzz: every base model round-trips through deserializeModel with identical tensors', () => {
  for (const b of bases) {
    const back = deserializeModel(JSON.parse(JSON.stringify(b.json)), b.weights, b.name);
    const want = deserializeModel(b.json, b.weights, b.name).module.stateDict();
    for (const [k, t] of Object.entries(back.module.stateDict())) assert.deepEqual(t.toFlat(), want[k]!.toFlat(), `${b.name} ${k}`);
  }
});

test('fuzz: mutated model.json files load or fail with a clear ModelFileError (no raw errors, no hangs)', () => {
  const caseArb = fc.record({ base: fc.nat({ max: bases.length - 1 }), mutations: mutationsArb });
  fc.assert(fc.property(caseArb, ({ base, mutations }) => {
    const b = bases[base]!;
    const text = mutateJson(b.json, mutations);
    timed(5000, () => text, () => {
      try {
        deserializeModel(JSON.parse(text), b.weights, b.name);
      } catch (e) {
        assertClearError(e, ModelFileError, () => text);
      }
    });
  }), fuzzParams(300));
});
