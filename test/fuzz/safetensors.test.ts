// Fuzzes the safetensors reader: random tensors round-trip bit for bit; byte-level corruption (flips,
// truncation, insertions, length prefixes) and structural header edits (with a consistent length
// prefix) decode or fail with a clear SafetensorsError, never a raw error or a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Tensor, tensor } from '../../src/index.js';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from '../../src/io/safetensors.js';
import { mutateJson, mutationsArb } from './json-mutations.js';
import { safetensorsFile, splitSafetensors } from './safetensors-bytes.js';
import { assertClearError, fuzzParams, timed } from './fuzz-common.js';

const tensorArb = fc.record({
  shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
  f64: fc.boolean(),
  seed: fc.integer(),
}).map(({ shape, f64, seed }) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sin(seed + i) * 10 ** ((i % 7) - 3);
  return new Tensor(data, shape);
});
const stateArb = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== '__metadata__'), tensorArb, { maxKeys: 4 });

test('fuzz: random tensors round-trip through encode/decode bit for bit (names, shapes, dtypes)', () => {
  fc.assert(fc.property(stateArb, (state) => {
    const back = decodeSafetensors(encodeSafetensors(state, { k: 'v' }));
    assert.deepEqual(Object.keys(back.tensors).sort(), Object.keys(state).sort());
    for (const [k, t] of Object.entries(state)) {
      const got = back.tensors[k]!;
      assert.deepEqual(got.shape, t.shape);
      assert.equal(got.dtype, t.dtype);
      assert.deepEqual(got.data, t.data);
    }
    assert.deepEqual(back.metadata, { k: 'v' });
  }), fuzzParams(100));
});

const base = encodeSafetensors({ 'a.weight': tensor([[1, 2], [3, 4]]), 'a.bias': tensor([5, 6]), 'b': new Tensor(new Float64Array([7]), [1]) }, { format: 'pt' });

const byteEdit = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), bits: fc.constant(0) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bits: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('length' as const), at: fc.nat(), bits: fc.integer({ min: 0, max: 255 }) }),
);

interface ByteEdit { kind: string; at: number; bits: number }

function editBytes(bytes: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let out = Uint8Array.from(bytes);
  for (const e of edits) {
    const at = e.at % (out.length + 1);
    if (e.kind === 'flip' && out.length > 0) out[at % out.length]! ^= e.bits;
    else if (e.kind === 'truncate') out = out.slice(0, at);
    else if (e.kind === 'insert') out = Uint8Array.from([...out.subarray(0, at), e.bits, ...out.subarray(at)]);
    else if (e.kind === 'length' && out.length >= 8) out[e.at % 8] = e.bits;
  }
  return out;
}

test('fuzz: byte-level corruption decodes or fails with a clear SafetensorsError', () => {
  fc.assert(fc.property(fc.array(byteEdit, { minLength: 1, maxLength: 4 }), (edits) => {
    const bytes = editBytes(base, edits);
    timed(2000, () => JSON.stringify(edits), () => {
      try { decodeSafetensors(bytes); } catch (e) { assertClearError(e, SafetensorsError, () => JSON.stringify(edits)); }
    });
  }), fuzzParams(300));
});

test('fuzz: structural header edits (consistent length prefix) decode or fail with a clear SafetensorsError', () => {
  const { headerText, data } = splitSafetensors(base);
  const header = JSON.parse(headerText);
  fc.assert(fc.property(mutationsArb, (mutations) => {
    const text = mutateJson(header, mutations);
    const bytes = safetensorsFile(text, data);
    timed(2000, () => text, () => {
      try { decodeSafetensors(bytes); } catch (e) { assertClearError(e, SafetensorsError, () => text); }
    });
  }), fuzzParams(300));
});
