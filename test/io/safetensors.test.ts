// safetensors: round trips, the PyTorch-written fixture, widened dtypes and every corruption error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tensor, matmul, add, tanh, Tensor } from '../../src/index.js';
import { encodeSafetensors, decodeSafetensors, SafetensorsError, halfToFloat, bf16ToFloat } from '../../src/io/index.js';

const fixture = (name: string): string => new URL(`../fixtures/${name}`, import.meta.url).pathname;

/** Builds a file from a header object and raw data bytes (header padded to 8). */
function build(header: unknown, data: Uint8Array, headerLen?: number): Uint8Array {
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  json = new Uint8Array([...json, ...new Array<number>(pad).fill(0x20)]);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, headerLen ?? json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

test('round trip float32 and float64 keeps names, shapes, dtypes, values and metadata', () => {
  const a = tensor([[1.5, -2], [3.25, 1e-7], [0, 7]]);
  const b = tensor([Math.PI, Math.E, 1 / 3], { dtype: 'float64' });
  const s = tensor(42);
  const bytes = encodeSafetensors({ 'layer.w': a, b, scalar: s }, { format: 'neurite', epoch: '3' });
  const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + headerLen) % 8, 0, 'header padded to 8-byte alignment');
  const head = new TextDecoder().decode(bytes.subarray(8, 8 + headerLen));
  assert.ok(head.indexOf('"b"') < head.indexOf('"layer.w"') && head.indexOf('"layer.w"') < head.indexOf('"scalar"'), 'keys sorted');
  const { tensors, metadata } = decodeSafetensors(bytes);
  assert.deepEqual(metadata, { format: 'neurite', epoch: '3' });
  assert.deepEqual(Object.keys(tensors).sort(), ['b', 'layer.w', 'scalar']);
  assert.equal(tensors['layer.w']!.dtype, 'float32');
  assert.deepEqual(tensors['layer.w']!.shape, [3, 2]);
  assert.deepEqual(tensors['layer.w']!.toFlat(), a.toFlat());
  assert.equal(tensors.b!.dtype, 'float64');
  assert.deepEqual(tensors.b!.toFlat(), [Math.PI, Math.E, 1 / 3]);
  assert.deepEqual(tensors.scalar!.shape, []);
  assert.equal(tensors.scalar!.item(), 42);
});

test('decoding a subarray view with a byte offset works and copies the data', () => {
  const bytes = encodeSafetensors({ w: tensor([1, 2, 3]) });
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  const { tensors } = decodeSafetensors(shifted.subarray(3));
  assert.deepEqual(tensors.w!.toFlat(), [1, 2, 3]);
  shifted.fill(0);
  assert.deepEqual(tensors.w!.toFlat(), [1, 2, 3]);
});

test('a Node Buffer (readFileSync) decodes to its own values: an F32 tensor after an odd-sized I8 one, in a pooled Buffer', () => {
  const bytes = encodeSafetensors({ a: tensor([1, -2, 3]), b: tensor([0.5, 1.5]) }, undefined, { dtypes: { a: 'I8' } });
  const pooled = Buffer.from(bytes); // small Buffers share one pool: their byteOffset is not 0
  const { tensors } = decodeSafetensors(pooled);
  assert.deepEqual(tensors.a!.toFlat(), [1, -2, 3]);
  assert.deepEqual(tensors.b!.toFlat(), [0.5, 1.5]);
});

test('the dtype option converts on load', () => {
  const { tensors } = decodeSafetensors(encodeSafetensors({ w: tensor([0.5, 2]) }), { dtype: 'float64' });
  assert.equal(tensors.w!.dtype, 'float64');
  assert.deepEqual(tensors.w!.toFlat(), [0.5, 2]);
});

test('PyTorch-written MLP fixture loads and reproduces the reference outputs', () => {
  const { tensors, metadata, storedDTypes } = decodeSafetensors(new Uint8Array(readFileSync(fixture('mlp_4_5_3.safetensors'))));
  assert.deepEqual(metadata, { format: 'pt' });
  assert.deepEqual(Object.keys(tensors).sort(), ['0.bias', '0.weight', '2.bias', '2.weight']);
  assert.deepEqual(tensors['0.weight']!.shape, [5, 4]);
  assert.deepEqual(tensors['0.bias']!.shape, [5]);
  assert.deepEqual(tensors['2.weight']!.shape, [3, 5]);
  assert.deepEqual(tensors['2.bias']!.shape, [3]);
  assert.equal(storedDTypes['0.weight'], 'F32');
  const ref = JSON.parse(readFileSync(fixture('safetensors_mlp.json'), 'utf8')) as { cases: { x: { shape: number[]; data: number[] }; y: { shape: number[]; data: number[] } }[] };
  assert.ok(ref.cases.length > 0);
  for (const c of ref.cases) {
    const x = tensor(c.x.data, { shape: c.x.shape });
    const h = tanh(add(matmul(x, tensors['0.weight']!, { transB: true }), tensors['0.bias']!));
    const y = add(matmul(h, tensors['2.weight']!, { transB: true }), tensors['2.bias']!);
    assert.deepEqual(y.shape, c.y.shape);
    y.toFlat().forEach((v, i) => assert.ok(Math.abs(v - c.y.data[i]!) < 1e-5, `output ${i}: ${v} vs ${c.y.data[i]}`));
  }
});

