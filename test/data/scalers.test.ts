// Scalers: statistics from training rows only, constant columns, inverse, JSON round trip and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/index.js';
import { StandardScaler, MinMaxScaler, scalerFromJSON } from '../../src/data/index.js';

const close = (a: number[], b: number[], tol = 1e-6): void => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < tol, `${i}: ${v} vs ${b[i]}`));

test('StandardScaler uses training statistics only (population std), constant column gets scale 1', () => {
  const train = tensor([[1, 10, 5], [3, 20, 5], [5, 30, 5]], { dtype: 'float64' });
  const test = tensor([[7, 40, 6]], { dtype: 'float64' });
  const s = new StandardScaler().fit(train);
  close(s.mean!, [3, 20, 5]);
  close(s.scale!, [Math.sqrt(8 / 3), Math.sqrt(200 / 3), 1]);
  const t = s.transform(test).toFlat();
  close(t, [4 / Math.sqrt(8 / 3), 20 / Math.sqrt(200 / 3), 1]);
  const z = s.transform(train);
  close([0, 1, 2].map((j) => (z.data[j]! + z.data[3 + j]! + z.data[6 + j]!) / 3), [0, 0, 0]);
  close(s.inverseTransform(s.transform(test)).toFlat(), test.toFlat());
  assert.equal(s.fitTransform(train).dtype, 'float64');
});

test('StandardScaler on a 1-D target and JSON round trip', () => {
  const y = tensor([2, 4, 6, 8]);
  const s = new StandardScaler().fit(y);
  assert.equal(s.numFeatures, 1);
  const back = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s)));
  assert.deepEqual(back.transform(y).toFlat(), s.transform(y).toFlat());
  assert.deepEqual(scalerFromJSON(s.toJSON()).transform(y).toFlat(), s.transform(y).toFlat());
});

test('MinMaxScaler maps train min/max to featureRange, constant column scale 1, JSON round trip', () => {
  const train = tensor([[0, 5, 2], [10, 7, 2]]);
  const mm = new MinMaxScaler({ featureRange: [-1, 1] }).fit(train);
  assert.deepEqual(mm.transform(train).toArray(), [[-1, -1, -1], [1, 1, -1]]);
  assert.deepEqual(mm.transform(tensor([[20, 6, 3]])).toArray(), [[3, 0, 1]], 'new data may fall outside the range');
  close(mm.inverseTransform(mm.transform(tensor([[3, 6.5, 9]]))).toFlat(), [3, 6.5, 9], 1e-5);
  const json = JSON.parse(JSON.stringify(mm));
  assert.deepEqual(json, { type: 'MinMaxScaler', min: [0, 5, 2], range: [10, 2, 1], featureRange: [-1, 1] });
  const back = scalerFromJSON(json);
  assert.ok(back instanceof MinMaxScaler);
  assert.deepEqual(back.transform(train).toArray(), mm.transform(train).toArray());
  assert.deepEqual(new MinMaxScaler().fit(train).transform(train).toArray(), [[0, 0, 0], [1, 1, 0]]);
});

test('scaler errors: unfitted, feature count, non-finite data, bad JSON', () => {
  assert.throws(() => new StandardScaler().transform(tensor([[1]])), /StandardScaler.transform: the scaler is not fitted; call fit\(trainX\) first/);
  const s = new StandardScaler().fit(tensor([[1, 2], [3, 4]]));
  assert.throws(() => s.transform(tensor([[1, 2, 3]])), /x \[1,3\] has 3 features per row, but the scaler was fitted on 2/);
  assert.throws(() => new MinMaxScaler().fit(tensor([[1, 2], [NaN, 4]])), /MinMaxScaler.fit: row 1, column 0 is NaN/);
  assert.throws(() => new StandardScaler().fit(tensor([], { shape: [0, 2] })), /cannot fit on 0 rows/);
  assert.throws(() => StandardScaler.fromJSON({ type: 'StandardScaler', mean: [0], scale: [0] }), /field 'scale' must be positive/);
  assert.throws(() => StandardScaler.fromJSON({ type: 'StandardScaler', mean: [0, 1], scale: [1] }), /field 'scale' must be a list of 2 finite numbers/);
  assert.throws(() => scalerFromJSON({ type: 'RobustScaler' }), /unknown scaler type "RobustScaler"/);
  assert.throws(() => new MinMaxScaler({ featureRange: [1, 1] }), /featureRange \[1, 1\] must be finite with min < max/);
});
