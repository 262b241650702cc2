// Test helpers: load golden fixtures (PyTorch/scikit-learn values) and compare within tolerance.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { Tensor, tensor, type DType } from '../../src/index.js';

export interface FixtureTensor {
  shape: number[];
  data: number[];
}

/** Parses test/fixtures/<name>.json. */
export function fixture<T = { cases: Record<string, unknown>[] }>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** A fixture tensor as a neurite Tensor. */
export function toTensor(f: FixtureTensor, dtype: DType = 'float64', requiresGrad = false): Tensor {
  return tensor(f.data, { shape: f.shape, dtype, requiresGrad });
}

/** Asserts |a-b| <= atol + rtol|b| elementwise (float32 defaults), naming the first bad index. */
export function assertClose(actual: Tensor | ArrayLike<number>, expected: FixtureTensor | ArrayLike<number> | Tensor, what: string, atol = 1e-5, rtol = 1e-4): void {
  const a = actual instanceof Tensor ? actual.data : actual;
  const e = expected instanceof Tensor ? expected.data : 'data' in (expected as object) ? (expected as FixtureTensor).data : (expected as ArrayLike<number>);
  if (expected && !(expected instanceof Tensor) && 'shape' in (expected as object) && actual instanceof Tensor) {
    assert.deepEqual([...actual.shape], (expected as FixtureTensor).shape, `${what}: shape`);
  }
  assert.equal(a.length, e.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - e[i]!);
    if (!(d <= atol + rtol * Math.abs(e[i]!))) assert.fail(`${what}[${i}]: ${a[i]} vs expected ${e[i]} (diff ${d})`);
  }
}
