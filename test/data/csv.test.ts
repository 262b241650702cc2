// CSV: tokenizer edge cases, header detection, targets, encodings, each error message, and the writer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/index.js';
import { parseCsv, parseNumber, toCsv, formatFloat32, parseCsvDataset, parseCsvFeatures } from '../../src/data/index.js';

test('tokenizer: quotes, doubled quotes, embedded delimiters and newlines, CRLF, BOM, blank lines', () => {
  const text = '\ufeffa,b,c\r\n1,"x, ""y""",3\r\n\r\n"multi\nline",,"" \n';
  assert.throws(() => parseCsv(text), /line 5: text " " after a closing quote/);
  const ok = '\ufeffa,b,c\r\n1,"x, ""y""",3\r\n\r\n"multi\nline",,""\nlast,2,3';
  const { rows, lines } = parseCsv(ok);
  assert.deepEqual(rows, [['a', 'b', 'c'], ['1', 'x, "y"', '3'], ['multi\nline', '', ''], ['last', '2', '3']]);
  assert.deepEqual(lines, [1, 2, 4, 6]);
  assert.deepEqual(parseCsv('a;b\n1;2', { delimiter: ';' }).rows, [['a', 'b'], ['1', '2']]);
  assert.deepEqual(parseCsv('a\rb\r').rows, [['a'], ['b']]);
});

test('tokenizer errors: unclosed quote, stray quote, bad delimiter', () => {
  assert.throws(() => parseCsv('a,b\n1,"open\n2,3\n'), /parseCsv: line 2: a quoted field is never closed/);
  assert.throws(() => parseCsv('a,b\n1,ab"c\n'), /parseCsv: line 2: stray quote inside an unquoted field "ab"/);
  assert.throws(() => parseCsv('a', { delimiter: '::' }), /delimiter must be one character/);
});

test('parseNumber accepts decimals and exponents only', () => {
  assert.equal(parseNumber(' -1.5e3 '), -1500);
  assert.equal(parseNumber('.5'), 0.5);
  assert.equal(parseNumber('7.'), 7);
  for (const bad of ['', 'abc', '0x10', 'Infinity', 'NaN', '1,5', '1e', '--1']) assert.equal(parseNumber(bad), null, bad);
});

test('header: present by default (never guessed from a numeric look), header: false for bare files', () => {
  const named = parseCsvDataset('f1,f2,y\n1,2,0\n3,4,1\n');
  assert.deepEqual(named.featureNames, ['f1', 'f2']);
  assert.equal(named.targetName, 'y');
  assert.deepEqual(named.x.shape, [2, 2]);
  assert.throws(() => parseCsvDataset('1,2,0\n3,4,1\n', { header: 'auto' as never }), /header 'auto' is no longer supported/);
  const bare = parseCsvDataset('1,2,0\n3,4,1\n', { header: false });
  assert.deepEqual(bare.featureNames, ['col0', 'col1']);
  assert.equal(bare.targetName, 'col2');
  assert.deepEqual(bare.x.toArray(), [[1, 2], [3, 4]]);
  const forced = parseCsvDataset('1,2,3\n4,5,6\n7,8,9\n', { task: 'regression' });
  assert.deepEqual(forced.featureNames, ['1', '2']);
  assert.deepEqual(forced.y.toFlat(), [6, 9]);
});

