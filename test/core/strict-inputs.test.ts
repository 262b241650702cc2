// Strict inputs: unsupported dtypes, absurd or invalid shapes, and plain nested arrays at the user-facing entry points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  nn, tensor, zeros, ones, full, randn, rand, bernoulli, eye, arange, setDefaultDType, getDefaultDType, setMaxTensorBytes,
  predict, evaluate, fit, Optimizer, sgd, regressionHead, multiclassHead, Tensor, DTypeError,
} from '../../src/index.js';

const DTYPE = (where: string, dt: string): RegExp =>
  new RegExp(`${where}: unsupported dtype "${dt}"; supported dtypes are 'float32' and 'float64' \\(`);

test('the dtype error says where float16/bfloat16 do exist (model-file storage) and that int8 is no tensor dtype', () => {
  assert.throws(() => zeros([2], { dtype: 'float16' as never }), {
    message: `zeros: unsupported dtype "float16"; supported dtypes are 'float32' and 'float64' (neurite computes in float32/float64; float16 is a storage format for model files: save with { weightsDType: 'float16' }). Pass dtype 'float32' (the default) or 'float64'`,
  });
  assert.throws(() => zeros([2], { dtype: 'bfloat16' as never }), /bfloat16 is a storage format for model files: save with \{ weightsDType: 'bfloat16' \}/);
  assert.throws(() => zeros([2], { dtype: 'int8' as never }), /zeros: unsupported dtype "int8"; supported dtypes are 'float32' and 'float64' \(int8 is not a tensor dtype in neurite\)\. Pass/);
});

test('float16 / int8 are refused everywhere a dtype is accepted (no silent float32)', () => {
  assert.throws(() => tensor([1, 2], { dtype: 'float16' as never }), DTYPE('tensor', 'float16'));
  assert.throws(() => zeros([2], { dtype: 'int8' as never }), DTYPE('zeros', 'int8'));
  assert.throws(() => ones([2], { dtype: 'float16' as never }), DTYPE('ones', 'float16'));
  assert.throws(() => full([2], 3, { dtype: 'int8' as never }), DTYPE('full', 'int8'));
  assert.throws(() => randn([2], { dtype: 'float16' as never }), DTYPE('randn', 'float16'));
  assert.throws(() => arange(3, undefined, 1, { dtype: 'int8' as never }), DTYPE('arange', 'int8'));
  assert.throws(() => new nn.Linear(2, 1, { dtype: 'float16' as never }), DTYPE('Linear', 'float16'));
  assert.throws(() => nn.mlp({ sizes: [2, 1], dtype: 'int8' as never }), DTYPE('Linear', 'int8'));
  assert.throws(() => new nn.Conv2d(1, 1, 3, { dtype: 'float16' as never }), DTYPE('Conv2d', 'float16'));
  assert.throws(() => zeros([2], { dtype: 'float' as never }), /zeros: unsupported dtype "float"; supported dtypes are 'float32' and 'float64'\. Pass/);
  assert.throws(() => tensor([1]).cast('int8' as never), DTypeError);
  assert.throws(() => tensor([1]).cast('float16' as never), DTYPE('cast', 'float16'));
});

test('rand, randn and bernoulli reject options they do not have', () => {
  assert.throws(() => randn([2], { seed: 1 } as never), { message: 'randn: unknown option "seed" (did you mean "std"?); known options are dtype, requiresGrad, rng, mean, std' });
  assert.throws(() => rand([2], { high: 2 } as never), /rand: unknown option "high"/);
  assert.throws(() => bernoulli([2], 0.5, { p: 0.1 } as never), /bernoulli: unknown option "p"/);
});

test('setDefaultDType accepts float32/float64 only and keeps the previous default on error', () => {
  assert.throws(() => setDefaultDType('float16' as never), DTYPE('setDefaultDType', 'float16'));
  assert.equal(getDefaultDType(), 'float32');
  setDefaultDType('float64');
  try {
    assert.equal(zeros([1]).dtype, 'float64');
  } finally {
    setDefaultDType('float32');
  }
});

test('zeros([1e6, 1e6]) and every creation path refuse absurd sizes, saying how many bytes and the limit', () => {
  const refused = (op: string): RegExp => new RegExp(`${op}: refusing to allocate 4,000,000,000,000 bytes \\(3\\.6 TiB\\) for a float32 tensor of shape \\[1000000,1000000\\]: the limit is 4,294,967,296 bytes \\(4\\.0 GiB\\) per tensor`);
  assert.throws(() => zeros([1e6, 1e6]), refused('zeros'));
  assert.throws(() => ones([1e6, 1e6]), refused('ones'));
  assert.throws(() => full([1e6, 1e6], 2), refused('full'));
  assert.throws(() => randn([1e6, 1e6]), refused('randn'));
  assert.throws(() => rand([1e6, 1e6]), refused('rand'));
  assert.throws(() => tensor([1], { shape: [1e6, 1e6] }), refused('tensor'));
  assert.throws(() => eye(1e7), /eye: refusing to allocate 400,000,000,000,000 bytes/);
  const prev = setMaxTensorBytes(16);
  try {
    assert.throws(() => zeros([5]), /zeros: refusing to allocate 20 bytes for a float32 tensor of shape \[5\]: the limit is 16 bytes per tensor/);
    assert.equal(zeros([4]).size, 4);
  } finally {
    setMaxTensorBytes(prev);
  }
});

