// Node file helpers: atomic writes leave no temp files, and safetensors files round-trip with errors naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '../../src/index.js';
import { writeFileAtomic, readSafetensorsFile, writeSafetensorsFile } from '../../src/node/data/index.js';

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-atomic-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('writeFileAtomic writes and replaces files, leaving no temporary files', withDir(async (dir) => {
  const path = join(dir, 'out.json');
  await writeFileAtomic(path, '{"a":1}');
  assert.equal(readFileSync(path, 'utf8'), '{"a":1}');
  await writeFileAtomic(path, new Uint8Array([104, 105]));
  assert.equal(readFileSync(path, 'utf8'), 'hi');
  await Promise.all([1, 2, 3].map((i) => writeFileAtomic(join(dir, `f${i}`), String(i))));
  assert.deepEqual(readdirSync(dir).sort(), ['f1', 'f2', 'f3', 'out.json']);
  await assert.rejects(writeFileAtomic(join(dir, 'missing', 'x.bin'), 'x'), /writeFileAtomic: .*missing\/x.bin: no such file or directory; check that the directory exists/);
}));

test('writeSafetensorsFile / readSafetensorsFile round trip', withDir(async (dir) => {
  const path = join(dir, 'model.safetensors');
  await writeSafetensorsFile(path, { w: tensor([[1, 2], [3, 4]]), b: tensor([0.5], { dtype: 'float64' }) }, { epoch: '7' });
  const { tensors, metadata } = await readSafetensorsFile(path);
  assert.deepEqual(metadata, { epoch: '7' });
  assert.deepEqual(tensors.w!.toArray(), [[1, 2], [3, 4]]);
  assert.equal(tensors.b!.dtype, 'float64');
  assert.deepEqual(readdirSync(dir), ['model.safetensors']);
}));

test('safetensors file errors name the file and the problem', withDir(async (dir) => {
  const missing = join(dir, 'none.safetensors');
  await assert.rejects(readSafetensorsFile(missing), /readSafetensorsFile: .*none.safetensors: no such file or directory/);
  const bad = join(dir, 'bad.safetensors');
  writeFileSync(bad, new Uint8Array([1, 2, 3]));
  await assert.rejects(readSafetensorsFile(bad), /readSafetensorsFile: .*bad.safetensors: decodeSafetensors: truncated file: 3 bytes/);
  await assert.rejects(writeSafetensorsFile(join(dir, 'x.safetensors'), { w: 5 as never }), /writeSafetensorsFile: .*x.safetensors: encodeSafetensors: value for 'w' is not a Tensor/);
}));
