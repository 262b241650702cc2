// Built-in data sets (digits, iris, breast cancer), Fashion-MNIST when installed, and listDatasets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadBuiltinDataset, loadFashionMnist, listDatasets, findDataDir, FASHION_MNIST_DIR } from '../../src/node/data/index.js';
import type { BuiltinName } from '../../src/node/data/index.js';

const classCounts = (y: { data: ArrayLike<number> }, k: number): number[] => {
  const c = new Array<number>(k).fill(0);
  for (let i = 0; i < y.data.length; i++) c[y.data[i]!]!++;
  return c;
};

test('digits: 1797 × 64 pixels in 0..16, 10 classes with the known counts', async () => {
  const d = await loadBuiltinDataset('digits');
  assert.deepEqual(d.x.shape, [1797, 64]);
  assert.deepEqual(d.y.shape, [1797]);
  assert.equal(Math.min(...d.x.data), 0);
  assert.equal(Math.max(...d.x.data), 16);
  assert.ok(d.x.data.every((v) => Number.isInteger(v)));
  assert.deepEqual(d.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(classCounts(d.y, 10), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  assert.equal(d.featureNames[9], 'pixel_1_1');
  assert.deepEqual(d.x.toFlat().slice(0, 8), [0, 0, 5, 13, 9, 1, 0, 0]);
  assert.match(d.description, /Optical recognition of handwritten digits/);
});

test('iris: 150 × 4, three classes of 50, named features', async () => {
  const d = await loadBuiltinDataset('iris', { dtype: 'float64' });
  assert.deepEqual(d.x.shape, [150, 4]);
  assert.equal(d.x.dtype, 'float64');
  assert.deepEqual(d.classNames, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual(classCounts(d.y, 3), [50, 50, 50]);
  assert.deepEqual(d.x.toFlat().slice(0, 4), [5.1, 3.5, 1.4, 0.2]);
  assert.equal(d.featureNames[2], 'petal length (cm)');
  assert.match(d.description, /Fisher/);
});

test('wine: 178 × 13, classes of 59, 71 and 48, named features', async () => {
  const d = await loadBuiltinDataset('wine');
  assert.deepEqual(d.x.shape, [178, 13]);
  assert.deepEqual(d.classNames, ['class_0', 'class_1', 'class_2']);
  assert.deepEqual(classCounts(d.y, 3), [59, 71, 48]);
  assert.deepEqual([d.featureNames[0], d.featureNames[12]], ['alcohol', 'proline']);
  assert.match(d.description, /Forina/);
});

test('breast cancer: 569 × 30, 212 malignant and 357 benign', async () => {
  const d = await loadBuiltinDataset('breast_cancer');
  assert.deepEqual(d.x.shape, [569, 30]);
  assert.deepEqual(d.classNames, ['malignant', 'benign']);
  assert.deepEqual(classCounts(d.y, 2), [212, 357]);
  assert.equal(d.featureNames.length, 30);
  assert.deepEqual([d.featureNames[0], d.featureNames[10], d.featureNames[20]], ['mean radius', 'radius error', 'worst radius']);
});

test('the data folder is found from the package root; unknown names and damaged files are reported', async () => {
  assert.ok(existsSync(join(findDataDir(), 'README.md')));
  await assert.rejects(loadBuiltinDataset('mnist' as BuiltinName), /unknown data set "mnist"; built-in ones are digits, iris, wine, breast_cancer/);
  const dir = mkdtempSync(join(tmpdir(), 'neurite-builtin-'));
  try {
    writeFileSync(join(dir, 'iris.csv'), '150,4,a,b,c\n5.1,3.5,1.4,0.2,0\n');
    await assert.rejects(loadBuiltinDataset('iris', { dataDir: dir }), /iris.csv has 1 data rows, expected 150/);
    writeFileSync(join(dir, 'iris.csv'), '150,4,a,b,c\n5.1,3.5,x,0.2,0\n');
    await assert.rejects(loadBuiltinDataset('iris', { dataDir: dir }), /iris.csv line 2, column 2: "x" is not a number/);
    writeFileSync(join(dir, 'iris.csv'), '149,4,a,b,c\n');
    await assert.rejects(loadBuiltinDataset('iris', { dataDir: dir }), /line 1 says 149 rows × 4 features, expected 150 × 4/);
    await assert.rejects(loadBuiltinDataset('digits', { dataDir: dir }), /cannot read .*digits.csv.gz/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Writes a tiny fake Fashion-MNIST folder (3 train, 2 test images) in IDX gzip format. */
function fakeFashion(dir: string): void {
  const idx = (dims: number[], values: number[]): Buffer => {
    const head = Buffer.alloc(4 + 4 * dims.length);
    head.set([0, 0, 8, dims.length]);
    dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
    return gzipSync(Buffer.concat([head, Buffer.from(values)]));
  };
  for (const [prefix, n] of [['train', 3], ['t10k', 2]] as const) {
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte.gz`), idx([n, 28, 28], Array.from({ length: n * 784 }, (_, i) => (i * 7) % 256)));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte.gz`), idx([n], Array.from({ length: n }, (_, i) => (i * 4) % 10)));
  }
}

test('loadFashionMnist reads a folder of IDX files, normalises, limits and reshapes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-fashion-'));
  try {
    fakeFashion(dir);
    const train = await loadFashionMnist({ dir });
    assert.deepEqual(train.x.shape, [3, 784]);
    assert.deepEqual(train.y.toFlat(), [0, 4, 8]);
    assert.ok(Math.abs(train.x.data[1]! - 7 / 255) < 1e-7);
    assert.equal(train.classNames[9], 'Ankle boot');
    const test2 = await loadFashionMnist({ dir, subset: 'test', flatten: false, normalize: false, limit: 1 });
    assert.deepEqual(test2.x.shape, [1, 1, 28, 28]);
    assert.equal(test2.x.data[2], 14);
    const listed = listDatasets({ fashionDir: dir });
    assert.deepEqual(listed.map((d) => [d.name, d.available]), [['digits', true], ['iris', true], ['wine', true], ['breast_cancer', true], ['fashion-mnist', true]]);
    rmSync(join(dir, 't10k-labels-idx1-ubyte.gz'));
    await assert.rejects(loadFashionMnist({ dir, subset: 'test' }), /t10k-labels-idx1-ubyte.gz \(or the unpacked t10k-labels-idx1-ubyte\) is missing/);
    assert.equal(listDatasets({ fashionDir: dir }).at(-1)!.available, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await assert.rejects(loadFashionMnist({ dir: join(dir, 'nope') }), /folder .*nope not found\. Install the data with `apt-get install -y dataset-fashion-mnist`.*or pass --data-dir/);
});

test('Fashion-MNIST from the Debian package', async (t) => {
  if (!existsSync(FASHION_MNIST_DIR)) {
    t.skip(`${FASHION_MNIST_DIR} not found (apt-get install -y dataset-fashion-mnist to run this test)`);
    return;
  }
  const d = await loadFashionMnist({ subset: 'test' });
  assert.deepEqual(d.x.shape, [10000, 784]);
  assert.deepEqual(classCounts(d.y, 10), new Array(10).fill(1000));
  assert.ok(Math.max(...d.x.data.subarray(0, 784 * 10)) <= 1);
  const train = await loadFashionMnist({ subset: 'test', limit: 500, flatten: false });
  assert.deepEqual(train.x.shape, [500, 1, 28, 28]);
});