test('F16, BF16, I64, I32, U8 and BOOL tensors widen to float32', () => {
  const data = new Uint8Array(4 + 4 + 16 + 4 + 2 + 2);
  const v = new DataView(data.buffer);
  v.setUint16(0, 0x3c00, true); v.setUint16(2, 0xc000, true);        // F16 1, -2
  v.setUint16(4, 0x3f80, true); v.setUint16(6, 0x4049, true);        // BF16 1, ~3.140625
  v.setBigInt64(8, -5n, true); v.setBigInt64(16, 123456789n, true);  // I64
  v.setInt32(24, -7, true);                                          // I32
  data[28] = 200; data[29] = 3;                                      // U8
  data[30] = 1; data[31] = 0;                                        // BOOL
  const header = {
    h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
    bf: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] },
    l: { dtype: 'I64', shape: [2], data_offsets: [8, 24] },
    i: { dtype: 'I32', shape: [1], data_offsets: [24, 28] },
    u: { dtype: 'U8', shape: [2], data_offsets: [28, 30] },
    t: { dtype: 'BOOL', shape: [2], data_offsets: [30, 32] },
  };
  const { tensors, storedDTypes } = decodeSafetensors(build(header, data));
  assert.deepEqual(tensors.h!.toFlat(), [1, -2]);
  assert.deepEqual(tensors.bf!.toFlat(), [1, 3.140625]);
  assert.deepEqual(tensors.l!.toFlat(), [-5, Math.fround(123456789)]);
  assert.deepEqual(tensors.i!.toFlat(), [-7]);
  assert.deepEqual(tensors.u!.toFlat(), [200, 3]);
  assert.deepEqual(tensors.t!.toFlat(), [1, 0]);
  assert.equal(tensors.h!.dtype, 'float32');
  assert.equal(storedDTypes.bf, 'BF16');
  assert.equal(halfToFloat(0x0001), 2 ** -24);
  assert.equal(halfToFloat(0x7c00), Infinity);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  assert.equal(bf16ToFloat(0xbf80), -1);
});

const good = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } };
const twelve = new Uint8Array(12);
const corruptions: [string, () => Uint8Array, RegExp][] = [
  ['truncated below 8 bytes', () => new Uint8Array(5), /truncated file: 5 bytes/],
  ['header length beyond the file', () => build(good, twelve, 9999), /header length 9999 bytes is beyond the end of the file/],
  ['header length over the 100 MB cap', () => build(good, twelve, 2e8), /header length 200000000 bytes is over the limit of 100000000; the file is corrupt or not safetensors/],
  ['duplicate tensor name', () => { const f = build(good, twelve); const t = new TextDecoder().decode(f); return new TextEncoder().encode(t.replace('"b":', '"a":')); }, /header names "a" twice; the file is corrupt \(JSON keeps only the last entry\)/],
  ['tensor with an empty name', () => build({ ...good, '': { dtype: 'F32', shape: [0], data_offsets: [12, 12] } }, twelve), /a tensor has an empty name; the file is corrupt/],
  ['invalid JSON', () => { const f = build(good, twelve); f[8] = 0x5b; f[9] = 0x7b; return f; }, /header is not valid JSON/],
  ['JSON that is not an object', () => build([1, 2], twelve), /header JSON must be an object/],
  ['unknown dtype', () => build({ ...good, a: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 8] } }, twelve), /tensor 'a': unknown or unsupported dtype "F8_E4M3"/],
  ['bad shape', () => build({ ...good, a: { dtype: 'F32', shape: [2.5], data_offsets: [0, 8] } }, twelve), /tensor 'a': shape must be a list of non-negative integers/],
  ['offsets out of range', () => build({ ...good, b: { dtype: 'F32', shape: [1], data_offsets: [8, 16] } }, twelve), /tensor 'b': data_offsets \[8, 16\] are out of range: the data section has 12 bytes/],
  ['offsets reversed', () => build({ ...good, b: { dtype: 'F32', shape: [1], data_offsets: [12, 8] } }, twelve), /tensor 'b': data_offsets \[12, 8\] end before they begin/],
  ['overlapping tensors', () => build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, twelve), /tensor 'b' bytes \[4, 12\) overlap tensor 'a' bytes \[0, 8\)/],
  ['gap not covered', () => build({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, twelve), /data bytes \[4, 8\) before tensor 'b' are not covered/],
  ['trailing bytes not covered', () => build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, twelve), /data bytes \[8, 12\) after the last tensor 'a' are not covered/],
  ['shape × itemsize ≠ byte length', () => build({ ...good, a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, twelve), /tensor 'a': shape \[3\] of F32 needs 3 × 4 = 12 bytes, but data_offsets \[0, 8\] hold 8/],
  ['metadata value not a string', () => build({ ...good, __metadata__: { epoch: 3 } }, twelve), /__metadata__ value for 'epoch' must be a string/],
  ['entry not an object', () => build({ ...good, a: 5 }, twelve), /tensor 'a': header entry must be an object/],
  ['data truncated after the header', () => { const f = build(good, twelve); return f.subarray(0, f.length - 6); }, /tensor 'a': data_offsets \[0, 8\] are out of range: the data section has 6 bytes/],
];

for (const [label, make, pattern] of corruptions) {
  test(`corrupt file: ${label}`, () => {
    assert.throws(() => decodeSafetensors(make()), (e: Error) => e instanceof SafetensorsError && pattern.test(e.message) && e.message.startsWith('decodeSafetensors: '));
  });
}

test('the untouched corruption base decodes (so the cases above fail for their own reason)', () => {
  const { tensors } = decodeSafetensors(build(good, twelve));
  assert.deepEqual(tensors.a!.shape, [2]);
});

test('encode rejects non-tensors, reserved names and non-string metadata', () => {
  assert.throws(() => encodeSafetensors({ w: [1, 2] as unknown as Tensor }), /value for 'w' is not a Tensor/);
  assert.throws(() => encodeSafetensors({ __metadata__: tensor([1]) }), /invalid tensor name "__metadata__"/);
  assert.throws(() => encodeSafetensors({ w: tensor([1]) }, { n: 3 as unknown as string }), /__metadata__ value for 'n' must be a string/);
});
