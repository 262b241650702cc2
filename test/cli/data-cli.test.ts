// CLI data trust: schema applied by name, single-class eval files, stray cells, price-scale targets,
// the recorded split at eval, and no file read from a path stored in a run folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { loadBuiltinDataset } from '../../src/node/data/builtin.js';
import { resolveModelFolder } from '../../src/node/io/model-files.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'neurite-data-cli-'));
const fixture = (name: string): string => new URL(`../fixtures/${name}`, import.meta.url).pathname;

/** iris as a named CSV: 4 feature columns and a species column. */
async function irisCsv(dir: string): Promise<{ path: string; header: string[]; rows: string[][] }> {
  const ds = await loadBuiltinDataset('iris');
  const header = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'];
  const x = ds.x.toArray() as number[][];
  const rows = x.map((r, i) => [...r.map((v) => String(Math.round(v * 10) / 10)), ds.classNames[ds.y.data[i]!]!]);
  const path = join(dir, 'iris.csv');
  writeFileSync(path, [header, ...rows].map((r) => r.join(',')).join('\n') + '\n');
  return { path, header, rows };
}

test('predict applies the schema by column name: reordered columns give identical predictions, a target column is ignored', async () => {
  const dir = tmp();
  const { path, header, rows } = await irisCsv(dir);
  assert.equal((await runCli(['train', '--csv', path, '--target', 'species', '--epochs', '5', '--out', join(dir, 'run'), '--backend', 'js'])).code, 0);
  const some = rows.filter((_, i) => i % 10 === 0);
  writeFileSync(join(dir, 'a.csv'), [header.slice(0, 4), ...some.map((r) => r.slice(0, 4))].map((r) => r.join(',')).join('\n'));
  const order = [4, 2, 0, 3, 1];   // species first, features shuffled
  writeFileSync(join(dir, 'b.csv'), [order.map((j) => header[j]), ...some.map((r) => order.map((j) => r[j]))].map((r) => r.join(',')).join('\n'));
  const a = await runCli(['predict', '--model', join(dir, 'run'), '--csv', join(dir, 'a.csv')]);
  const b = await runCli(['predict', '--model', join(dir, 'run'), '--csv', join(dir, 'b.csv')]);
  assert.equal(a.code, 0, a.err);
  assert.equal(b.code, 0, b.err);
  assert.equal(b.out, a.out);
  assert.equal(a.out.trim().split('\n').length, some.length + 1);
  writeFileSync(join(dir, 'c.csv'), 'sepal_length,sepal_width,petal_length\n1,2,3\n');
  const c = await runCli(['predict', '--model', join(dir, 'run'), '--csv', join(dir, 'c.csv')]);
  assert.equal(c.code, 1);
  assert.match(c.err, /c\.csv: the feature column 'petal_width' is missing; the model was trained on columns 'sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'/);
});

