// Resource limits: absurd allocations refused with the bytes named, scoped budgets, JSON depth, previews.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zeros, LimitError, setLimits, getLimits } from '../../src/index.js';
import { checkAllocation, jsonDepth, previewJson, withAllocationBudget } from '../../src/core/limits.js';
import { firstDuplicateKey } from '../../src/io/safetensors-header.js';

test('zeros([1e6, 1e6]) says how many bytes it refused and the limit', () => {
  assert.throws(() => zeros([1e6, 1e6]), (e: Error) => e instanceof LimitError
    && e.message === 'zeros: refusing to allocate 4,000,000,000,000 bytes (3.6 TiB) for a float32 tensor of shape [1000000,1000000]: the limit is 4,294,967,296 bytes (4.0 GiB) per tensor (raise it with setMaxTensorBytes if you really mean it)');
  // the backstop inside allocate() for storage that does not come through a creation function
  assert.throws(() => checkAllocation(4e12, 'a float32 tensor of 1000000000000 elements'), (e: Error) => e instanceof LimitError
    && e.message === 'refusing to allocate 4000000000000 bytes for a float32 tensor of 1000000000000 elements (limit 4294967296 bytes)');
  assert.throws(() => checkAllocation(2 ** 60, 'x'), /refusing to allocate 1152921504606847000 bytes for x/);
  assert.throws(() => checkAllocation(Number.NaN, 'x'), /refusing to allocate NaN bytes for x/);
});

test('an allocation budget is cumulative, nests, and refuses before allocating', () => {
  // Each allocation is charged its bytes + ALLOCATION_OVERHEAD_BYTES (1024).
  withAllocationBudget(4000, 'outer', () => {
    zeros([100]); // 400 + 1024 bytes
    assert.throws(() => zeros([500]), /refusing to allocate 2000 bytes for a float32 tensor of 500 elements \(limit 4000 bytes for outer, 1424 already allocated\)/);
    withAllocationBudget(50000, 'inner', () => zeros([50])); // charged to both: 200 + 1024 bytes
    assert.throws(() => zeros([101]), /refusing to allocate 404 bytes .* \(limit 4000 bytes for outer, 2648 already allocated\)/);
  });
  assert.equal(zeros([1000]).size, 1000); // no budget outside the scope
});

test('setLimits changes and restores limits, and rejects unknown names and bad values', () => {
  const before = setLimits({ maxTensorBytes: 100 });
  try {
    assert.throws(() => zeros([26]), /refusing to allocate 104 bytes .* the limit is 100 bytes per tensor/);
  } finally {
    setLimits(before);
  }
  assert.equal(getLimits().maxTensorBytes, 4 * 2 ** 30);
  assert.throws(() => setLimits({ maxTensorByte: 1 } as never), /setLimits: unknown limit "maxTensorByte"/);
  assert.throws(() => setLimits({ maxJsonDepth: -1 }), /setLimits: maxJsonDepth must be a positive number, got -1/);
});

test('jsonDepth walks without recursion and stops early; previewJson is short and safe', () => {
  assert.equal(jsonDepth(3), 0);
  assert.equal(jsonDepth({ a: [1, [2]] }), 3);
  assert.equal(jsonDepth(JSON.parse('['.repeat(200000) + ']'.repeat(200000)), 10), 11);
  assert.equal(previewJson({ a: 'x'.repeat(500) }).length, 80);
  assert.equal(previewJson(JSON.parse('['.repeat(50) + ']'.repeat(50))), '<nested deeper than 8 levels>');
  assert.equal(previewJson(10n), '10');
  assert.equal(previewJson(undefined), 'undefined');
});

test('firstDuplicateKey finds repeated keys per object, not across objects or inside strings', () => {
  assert.equal(firstDuplicateKey('{"a":1,"a":2}'), 'a');
  assert.equal(firstDuplicateKey('{"a":{"b":1},"c":{"b":2}}'), null);
  assert.equal(firstDuplicateKey('{"a":"\\"a\\":","b":["a","a"]}'), null);
  assert.equal(firstDuplicateKey('{"x":{"k":1, "k" :2}}'), 'k');
  assert.equal(firstDuplicateKey('{"\\u0061":1,"a":2}'), 'a');
});
