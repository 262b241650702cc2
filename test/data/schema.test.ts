// Data schema: strict CSV typing, missing-value policies, headers, by-name application, JSON round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CsvTokenizer, DataSchema, fitImputation, fitSchema, parseCsv, parseCsvDataset, readCsvTable,
} from '../../src/data/index.js';

const rowsOf = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

test('the chunked tokenizer gives the same records as one parse, wherever the chunks split', () => {
  const text = '\ufeffa,"b ""q""",c\r\n1,"x,\ny",3\r\n\r\n"",,""\n4,5,6';
  const whole = parseCsv(text);
  for (let step = 1; step <= 7; step++) {
    const rows: string[][] = [], lines: number[] = [];
    const t = new CsvTokenizer((f, l) => { rows.push(f); lines.push(l); });
    for (let i = 0; i < text.length; i += step) t.push(text.slice(i, i + step));
    t.end();
    assert.deepEqual({ rows, lines }, whole, `chunks of ${step}`);
  }
});

test('property: any text fed in any chunks tokenizes exactly like one parse (same records or same error)', () => {
  const outcome = (f: () => unknown): unknown => { try { return f(); } catch (e) { return (e as Error).message; } };
  const text = fc.array(fc.constantFrom('a', '1', ',', '"', '\n', '\r', ' ', '\ufeff'), { maxLength: 40 }).map((cs) => cs.join(''));
  fc.assert(fc.property(text, fc.integer({ min: 1, max: 9 }), (t, step) => {
    const chunked = outcome(() => {
      const rows: string[][] = [], lines: number[] = [];
      const tok = new CsvTokenizer((f, l) => { rows.push(f); lines.push(l); });
      for (let i = 0; i < t.length; i += step) tok.push(t.slice(i, i + step));
      tok.end();
      return { rows, lines };
    });
    assert.deepEqual(chunked, outcome(() => parseCsv(t)));
  }), { numRuns: Number(process.env.NEURITE_FUZZ_RUNS ?? 300), seed: 12 });
});

test('a stray cell in a numeric column is an error naming row, line, column and value (never a one-hot)', () => {
  const good = Array.from({ length: 20 }, (_, i) => `${i},${i * 2},${i % 2}`);
  for (const bad of ['abc', 'inf', '"1,234"']) {
    const lines = ['a,b,y', ...good.slice(0, 5), `5,${bad},1`, ...good.slice(5)];
    const shown = bad.startsWith('"') ? '1,234' : bad;
    assert.throws(() => parseCsvDataset(lines.join('\n'), { categorical: 'auto' }), (e: Error) => {
      assert.match(e.message, /^parseCsvDataset: column 'b' is numeric \(20 numbers\) but has non-numeric cells: row 6 \(line 7\) /);
      assert.ok(e.message.includes(JSON.stringify(shown)), e.message);
      return true;
    });
  }
});

test('text columns are categorical when (nearly) all cells are text, or when named', () => {
  const text = 'city,zip,y\nOslo,10,0\nRome,20,1\nOslo,10,0\nNA,20,1\n';
  const d = parseCsvDataset(text, { categorical: 'auto', categoricalColumns: ['zip'], missing: 'mode' });
  assert.deepEqual(d.featureNames, ['city=Oslo', 'city=Rome', 'zip=10', 'zip=20']);
  assert.deepEqual((d.x.toArray() as number[][])[3], [1, 0, 0, 1]);   // the NA city imputed with the mode, Oslo
  assert.equal(d.schema.features[0]!.fill, 'Oslo');
});

test('missing values: error by default naming rows and column; drop; mean fitted on the training rows only', () => {
  const text = 'a,b,y\n1,10,0\n2,NA,1\n3,,0\n4,40,1\n100,null,0\n';
  assert.throws(() => parseCsvDataset(text), /parseCsvDataset: missing values \(empty, NA, …\) in column 'b' at row 2 \(line 3\), row 3 \(line 4\), row 5 \(line 6\); fill them in, or choose a policy: --missing drop\|mean\|mode/);
  const dropped = parseCsvDataset(text, { missing: 'drop' });
  assert.equal(dropped.dropped, 3);
  assert.deepEqual(dropped.x.toArray(), [[1, 10], [4, 40]]);
  const table = readCsvTable(text);
  const schema = fitSchema(table, { missing: 'mean' });
  const cols = schema.bind(table, 't', 'require');
  const fitted = fitImputation(schema, table, cols, Int32Array.from([0, 1]), 't');   // training rows 0 and 1 only
  assert.equal(fitted.features[1]!.fill, 10);
  assert.deepEqual((fitted.encodeFeatures(table, rowsOf(5), 't', cols).toArray() as number[][]).map((r) => r[1]), [10, 10, 10, 40, 10]);
});