test('eval on a file holding a single class scores with the training labels (not re-derived from the file)', async () => {
  const dir = tmp();
  const { path, header, rows } = await irisCsv(dir);
  assert.equal((await runCli(['train', '--csv', path, '--target', 'species', '--epochs', '20', '--lr', '0.01', '--out', join(dir, 'run'), '--backend', 'js'])).code, 0);
  const only = rows.filter((r) => r[4] === 'virginica');
  writeFileSync(join(dir, 'virginica.csv'), [header, ...only].map((r) => r.join(',')).join('\n') + '\n');
  const p = await runCli(['predict', '--model', join(dir, 'run'), '--csv', join(dir, 'virginica.csv')]);
  const predicted = p.out.trim().split('\n').slice(1).map((l) => l.split(',')[0]);
  const truth = predicted.filter((c) => c === 'virginica').length / only.length;
  assert.ok(truth > 0.5, `predict got ${truth} of virginica right`);
  const e = await runCli(['eval', '--model', join(dir, 'run'), '--csv', join(dir, 'virginica.csv'), '--json']);
  assert.equal(e.code, 0, e.err);
  assert.equal(JSON.parse(e.out).all.accuracy, truth);
  assert.match(e.err, /warning: .*virginica\.csv is not the data this run trained on \(training file iris\.csv: 150 rows, .*Scoring ALL 50 rows/);
});

test('a stray cell in a numeric CSV column stops training with the file, row, line, column and value', async () => {
  const dir = tmp(), path = join(dir, 'stray.csv');
  const lines = ['a,b,y', ...Array.from({ length: 30 }, (_, i) => `${i},${i % 7},${i % 2}`)];
  lines[12] = '11,abc,1';
  writeFileSync(path, lines.join('\n'));
  const r = await runCli(['train', '--csv', path, '--target', 'y', '--out', join(dir, 'run')]);
  assert.equal(r.code, 1);
  assert.equal(r.err, `neurite: ${path}: column 'b' is numeric (29 numbers) but has non-numeric cells: row 12 (line 13) "abc"; fix them, declare them missing (--missing-values, data.missingValues), or name the column categorical (--categorical b)\n`);
});

test('price-scale regression reaches test R² >= 0.9 at the CLI defaults; predictions and metrics in original units', async () => {
  const dir = tmp(), csv = fixture('house_prices.csv');
  const r = await runCli(['train', '--csv', csv, '--target', 'price', '--out', join(dir, 'run'), '--backend', 'js']);
  assert.equal(r.code, 0, r.err);
  const metrics = JSON.parse(readFileSync(join(dir, 'run', 'metrics.json'), 'utf8'));
  assert.ok(metrics.test.r2 >= 0.9, `test R² ${metrics.test.r2}`);
  assert.ok(metrics.test.mae > 1000 && metrics.test.mae < 60000, `MAE ${metrics.test.mae} should be in dollars`);
  const e = await runCli(['eval', '--model', join(dir, 'run'), '--csv', csv, '--json']);
  assert.deepEqual(JSON.parse(e.out), metrics);
  assert.match(e.err, /house_prices\.csv is the training data \(sha256 [0-9a-f]{12}…, 600 rows\): scoring the recorded test split \(120 rows\) and validation split \(60 rows\)/);
  writeFileSync(join(dir, 'new.csv'), 'neighbourhood,area_sqft,bedrooms,age_years,distance_km\nharbour,2500,4,10,3\n');
  const p = await runCli(['predict', '--model', join(dir, 'run'), '--csv', join(dir, 'new.csv')]);
  const price = Number(p.out.trim().split('\n')[1]);
  assert.ok(price > 2e5 && price < 9e5, `predicted price ${price}`);
});

test('eval scores the recorded split only on the same file; a reordered training file warns and scores all rows', async () => {
  const dir = tmp();
  const { path, header, rows } = await irisCsv(dir);
  assert.equal((await runCli(['train', '--csv', path, '--target', 'species', '--epochs', '5', '--out', join(dir, 'run'), '--backend', 'js'])).code, 0);
  const metrics = JSON.parse(readFileSync(join(dir, 'run', 'metrics.json'), 'utf8'));
  const same = await runCli(['eval', '--model', join(dir, 'run'), '--csv', path, '--json']);
  assert.deepEqual(JSON.parse(same.out), metrics);
  const shuffled = join(dir, 'shuffled.csv');
  writeFileSync(shuffled, [header, ...rows.slice(75), ...rows.slice(0, 75)].map((r) => r.join(',')).join('\n') + '\n');
  const e = await runCli(['eval', '--model', join(dir, 'run'), '--csv', shuffled, '--json']);
  assert.equal(e.code, 0, e.err);
  assert.deepEqual(Object.keys(JSON.parse(e.out)), ['all']);
  assert.match(e.err, /warning: .*shuffled\.csv is not the data this run trained on .*the same rows in a different order, so the recorded split cannot be located\)\. Scoring ALL 150 rows/);
});