test('negative, fractional and NaN dims are errors naming the shape', () => {
  assert.throws(() => zeros([2, -1]), { message: 'zeros: invalid shape [2,-1]: dimensions must be non-negative integers' });
  assert.throws(() => ones([1.5]), { message: 'ones: invalid shape [1.5]: dimensions must be non-negative integers' });
  assert.throws(() => randn([NaN, 2]), { message: 'randn: invalid shape [NaN,2]: dimensions must be non-negative integers' });
  assert.throws(() => tensor([1, 2], { shape: [-2] }), /tensor: invalid shape \[-2\]/);
});

test('ragged, non-numeric and wrongly nested arrays name the index path and the value', () => {
  assert.throws(() => tensor([[1, 2], [3]]), { message: 'tensor: ragged nested array at index [1]: values[1] has 1 element, the first row at this depth has 2' });
  assert.throws(() => tensor([[1, 2], [3, 'a' as never]]), { message: 'tensor: values[1][1] must be a number, got "a"' });
  assert.throws(() => tensor([[1, 2], 3 as never]), { message: 'tensor: values[1] must be an array of 2 elements (like the first row), got 3: nested arrays must be rectangular' });
  assert.throws(() => tensor([[1, [2] as never], [3, 4]]), /tensor: values\[0\]\[1\] must be a number, got an array \(nested deeper than the first element's 2 levels\)/);
  assert.throws(() => tensor([[null as never]]), { message: 'tensor: values[0][0] must be a number, got null' });
  assert.throws(() => tensor([1, 'x' as never], { shape: [2] }), /tensor: value 1 \(row-major\) must be a number, got "x"/);
});

test('predict, evaluate, fit and module.forward accept plain nested arrays (default dtype)', () => {
  const model = nn.mlp({ sizes: [2, 3, 1], seed: 1 });
  const head = regressionHead();
  const xs = [[1, 2], [3, 4], [5, 6]];
  const asT = tensor(xs);
  assert.deepEqual(predict(model, head, xs).toArray(), predict(model, head, asT).toArray());
  assert.deepEqual(model.forward(xs).toArray(), model.forward(asT).toArray());
  assert.deepEqual(new nn.Linear(2, 1, { bias: false }).forward([[0, 0]]).toArray(), [[0]]);
  const ev = evaluate(model, head, xs, [[1], [2], [3]]);
  assert.equal(ev.loss, evaluate(model, head, asT, tensor([[1], [2], [3]])).loss);
  const opt = new Optimizer(sgd({ lr: 0.01 }), model);
  const { history } = fit({ model, head, optimizer: opt, x: xs, y: [1, 2, 3], epochs: 2, batchSize: 3, validation: { x: xs, y: [1, 2, 3] } });
  assert.equal(history.length, 2);
  assert.ok(model.forward(xs) instanceof Tensor);
});

test('bad arrays at the entry points name the function, the argument, the index and the value', () => {
  const model = nn.mlp({ sizes: [2, 3, 2], seed: 1 });
  const head = multiclassHead({ numClasses: 2 });
  assert.throws(() => predict(model, head, [[1, 2], [3]]), { message: 'predict: ragged nested array at index [1]: x[1] has 1 element, the first row at this depth has 2' });
  assert.throws(() => predict(model, head, [[1, 'two' as never]]), { message: 'predict: x[0][1] must be a number, got "two"' });
  assert.throws(() => evaluate(model, head, [[1, 2]], [true as never]), { message: 'evaluate: y[0] must be a number, got true' });
  assert.throws(() => model.forward([[1], [2, 3]]), { message: 'Sequential.forward: ragged nested array at index [1]: x[1] has 2 elements, the first row at this depth has 1' });
  const opt = new Optimizer(sgd({ lr: 0.01 }), model);
  assert.throws(() => fit({ model, head, optimizer: opt, x: [[1, 2]], y: [0], validation: { x: [[1, 2]], y: [[0], 1 as never] } }), /fit: validation\.y\[1\] must be an array of 1 elements/);
  assert.throws(() => predict(model, head, 'data.csv' as never), { message: 'predict: x must be a Tensor or nested arrays of numbers, got "data.csv"' });
  assert.throws(() => predict(model, head, { x: 1 } as never), { message: 'predict: x must be a Tensor or nested arrays of numbers, got a plain object {"x":1}' });
});