test('target by name, positive and negative index; classification with sorted class names', () => {
  const text = 'species,len,wid\nvirginica,1,2\nsetosa,3,4\nversicolor,5,6\nsetosa,7,8\n';
  const d = parseCsvDataset(text, { target: 'species' });
  assert.equal(d.task, 'classification');
  assert.deepEqual(d.classNames, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual(d.y.toFlat(), [2, 0, 1, 0]);
  assert.deepEqual(d.y.shape, [4]);
  assert.deepEqual(d.featureNames, ['len', 'wid']);
  assert.deepEqual(parseCsvDataset(text, { target: 0 }).classNames, d.classNames);
  const byNeg = parseCsvDataset(text, { target: -3, dtype: 'float64' });
  assert.equal(byNeg.x.dtype, 'float64');
  assert.deepEqual(byNeg.x.toArray(), [[1, 2], [3, 4], [5, 6], [7, 8]]);
});

test('numeric targets: integers with few values classify (sorted by value), floats regress, task overrides', () => {
  const ints = parseCsvDataset('a,y\n1,10\n2,2\n3,10.0\n4,9\n');
  assert.equal(ints.task, 'classification');
  assert.deepEqual(ints.classNames, ['2', '9', '10']);
  assert.deepEqual(ints.y.toFlat(), [2, 0, 2, 1]);
  const reg = parseCsvDataset('a,y\n1,0.5\n2,1.25\n');
  assert.equal(reg.task, 'regression');
  assert.equal(reg.classNames, undefined);
  assert.deepEqual(reg.y.toFlat(), [0.5, 1.25]);
  assert.equal(parseCsvDataset('a,y\n1,10\n2,2\n', { task: 'regression' }).task, 'regression');
  const many = Array.from({ length: 30 }, (_, i) => `${i},${i * 7}`).join('\n');
  assert.equal(parseCsvDataset(many, { header: false }).task, 'regression');
});

test('several targets give regression y [N,K]', () => {
  const d = parseCsvDataset('x,y1,y2\n1,2,3\n4,5,6\n', { target: ['y1', 'y2'] });
  assert.deepEqual(d.y.shape, [2, 2]);
  assert.deepEqual(d.y.toArray(), [[2, 3], [5, 6]]);
  assert.deepEqual(d.targetNames, ['y1', 'y2']);
  assert.equal(d.task, 'regression');
  assert.throws(() => parseCsvDataset('x,y1,y2\n1,2,3\n', { target: ['y1', 'y2'], task: 'classification' }), /classification takes one target column, got 2/);
});

test('categorical feature columns: an error by default, one-hot on request, reusable categories', () => {
  const text = 'color,size,y\nred,1,a\nblue,2,b\nred,3,a\n';
  assert.throws(() => parseCsvDataset(text), /parseCsvDataset: column 'color' holds text \(row 1 \(line 2\) "red", row 2 \(line 3\) "blue", row 3 \(line 4\) "red"\); pass categorical: 'auto'/);
  const d = parseCsvDataset(text, { categorical: 'onehot' });
  assert.deepEqual(d.featureNames, ['color=blue', 'color=red', 'size']);
  assert.deepEqual(d.x.toArray(), [[0, 1, 1], [1, 0, 2], [0, 1, 3]]);
  assert.deepEqual(d.categories, { color: ['blue', 'red'] });
  assert.deepEqual(d.columns, ['color', 'size']);
  const again = parseCsvFeatures('color,size\nred,5\n', { columns: d.columns, categories: { color: ['blue', 'green', 'red'] } });
  assert.deepEqual(again.x.toArray(), [[0, 0, 1, 5]]);
  assert.throws(() => parseCsvFeatures('color,size\npink,5\n', { categories: d.categories }), /row 1 \(line 2\), column 'color': unknown category "pink"/);
});

test('parseCsvFeatures selects columns by name and reuses class names on new files', () => {
  const f = parseCsvFeatures('b,y,a\n1,0,2\n3,1,4\n', { columns: ['a', 'b'] });
  assert.deepEqual(f.x.toArray(), [[2, 1], [4, 3]]);
  assert.deepEqual(f.featureNames, ['a', 'b']);
  const d = parseCsvDataset('x,y\n1,cat\n', { classNames: ['bird', 'cat', 'dog'] });
  assert.deepEqual(d.y.toFlat(), [1]);
  assert.throws(() => parseCsvDataset('x,y\n1,cow\n', { classNames: ['bird', 'cat'] }), /row 1 \(line 2\), column 'y': class "cow" is not one the model was trained on \("bird", "cat"\)/);
});

test('errors name the line and column: ragged rows, empty cells, non-numeric cells, bad targets', () => {
  assert.throws(() => parseCsvDataset('a,b,y\n1,2,0\n3,4\n'), /parseCsvDataset: line 3 has 2 fields, expected 3 \(like line 1\)/);
  assert.throws(() => parseCsvDataset('a,b,y\n1,2,0\n\n3,,1\n'), /parseCsvDataset: missing values \(empty, NA, …\) in column 'b' at row 2 \(line 4\); fill them in, or choose a policy: --missing drop\|mean\|mode/);
  assert.throws(() => parseCsvDataset('a,b,y\n1,2,0\n3,4x,1\n'), /parseCsvDataset: column 'b' is numeric \(1 numbers\) but has non-numeric cells: row 2 \(line 3\) "4x"; fix them/);
  assert.throws(() => parseCsvDataset('a,y\n1,0.5\n2,\n'), /missing values \(empty, NA, …\) in column 'y' at row 2 \(line 3\)/);
  assert.throws(() => parseCsvDataset('a,y\n1,0.5\n2,big\n', { task: 'regression' }), /target column 'y' is numeric \(regression\) but has non-numeric cells row 2 \(line 3\) "big"/);
  assert.throws(() => parseCsvDataset('a,y\n1,0\n', { target: 'label' }), /no column named 'label'; the columns are 'a', 'y'/);
  assert.throws(() => parseCsvDataset('a,y\n1,0\n', { target: 2 }), /column index 2 is out of range for 2 columns/);
  assert.throws(() => parseCsvDataset('y\n1\n'), /no feature columns left/);
  assert.throws(() => parseCsvDataset('a,y\n'), /no data rows after the header on line 1/);
  assert.throws(() => parseCsvDataset(''), /the CSV text has no rows/);
  assert.throws(() => parseCsvDataset('a,y\n1,0\n', { columns: ['a', 'y'] }), /column 'y' is both a feature and the target/);
});

test('toCsv quotes when needed, prints float32 tensors exactly and round-trips through parseCsv', () => {
  const text = toCsv([[1, 'a,b'], [2.5, 'say "hi"'], [3, 'two\nlines']], ['id', 'note']);
  assert.equal(text, 'id,note\n1,"a,b"\n2.5,"say ""hi"""\n3,"two\nlines"\n');
  assert.deepEqual(parseCsv(text).rows, [['id', 'note'], ['1', 'a,b'], ['2.5', 'say "hi"'], ['3', 'two\nlines']]);
  const t = tensor([[0.1, 1 / 3], [-2, 1e-8]]);
  const csv = toCsv(t, ['p0', 'p1']);
  assert.equal(csv.split('\n')[1], '0.1,0.33333334');
  const back = parseCsvFeatures(csv);
  assert.deepEqual(back.x.toFlat(), t.toFlat());
  assert.equal(formatFloat32(Math.fround(0.3)), '0.3');
  assert.throws(() => toCsv([[1, 2], [3]]), /toCsv: row 1 has 1 fields, expected 2/);
  assert.throws(() => toCsv(tensor([1, 2])), /tensor must be 2-D/);
  assert.equal(toCsv([]), '');
});