test('eval never reads a path stored in the run folder: an edited model.json cannot leak a file', async () => {
  const dir = tmp();
  const secret = join(dir, 'secret.txt');
  writeFileSync(secret, 'TOP-SECRET-LINE,1\n2,3\n');
  const { path } = await irisCsv(dir);
  assert.equal((await runCli(['train', '--csv', path, '--target', 'species', '--epochs', '1', '--out', join(dir, 'run'), '--backend', 'js'])).code, 0);
  const modelPath = join(resolveModelFolder(join(dir, 'run')), 'model.json');
  const json = JSON.parse(readFileSync(modelPath, 'utf8'));
  for (const target of [secret, '/etc/passwd']) {
    json.info.data.csv = target;
    json.schema.source.file = 'iris.csv';
    writeFileSync(modelPath, JSON.stringify(json));
    const e = await runCli(['eval', '--model', join(dir, 'run')]);
    assert.equal(e.code, 1);
    assert.equal(e.err, "neurite: this run was trained on the CSV file 'iris.csv' (150 rows, sha256 " + json.schema.source.sha256.slice(0, 12) + '…); pass --csv FILE (paths stored in a run folder are never read)\n');
    assert.ok(!e.out.includes('SECRET') && !e.err.includes('SECRET') && !e.err.includes('root:'));
  }
  // a built-in run whose model.json names a data folder: the folder comes from the user, not the file
  assert.equal((await runCli(['train', '--dataset', 'iris', '--epochs', '1', '--out', join(dir, 'iris-run'), '--backend', 'js'])).code, 0);
  const irisModel = join(resolveModelFolder(join(dir, 'iris-run')), 'model.json');
  const ij = JSON.parse(readFileSync(irisModel, 'utf8'));
  ij.info.data = { ...ij.info.data, dataset: 'fashion_mnist', dataDir: dir, csv: null };
  writeFileSync(irisModel, JSON.stringify(ij));
  const saved = process.env.NEURITE_FASHION_MNIST_DIR;
  process.env.NEURITE_FASHION_MNIST_DIR = join(dir, 'no-such-folder');
  try {
    const e = await runCli(['eval', '--model', join(dir, 'iris-run')]);
    assert.equal(e.code, 1);
    assert.match(e.err, /folder .*no-such-folder not found/);
  } finally {
    if (saved === undefined) delete process.env.NEURITE_FASHION_MNIST_DIR; else process.env.NEURITE_FASHION_MNIST_DIR = saved;
  }
});

test('--no-header, --missing mean and --missing-values: a NaN first row is data, imputation comes from the training rows', async () => {
  const dir = tmp(), path = join(dir, 'bare.csv');
  const lines = Array.from({ length: 60 }, (_, i) => `${i % 9},${(i * 7) % 11},${i % 9 > 4 ? 'hi' : 'lo'}`);
  lines[0] = 'NaN,?,lo';
  writeFileSync(path, lines.join('\n') + '\n');
  const bad = await runCli(['train', '--csv', path, '--target', 'col2', '--no-header', '--out', join(dir, 'r0')]);
  assert.match(bad.err, /bare\.csv: column 'col1' is numeric \(59 numbers\) but has non-numeric cells: row 1 \(line 1\) "\?"/);
  const noPolicy = await runCli(['train', '--csv', path, '--target', 'col2', '--no-header', '--missing-values', 'NaN,?', '--out', join(dir, 'r1')]);
  assert.match(noPolicy.err, /bare\.csv: missing values \(empty, NA, …\) in column 'col0' at row 1 \(line 1\); column 'col1' at row 1 \(line 1\); fill them in, or choose a policy/);
  const r = await runCli(['train', '--csv', path, '--target', 'col2', '--no-header', '--missing', 'mean', '--missing-values', 'NaN,?', '--epochs', '3', '--out', join(dir, 'run'), '--backend', 'js']);
  assert.equal(r.code, 0, r.err);
  const schema = JSON.parse(readFileSync(join(resolveModelFolder(join(dir, 'run')), 'model.json'), 'utf8')).schema;
  assert.deepEqual(schema.columns, ['col0', 'col1', 'col2']);
  assert.equal(schema.missing, 'mean');
  assert.equal(typeof schema.features[1].fill, 'number');
  writeFileSync(join(dir, 'new.csv'), '?,3\n4,5\n');
  const p = await runCli(['predict', '--model', join(dir, 'run'), '--csv', join(dir, 'new.csv'), '--no-header']);
  assert.equal(p.code, 0, p.err);
  assert.equal(p.out.trim().split('\n').length, 3);
});

test('--resume refuses a CSV that changed since the run started (same rows reordered count as changed bytes)', async () => {
  const dir = tmp();
  const { path, header, rows } = await irisCsv(dir);
  assert.equal((await runCli(['train', '--csv', path, '--target', 'species', '--epochs', '2', '--out', join(dir, 'run'), '--backend', 'js'])).code, 0);
  writeFileSync(path, [header, ...rows.slice().reverse()].map((r) => r.join(',')).join('\n') + '\n');
  const r = await runCli(['train', '--resume', join(dir, 'run'), '--epochs', '3']);
  assert.equal(r.code, 1);
  assert.match(r.err, /--resume .*run: iris\.csv changed since the run started \(150 rows, sha256 [0-9a-f]{12}… then; 150 rows, sha256 [0-9a-f]{12}… now\)/);
  writeFileSync(path, [header, ...rows].map((r) => r.join(',')).join('\n') + '\n');
  const ok = await runCli(['train', '--resume', join(dir, 'run'), '--epochs', '3']);
  assert.equal(ok.code, 0, ok.err);
});