test('a regression target with NA follows the policy and never becomes classification', () => {
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${(i * 1.37).toFixed(2)}`);
  rows[7] = '7,NA';
  const text = ['x,price', ...rows].join('\n');
  assert.throws(() => parseCsvDataset(text), /missing values \(empty, NA, …\) in column 'price' at row 8 \(line 9\)/);
  const d = parseCsvDataset(text, { missing: 'mean' });
  assert.equal(d.task, 'regression');
  assert.equal(d.dropped, 1);   // a missing target is dropped, never imputed
  assert.equal(d.y.shape[0], 39);
});

test('headers: a numeric-looking header is a header; a NaN/empty first data row is data; duplicate names are an error', () => {
  const d = parseCsvDataset('-1,2.5,y\n1,2,0\n3,4,1\n');
  assert.deepEqual(d.featureNames, ['-1', '2.5']);
  assert.equal(d.y.shape[0], 2);
  const nan = parseCsvDataset('a,b,y\nNaN,,0\n1,2,1\n3,4,0\n', { missing: 'mean' });
  assert.equal(nan.x.shape[0], 3);
  assert.deepEqual((nan.x.toArray() as number[][])[0], [2, 3]);
  assert.throws(() => parseCsvDataset('a,a,y\n1,2,0\n'), /parseCsvDataset: line 1: duplicate column name 'a' \(columns 1 and 2\)/);
});

test('the schema applies by column name: reordered columns encode identically; missing column, unknown category, unseen class fail clearly', () => {
  const train = parseCsvDataset('size,color,y\n1,red,a\n2,blue,b\n3,red,a\n', { categorical: 'auto' });
  const s = train.schema;
  const enc = (text: string, target: 'require' | 'ignore' = 'ignore') => {
    const t = s.readTable(text, { file: 'new.csv' });
    return { x: s.encodeFeatures(t, rowsOf(t.rows), 'new.csv', s.bind(t, 'new.csv', target)), t };
  };
  const a = enc('size,color\n5,blue\n6,red\n').x.toArray();
  assert.deepEqual(enc('color,extra,size,y\nblue,x,5,a\nred,y,6,b\n').x.toArray(), a);
  assert.throws(() => enc('color\nred\n'), /new\.csv: the feature column 'size' is missing; the model was trained on columns 'size', 'color', 'y' and the file has 'color'/);
  assert.throws(() => enc('size,color\n1,pink\n'), /new\.csv: row 1 \(line 2\), column 'color': unknown category "pink"; the model knows "blue", "red"/);
  assert.throws(() => enc('size,color\nbig,red\n'), /new\.csv: row 1 \(line 2\), column 'size': "big" is not a number, and the column is numeric/);
  const { t } = enc('size,color,y\n1,red,c\n', 'require');
  assert.throws(() => s.encodeTarget(t, rowsOf(1), 'new.csv'), /new\.csv: row 1 \(line 2\), column 'y': class "c" is not one the model was trained on \("a", "b"\)/);
  // a file holding only one class keeps the training class indices (never re-derived)
  const only = s.readTable('size,color,y\n2,blue,b\n2,blue,b\n');
  assert.deepEqual(s.encodeTarget(only, rowsOf(2), 'f').toFlat(), [1, 1]);
});

test('schema JSON round-trips and a damaged schema names the field', () => {
  const { schema } = parseCsvDataset('a,c,y\n1,x,0.5\n2,y,1.5\n3,x,2.5\n', { categorical: 'auto' });
  const back = DataSchema.fromJSON(JSON.parse(JSON.stringify(schema)));
  assert.deepEqual(back.toJSON(), schema.toJSON());
  const bad = schema.toJSON() as unknown as { features: { type: string }[] };
  bad.features[1]!.type = 'text';
  assert.throws(() => DataSchema.fromJSON(bad), /schema\.features\[1\]\.type must be one of numeric, categorical, got "text"/);
});

test('the row-set hash ignores row order but not content', () => {
  const a = readCsvTable('x,y\n1,2\n3,4\n5,6\n'), b = readCsvTable('x,y\n5,6\n1,2\n3,4\n'), c = readCsvTable('x,y\n1,2\n3,4\n5,7\n');
  assert.equal(a.rowSetHash, b.rowSetHash);
  assert.notEqual(a.rowSetHash, c.rowSetHash);
});

test('the schema travels in model.json: a loaded bundle encodes new CSV text by name; a damaged schema names model.json', async () => {
  const { nn, multiclassHead } = await import('../../src/index.js');
  const { serializeModel, deserializeModel, ModelFileError } = await import('../../src/io/model.js');
  const d = parseCsvDataset('b,a,y\n1,10,p\n2,20,q\n3,30,p\n');
  const bundle = { module: new nn.Linear(2, 2), head: multiclassHead({ numClasses: 2 }), schema: d.schema };
  const { json, weights } = serializeModel(bundle);
  const back = deserializeModel(JSON.parse(JSON.stringify(json)), weights, 'run');
  assert.deepEqual(back.schema!.toJSON(), d.schema.toJSON());
  assert.deepEqual(back.schema!.encodeCsvFeatures('a,y,b\n40,p,4\n').toArray(), [[4, 40]]);
  const broken = JSON.parse(JSON.stringify(json));
  broken.schema.target.task = 'ranking';
  assert.throws(() => deserializeModel(broken, weights, 'run'), (e: Error) => e instanceof ModelFileError && /^run\/model\.json: DataSchema\.fromJSON: schema\.target\.task must be one of classification, regression, got "ranking"/.test(e.message));
});
