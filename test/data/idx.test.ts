// IDX: every element type, big-endian dims, size checks and errors, and gzip handling in the Node reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseIdx, idxToTensor, isGzip } from '../../src/data/index.js';
import { readIdxFile } from '../../src/node/data/index.js';

/** Builds an IDX buffer by hand: magic 00 00 type ndims, big-endian u32 dims, big-endian values. */
function idx(type: number, shape: number[], values: number[]): Uint8Array {
  const size = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }[type]!;
  const out = new Uint8Array(4 + 4 * shape.length + size * values.length);
  const v = new DataView(out.buffer);
  out.set([0, 0, type, shape.length]);
  shape.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  const o = 4 + 4 * shape.length;
  values.forEach((x, i) => {
    if (type === 0x08) v.setUint8(o + i, x);
    else if (type === 0x09) v.setInt8(o + i, x);
    else if (type === 0x0b) v.setInt16(o + 2 * i, x, false);
    else if (type === 0x0c) v.setInt32(o + 4 * i, x, false);
    else if (type === 0x0d) v.setFloat32(o + 4 * i, x, false);
    else v.setFloat64(o + 8 * i, x, false);
  });
  return out;
}

test('parses ubyte images [2,2,3] and labels [4]', () => {
  const images = parseIdx(idx(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]));
  assert.equal(images.dtype, 'uint8');
  assert.deepEqual(images.shape, [2, 2, 3]);
  assert.deepEqual([...images.data], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  const labels = parseIdx(idx(0x08, [4], [9, 0, 3, 7]));
  assert.deepEqual([...labels.data], [9, 0, 3, 7]);
  const big = parseIdx(idx(0x08, [300, 1], new Array(300).fill(1)));
  assert.deepEqual(big.shape, [300, 1], 'dims above 255 read big-endian');
});

test('reads int8, int16, int32, float32 and float64 big-endian values', () => {
  assert.deepEqual([...parseIdx(idx(0x09, [3], [-128, 0, 127])).data], [-128, 0, 127]);
  assert.deepEqual([...parseIdx(idx(0x0b, [2], [-300, 1000])).data], [-300, 1000]);
  assert.deepEqual([...parseIdx(idx(0x0c, [2], [-70000, 123456789])).data], [-70000, 123456789]);
  assert.deepEqual([...parseIdx(idx(0x0d, [2], [1.5, -0.25])).data], [1.5, -0.25]);
  const f64 = parseIdx(idx(0x0e, [1, 2], [Math.PI, -1e300]));
  assert.equal(f64.dtype, 'float64');
  assert.deepEqual([...f64.data], [Math.PI, -1e300]);
});

test('idxToTensor scales and reshapes', () => {
  const arr = parseIdx(idx(0x08, [2, 2, 2], [0, 255, 51, 102, 0, 0, 255, 255]));
  const t = idxToTensor(arr, { scale: 1 / 255, shape: [-1, 4] });
  assert.deepEqual(t.shape, [2, 4]);
  assert.ok(Math.abs(t.data[2]! - 0.2) < 1e-7);
  assert.deepEqual(idxToTensor(arr).shape, [2, 2, 2]);
  assert.throws(() => idxToTensor(arr, { shape: [3, 3] }), /idxToTensor: shape \[3,3\] does not hold the 8 values/);
});

test('errors: gzip, truncation, bad magic, unknown type, zero dims, trailing bytes', () => {
  const good = idx(0x08, [2, 3], [1, 2, 3, 4, 5, 6]);
  assert.throws(() => parseIdx(gzipSync(good), 'x.gz'), /parseIdx: x.gz: is gzip-compressed \(starts with 1f 8b\); gunzip it first/);
  assert.throws(() => parseIdx(good.subarray(0, 3)), /truncated: 3 bytes, fewer than the 4-byte magic number/);
  assert.throws(() => parseIdx(good.subarray(0, 9)), /truncated header: 2 dimensions need 12 header bytes, the data has 9/);
  assert.throws(() => parseIdx(good.subarray(0, good.length - 1)), /truncated: shape \[2,3\] of uint8 needs 6 data bytes, found 5/);
  assert.throws(() => parseIdx(new Uint8Array([...good, 0, 0])), /2 unexpected bytes after the 6 data bytes/);
  assert.throws(() => parseIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0])), /not an IDX file: the magic number must start with 0x00 0x00, got 0x01 0x00/);
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 0])), /unknown element type 0x0a/);
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 8, 0])), /declares 0 dimensions/);
  assert.ok(isGzip(gzipSync(good)) && !isGzip(good));
});

test('readIdxFile reads plain and gzip files and names the file in errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-idx-'));
  try {
    const bytes = idx(0x08, [2, 2], [1, 2, 3, 4]);
    writeFileSync(join(dir, 'plain-idx2-ubyte'), bytes);
    writeFileSync(join(dir, 'packed-idx2-ubyte.gz'), gzipSync(bytes));
    writeFileSync(join(dir, 'broken.gz'), gzipSync(bytes).subarray(0, 12));
    for (const name of ['plain-idx2-ubyte', 'packed-idx2-ubyte.gz']) {
      const arr = await readIdxFile(join(dir, name));
      assert.deepEqual(arr.shape, [2, 2]);
      assert.deepEqual([...arr.data], [1, 2, 3, 4]);
    }
    await assert.rejects(readIdxFile(join(dir, 'missing')), /readIdxFile: .*missing: no such file/);
    await assert.rejects(readIdxFile(join(dir, 'broken.gz')), /readIdxFile: .*broken.gz: gzip data is corrupt/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
